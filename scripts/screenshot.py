"""Screenshots of pages in headless Chromium, for looking at what we build.

    python scripts/screenshot.py URL OUT.png [--size 1366x768] [--full-page] [--user NAME --password PW]

Pages need a signed-in user: give ``--user``/``--password`` (or ``IOC_SHOT_USER``/``IOC_SHOT_PASSWORD``),
or a wall URL with its ``token``.
"""
from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def sign_in(page, base_url: str, user: str, password: str) -> None:
    """Sign in through the real log-in form, so the page's context holds the session cookie."""
    page.goto(base_url.rstrip("/") + "/login", wait_until="domcontentloaded")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")
    if "/login" in page.url:
        raise RuntimeError(f"could not sign in as {user!r}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--wait", type=float, default=1.5, help="seconds to wait after the page settles")
    parser.add_argument("--user", default=os.environ.get("IOC_SHOT_USER"))
    parser.add_argument("--password", default=os.environ.get("IOC_SHOT_PASSWORD"))
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        if args.user:
            parts = urlsplit(args.url)
            sign_in(page, f"{parts.scheme}://{parts.netloc}", args.user, args.password or "")
        page.goto(args.url, wait_until="networkidle")
        page.wait_for_timeout(args.wait * 1000)
        page.screenshot(path=args.out, full_page=args.full_page)
        browser.close()
    for e in errors:
        print("console error:", e, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
