"""Helpers the tests share: run the real CLIs, write small export files, start the real app."""
from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
# The spec's sample exports and their independently computed figures, copied into the project.
SAMPLES = ROOT / "tests" / "fixtures" / "samples"

HEADERS = ["Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Cấp giải quyết", "Mã ĐVHC",
           "Kênh nộp", "Mức độ DVC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả",
           "Trạng thái", "Phí, lệ phí", "Hình thức thanh toán", "Số hóa", "Mức độ hài lòng"]
DEFAULTS = {"Mã TTHC": "1.000001.000.00.00.H56", "Tên TTHC": "Thủ tục thử", "Lĩnh vực": "Hộ tịch",
            "Cơ quan giải quyết": "UBND", "Cấp giải quyết": "Xã", "Mã ĐVHC": "25459", "Kênh nộp": "Trực tiếp",
            "Trạng thái": "Đang xử lý"}


def env() -> dict[str, str]:
    return os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m ...`` (or any python args) in the project, like a person would."""
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env(), capture_output=True, text=True,
                            timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def etl_load(db: Path, *files: Path, check: bool = True) -> subprocess.CompletedProcess:
    return run("-m", "etl", "load", "--db", str(db), "--json", *map(str, files), check=check)


def cli_kpi(db: Path, *args: str) -> dict:
    return json.loads(run("-m", "warehouse", "kpi", "--db", str(db), "--json", *args).stdout)


def write_csv(path: Path, rows: list[dict], delimiter: str = ",", bom: bool = False) -> Path:
    """A shape-A export with the contract's Vietnamese headers; unspecified cells take DEFAULTS."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS, delimiter=delimiter)
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, DEFAULTS.get(h, "")) for h in HEADERS})
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    """A real ``python app.py`` serving a warehouse on a free port."""

    def __init__(self, db: Path, extra_env: dict[str, str] | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(db.parent / f"app-{self.port}.log", "w")
        # Never the checkout's own data/inbox: a test app must not load files waiting there.
        isolated = {"IOC_INBOX_DIR": str(db.parent / f"inbox-{self.port}"), "IOC_SCHEDULER_IN_APP": "false"}
        self.process = subprocess.Popen([sys.executable, "app.py", "--db", str(db), "--port", str(self.port)],
                                        cwd=ROOT, env=env() | isolated | (extra_env or {}), stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> AppProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"app exited: {Path(self.log.name).read_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"app not ready in {timeout}s: {Path(self.log.name).read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def render_page(base_url: str, pathname: str, search: str = "") -> dict:
    """Ask the running app for a page's content the way the browser does (Dash's page router callback)."""
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    response = requests.post(base_url + "/_dash-update-component", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def find_components(tree, predicate) -> list[dict]:
    """Every component in a rendered Dash tree for which ``predicate(component)`` holds."""
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "props" in node and predicate(node):
                found.append(node)
            for value in (node["props"] if "props" in node else node).values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tree)
    return found


def kpi_values_in(tree) -> dict[str, str]:
    """``data-kpi`` → text of every KPI value in a rendered Dash component tree."""
    return {c["props"]["data-kpi"]: c["props"].get("children")
            for c in find_components(tree, lambda c: "data-kpi" in c["props"])}
