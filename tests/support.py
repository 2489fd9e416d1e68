"""Helpers the tests share: run the real CLIs, write small export files, start the real app."""
from __future__ import annotations

import csv
import json
import os
import re
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
    """The environment of every process a test starts. The cache warm-up after loads is off (its thread
    would compete with the browser for the two cores); tests/test_warm_cache.py turns it on."""
    return {"IOC_WARM_AFTER_LOAD": "false"} | os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


def run(*args: str, check: bool = True, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m ...`` (or any python args) in the project, like a person would."""
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env() | (extra_env or {}), capture_output=True,
                            text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def etl_load(db: Path, *files: Path, check: bool = True) -> subprocess.CompletedProcess:
    return run("-m", "etl", "load", "--db", str(db), "--json", *map(str, files), check=check)


def cli_kpi(db: Path, *args: str, extra_env: dict[str, str] | None = None) -> dict:
    return json.loads(run("-m", "warehouse", "kpi", "--db", str(db), "--json", *args, extra_env=extra_env).stdout)


def write_csv(path: Path, rows: list[dict], delimiter: str = ",", bom: bool = False) -> Path:
    """A shape-A export with the contract's Vietnamese headers; unspecified cells take DEFAULTS."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS, delimiter=delimiter)
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, DEFAULTS.get(h, "")) for h in HEADERS})
    return path


CATALOGUE_HEADERS = ["Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cấp thực hiện", "Mức độ DVC", "Cơ quan thực hiện",
                     "Thời hạn giải quyết", "Phí, lệ phí", "Thanh toán trực tuyến", "Ngày hiệu lực", "Ngày bãi bỏ"]


def write_catalogue(path: Path, rows: list[dict], delimiter: str = ",") -> Path:
    """A shape-C service catalogue with the contract's headers; a row gives at least its code and levels
    (``Tên TTHC`` and ``Lĩnh vực`` default to a name from the code and "Hộ tịch")."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CATALOGUE_HEADERS, delimiter=delimiter)
        writer.writeheader()
        for row in rows:
            defaults = {"Tên TTHC": f"Thủ tục {row.get('Mã TTHC', '')}", "Lĩnh vực": "Hộ tịch"}
            writer.writerow({h: row.get(h, defaults.get(h, "")) for h in CATALOGUE_HEADERS})
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TEST_USER, TEST_PASSWORD = "tester", "test-password-1"


def add_user(db: Path, name: str, role: str, password: str, unit: str | None = None) -> None:
    """``python app.py user add`` with the password on stdin, like a provisioning script."""
    args = ["app.py", "user", "add", name, "--role", role, "--db", str(db)] + (["--unit", unit] if unit else [])
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env(), input=password + "\n", capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0 and "exists already" not in done.stderr:
        raise AssertionError(f"user add {name}: {done.stdout}{done.stderr}")


def create_token(db: Path, name: str) -> str:
    return json.loads(run("app.py", "token", "create", name, "--db", str(db)).stdout)["token"]


def sign_in(base_url: str, name: str, password: str) -> requests.Session:
    """A requests session signed in through the real log-in form (its CSRF token included)."""
    session = requests.Session()
    form = session.get(base_url + "/login", timeout=30).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = session.post(base_url + "/login", data={"csrf": csrf, "username": name, "password": password},
                            allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise AssertionError(f"sign-in as {name} refused: {response.status_code}")
    return session


class AppProcess:
    """A real ``python app.py`` serving a warehouse on a free port, with an admin account for the tests
    (``session``: signed in; ``get``: a signed-in GET; ``new_page``: a signed-in browser page)."""

    def __init__(self, db: Path, extra_env: dict[str, str] | None = None, port: int | None = None,
                 create_test_user: bool = True, args: tuple[str, ...] = ()) -> None:
        self.db = db
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._session: requests.Session | None = None
        if create_test_user:
            add_user(db, TEST_USER, "admin", TEST_PASSWORD)
        self.log = open(db.parent / f"app-{self.port}.log", "w")
        # Never the checkout's own data/inbox: a test app must not load files waiting there.
        isolated = {"IOC_INBOX_DIR": str(db.parent / f"inbox-{self.port}"), "IOC_SCHEDULER_IN_APP": "false"}
        self.process = subprocess.Popen([sys.executable, "app.py", "--db", str(db), "--port", str(self.port), *args],
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

    def output(self) -> str:
        """What the app printed so far (stdout and stderr)."""
        self.log.flush()
        return Path(self.log.name).read_text()

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = sign_in(self.url, TEST_USER, TEST_PASSWORD)
        return self._session

    @property
    def bearer(self) -> dict[str, str]:
        """API headers with a token of the test account (``python app.py token create``)."""
        if not hasattr(self, "_token"):
            self._token = create_token(self.db, TEST_USER)
        return {"Authorization": f"Bearer {self._token}"}

    @property
    def wall_token(self) -> str:
        """A token of a ``wall`` account, for ``/wall?token=...``."""
        if not hasattr(self, "_wall_token"):
            add_user(self.db, "wall-test", "wall", TEST_PASSWORD)
            self._wall_token = create_token(self.db, "wall-test")
        return self._wall_token

    def api_kpi(self, params: dict, timeout: float = 30) -> requests.Response:
        return requests.get(self.url + "/api/kpi", params=params, headers=self.bearer, timeout=timeout)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.url + path, timeout=kwargs.pop("timeout", 30), **kwargs)

    def new_page(self, chromium, **kwargs):
        """A browser page (own context) holding this app's signed-in session cookie."""
        context = chromium.new_context(**kwargs)
        context.add_cookies([{"name": c.name, "value": c.value, "url": self.url} for c in self.session.cookies])
        return context.new_page()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def router_body(pathname: str, search: str = "") -> dict:
    """The request body of Dash's page-router callback for ``pathname``."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def render_page(app: AppProcess, pathname: str, search: str = "", session: requests.Session | None = None) -> dict:
    """Ask the running app for a page's content the way the browser does (Dash's page router callback)."""
    response = (session or app.session).post(app.url + "/_dash-update-component", json=router_body(pathname, search),
                                             timeout=30)
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


def xlsx_download(page, button: str, tmp_path: Path):
    """Click the export ``button`` and read the XLSX the browser downloads: (its file name, its sheet)."""
    import polars as pl

    with page.expect_download() as download:
        page.click(button)
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return download.value.suggested_filename, pl.read_excel(path, engine="calamine")


SETTLED = ("() => document.querySelector('#_pages_content > *') !== null"
           " && document.querySelector('[data-dash-is-loading=\"true\"]') === null")


def open_settled(page, url: str) -> None:
    """Go to ``url`` and wait until Dash's router and callbacks have drawn the page: "networkidle" alone
    passes in the gap between two callbacks on a busy machine."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(SETTLED)


def open_page(chromium, app, path: str, size=(1366, 768)):
    """A signed-in page of ``app`` at ``path``, drawn, and the list its console errors go to."""
    page = app.new_page(chromium, viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_settled(page, app.url + path)
    return page, errors
