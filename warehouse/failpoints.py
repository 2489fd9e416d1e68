"""Named points in a load where a test can stop the process dead (SIGKILL) to prove crash safety.

Setting ``IOC_FAILPOINT=<name>`` makes the process announce ``FAILPOINT <name>`` on stderr at
that point and wait there; in normal runs each point costs one dictionary lookup.
"""
from __future__ import annotations

import os
import sys
import time

POINTS = ("copied", "chunk_inserted", "applied", "closed", "renamed", "linked")


def failpoint(name: str) -> None:
    if os.environ.get("IOC_FAILPOINT") == name:
        print(f"FAILPOINT {name}", file=sys.stderr, flush=True)
        time.sleep(3600)
