"""Leave the wall running in headless Chromium and sample its JS heap, to catch leaks.

    PYTHONPATH=. python scripts/wall_soak.py URL --minutes 10 [--size 1920x1080]

Prints the used JS heap (after a forced garbage collection) at the start and every minute.
"""
from __future__ import annotations

import argparse
import time

from playwright.sync_api import sync_playwright

from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS


def heap_mb(session) -> float:
    session.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        session = page.context.new_cdp_session(page)
        session.send("Performance.enable")
        page.goto(args.url, wait_until="networkidle")
        page.wait_for_timeout(5000)
        start = heap_mb(session)
        print(f"minute 0: {start:.1f} MB", flush=True)
        deadline = time.monotonic() + args.minutes * 60
        minute = 0
        while time.monotonic() < deadline:
            page.wait_for_timeout(60_000)
            minute += 1
            print(f"minute {minute}: {heap_mb(session):.1f} MB", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
