"""Pausing Python's cyclic garbage collector around work that builds many small objects.

Computing a sports day's standings or a calendar feed of thousands of events creates tens of
thousands of short-lived records that hold no reference cycles. Each 700 allocations start a
collection, and every so often a full one walks every object the process holds (the app, its
templates, its translations), which cost a third of the time of such a computation. Reference
counting still frees everything as usual while the collector is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block and restore it after, exceptions included.

    Nested and concurrent uses are safe: only the use that found the collector running starts
    it again, so it is never left off.
    """
    running = gc.isenabled()
    if running:
        gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
