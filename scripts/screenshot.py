"""Screenshots of pages in headless Chromium, for looking at what we build.

    python scripts/screenshot.py URL OUT.png [--size 1366x768] [--full-page]
"""
from __future__ import annotations

import argparse
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--wait", type=float, default=1.5, help="seconds to wait after the page settles")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(args.url, wait_until="networkidle")
        page.wait_for_timeout(args.wait * 1000)
        page.screenshot(path=args.out, full_page=args.full_page)
        browser.close()
    for e in errors:
        print("console error:", e, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
