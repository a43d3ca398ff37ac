"""One run at a time per state folder: an flock on ``<state_dir>/crosspost.lock``.

flock is released by the kernel when the process dies, however it dies, so a killed
run never leaves a stale lock behind (unlike a PID file). Two runs at once would both
see an item as pending and both post it; the second one exits with code 3 instead.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class Locked(Exception):
    """Another run holds the lock."""


class RunLock:
    """Context manager holding an exclusive, non-blocking flock."""

    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / "crosspost.lock"
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Locked(f"{self.path}: another cross-posting run is in progress") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
