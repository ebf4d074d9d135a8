"""Functions the pool tests run inside worker processes (kept import-light on purpose)."""

from __future__ import annotations

import os
import signal
import time

from graph.store import Store


def pid(store: Store) -> int:
    return os.getpid()


def segfault(store: Store) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def sleep(store: Store, seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def count(store: Store) -> int:
    return len(store)
