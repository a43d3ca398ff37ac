"""Forked workers send their results back, attached to what the parent holds; failures are the parent's."""

from __future__ import annotations

import os
import signal

import pytest

from ratusha.core.workers import Shared, WorkerFailed, collect, fork


def test_results_come_back_with_shared_objects_as_the_parents_own() -> None:
    settings = {"SITENAME": "Посёлок"}
    shared = Shared([settings])
    big = "ы" * 200_000  # more than a pipe holds: the parent reads while the child writes
    workers = [
        fork(n, lambda emit, n=n: [emit({"n": n, "settings": settings, "big": big}) for _ in range(3)], shared)
        for n in range(2)
    ]
    got = list(collect(workers, shared))
    assert sorted(number for number, _ in got) == [0, 0, 0, 1, 1, 1]
    assert all(value["settings"] is settings and value["big"] == big for _, value in got)


def test_a_child_that_raises_fails_the_parent_with_its_traceback() -> None:
    def task(emit: object) -> None:
        raise ValueError("сломалось в шаблоне")

    with pytest.raises(WorkerFailed, match="сломалось в шаблоне"):
        list(collect([fork(0, task, Shared())], Shared()))


def test_a_killed_child_fails_the_parent() -> None:
    def task(emit: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(WorkerFailed, match=r"killed \(SIGKILL\)"):
        list(collect([fork(0, task, Shared())], Shared()))
