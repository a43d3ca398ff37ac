"""Forked worker processes for the parts of a build that use one core each (reading, pages).

Pelican has no parallel mode. A forked child starts with the parent's whole state (the
settings, every item read so far, the Jinja environment, the build's fingerprints) without
pickling any of it, so a generator can hand a slice of its work to a child as a plain
function of what it already holds. What a child sends back is pickled once per message,
and the objects both sides already share (the settings, the context) are sent as
references (:class:`Shared`): an item read in a child comes back attached to the parent's
settings and context, not to copies of them.

``gc.freeze()`` before each fork keeps the collectors of both sides from touching every
object the parent holds, so the child's pages stay shared with the parent's until one of
them writes to them.

A child that raises, or ends without its results (killed, out of memory), fails the
parent with :class:`WorkerFailed`; a task that wants the parent to raise its own
exceptions (the first error in the serial order) sends them as results (``portable``).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import selectors
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["Shared", "Worker", "WorkerFailed", "collect", "fork", "portable"]

_FRAME = struct.Struct("!Qc")  # payload length, kind: b"R" a result, b"E" the child's failure


class WorkerFailed(RuntimeError):
    """A worker process raised, or ended without sending all it had to."""


class Shared:
    """Objects that parent and children both hold, pickled as references to them.

    Built in the parent before the fork, so each child holds the same list in the same order.
    """

    def __init__(self, objects: Sequence[Any] = ()) -> None:
        self.objects = list(objects)
        self._ids = {id(value): index for index, value in enumerate(self.objects)}

    def dumps(self, value: Any) -> bytes:
        """Pickle ``value``, every shared object in it as a reference."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        ids = self._ids
        pickler.persistent_id = lambda obj: ids.get(id(obj))  # type: ignore[method-assign]
        pickler.dump(value)
        return buffer.getvalue()

    def loads(self, data: bytes) -> Any:
        """Unpickle what :meth:`dumps` made, the references resolved to this side's objects."""
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = self.objects.__getitem__  # type: ignore[method-assign]
        return unpickler.load()


def portable(error: BaseException) -> BaseException:
    """Return ``error`` if it survives pickling, else a RuntimeError with the same message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # an exception holding what cannot be pickled
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


class Worker:
    """One forked child: its process id and the pipe it sends its results through."""

    def __init__(self, number: int, pid: int, pipe: int) -> None:
        self.number = number
        self.pid = pid
        self.pipe = pipe
        self.buffer = bytearray()
        self.failure: str | None = None


Emit = Callable[[Any], None]


def fork(number: int, task: Callable[[Emit], None], shared: Shared) -> Worker:
    """Start ``task(emit)`` in a forked child; each ``emit(value)`` sends one pickle back.

    The child ends with ``os._exit``: it runs none of the parent's clean-ups (``atexit``,
    ``finally`` blocks further up, Pelican's end of the run).
    """
    for stream in (sys.stdout, sys.stderr):  # or the child would print the parent's buffer again
        stream.flush()
    read, write = os.pipe()
    gc.freeze()
    pid = os.fork()
    if pid:
        os.close(write)
        return Worker(number, pid, read)
    code = 1
    try:
        os.close(read)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent reports an interrupted build

        def emit(value: Any) -> None:
            _send(write, b"R", shared.dumps(value))

        task(emit)
        code = 0
    except BaseException:  # the parent reports it
        with contextlib.suppress(BaseException):  # or the parent sees the exit code alone
            _send(write, b"E", traceback.format_exc().encode())
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


def _send(pipe: int, kind: bytes, payload: bytes) -> None:
    view = memoryview(_FRAME.pack(len(payload), kind) + payload)
    while view:
        view = view[os.write(pipe, view) :]


def collect(workers: Sequence[Worker], shared: Shared) -> Iterator[tuple[int, Any]]:
    """Yield ``(worker number, value)`` for each value the workers send, as it arrives.

    Every child is waited for; the first that failed raises :class:`WorkerFailed` once all
    have ended (the values sent before are yielded).
    """
    try:
        yield from _read_all(workers, shared)
    finally:
        for worker in workers:  # left early: a child blocked on a full pipe ends on EPIPE
            if worker.pipe >= 0:
                os.close(worker.pipe)
                worker.pipe = -1
        failures = [_wait(worker) for worker in workers]
        gc.unfreeze()
    failed = [f for f in failures if f]
    if failed:
        raise WorkerFailed(failed[0])


def _read_all(workers: Sequence[Worker], shared: Shared) -> Iterator[tuple[int, Any]]:
    with selectors.DefaultSelector() as selector:
        for worker in workers:
            selector.register(worker.pipe, selectors.EVENT_READ, worker)
        open_pipes = len(workers)
        while open_pipes:
            for key, _ in selector.select():
                worker: Worker = key.data
                chunk = os.read(worker.pipe, 1 << 20)
                if not chunk:
                    selector.unregister(worker.pipe)
                    os.close(worker.pipe)
                    worker.pipe = -1
                    open_pipes -= 1
                    continue
                worker.buffer += chunk
                yield from _frames(worker, shared)


def _frames(worker: Worker, shared: Shared) -> Iterator[tuple[int, Any]]:
    buffer = worker.buffer
    while len(buffer) >= _FRAME.size:
        length, kind = _FRAME.unpack_from(buffer)
        end = _FRAME.size + length
        if len(buffer) < end:
            return
        payload = bytes(buffer[_FRAME.size : end])
        del buffer[:end]
        if kind == b"E":
            worker.failure = payload.decode(errors="replace")
        else:
            yield worker.number, shared.loads(payload)


def _wait(worker: Worker) -> str | None:
    """Wait for a child to end; return what went wrong with it, or None."""
    _, status = os.waitpid(worker.pid, 0)
    if worker.failure is not None:
        return f"worker process {worker.number} failed:\n{worker.failure}"
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return f"worker process {worker.number} was killed ({name}) before it sent its results"
    if os.WEXITSTATUS(status):
        return f"worker process {worker.number} ended with code {os.WEXITSTATUS(status)}"
    return None
