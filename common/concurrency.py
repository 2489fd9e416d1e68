"""Running independent parts of an answer at once, each as the same caller."""
from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Any


def concurrently(*parts: Callable[[], Any]) -> list[Any]:
    """Each of ``parts()`` at once, results in order: a page's independent figures and charts,
    or a query layer's independent queries.

    Most of an uncached part is DuckDB planning and running its query, which releases the GIL, so a page
    of four parts costs about its slowest two on two cores instead of all four in turn. Each part runs in
    a copy of the caller's context (Flask keeps the request and the signed-in caller in context
    variables), so it asks as the same caller with the same scope; the first error is raised here.
    """
    if len(parts) < 2:
        return [part() for part in parts]
    results: list[Any] = [None] * len(parts)
    errors: list[BaseException] = []

    def run(i: int, part: Callable[[], Any], context: contextvars.Context) -> None:
        try:
            results[i] = context.run(part)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, part, contextvars.copy_context()), daemon=True)
               for i, part in enumerate(parts[1:], start=1)]
    for thread in threads:
        thread.start()
    run(0, parts[0], contextvars.copy_context())  # the caller's thread does a share of the work
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
