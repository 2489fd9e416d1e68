"""Production shape: gunicorn workers (real processes) serve the API; none starts a scheduler."""
from __future__ import annotations

import subprocess
import sys
import time

import requests

from tests.support import ROOT, TEST_PASSWORD, TEST_USER, add_user, cli_kpi, create_token, env, free_port

QUERY = {"from": "2024-03-01", "to": "2024-04-30", "unit": "703"}


def test_gunicorn_workers_answer_like_the_cli(sample_db, tmp_path):
    add_user(sample_db, TEST_USER, "admin", TEST_PASSWORD)
    headers = {"Authorization": f"Bearer {create_token(sample_db, TEST_USER)}"}
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "dashboards.wsgi:server"],
        cwd=ROOT, env=env() | {"IOC_DB_PATH": str(sample_db), "IOC_SCHEDULER_IN_APP": "false",
                               "IOC_INBOX_DIR": str(tmp_path / "inbox")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        answers, anonymous = [], []
        while time.monotonic() < deadline and len(answers) < 20:
            try:
                url = f"http://127.0.0.1:{port}/api/kpi"
                answers.append(requests.get(url, params=QUERY, headers=headers, timeout=10).json())
                anonymous.append(requests.get(url, params=QUERY, timeout=10).status_code)
            except requests.ConnectionError:
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=20)
    expected = cli_kpi(sample_db, *(a for k, v in QUERY.items() for a in (f"--{k}", v)))
    assert len(answers) == 20 and all(a == expected for a in answers)
    assert set(anonymous) == {401}  # every worker asks for a log-in
    assert not (tmp_path / "inbox").exists()  # no scheduler ran an inbox pass
