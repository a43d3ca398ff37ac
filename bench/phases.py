"""Time the phases of one Ratusha build: wall and CPU seconds at each signal and finish step.

cProfile (``bench.profile``) says what the main process spends its time on, but not how long
each phase of the build takes on the wall clock, nor what the worker processes and the
indexing process cost. This prints, for one build of a corpus, a line at each Pelican signal
and each Ratusha log line that marks a phase (files read, item pages written, the end of each
generator's output, each finish step of ``ratusha.core.pipeline``) with the seconds since the
start and the CPU seconds used so far by this process and every child it has reaped
(``os.times()``), so that a phase's CPU is the difference of two lines. Children are reaped
at the end of their phase (workers) or in the ``search`` step (the indexer), which is where
their CPU appears.

Usage: python -m bench.phases CORPUS OUT [--no-search] [--workers N] [--edit FILE]

``--edit FILE`` keeps OUT's output and cache, changes one sentence of FILE (relative to the
corpus's ``ratusha/``, as the benchmark's edit scenario does) and times the rebuild.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from bench.corpus import BUILD_TIME, edit_item

ROOT = Path(__file__).resolve().parent.parent
STARTED = time.perf_counter()
#: Ratusha's log lines that mark the end of a phase.
MARKS = ("[pipeline]", "read by", "pages written by", "pages in the index", "reused,")
SIGNALS = ("initialized", "all_generators_finalized", "get_writer", "finalized")


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _line(what: str) -> str:
    return f"{time.perf_counter() - STARTED:8.2f} s  cpu {_cpu():8.2f} s  {what}"


class _Marks(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name.startswith("ratusha") and any(mark in message for mark in MARKS):
            print(_line(message), flush=True)


def _time_outputs(generators: list) -> None:
    """Print a line as each generator's ``generate_output`` ends (they run one after another)."""
    for generator in generators:
        write = getattr(generator, "generate_output", None)
        if write is None:
            continue

        def timed(writer: object, write=write, name: str = type(generator).__name__) -> None:
            write(writer)
            print(_line(f"{name}.generate_output"), flush=True)

        generator.generate_output = timed


def main() -> None:
    """Build CORPUS into OUT (emptied first) and print the phases."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus folder written by bench.corpus (its ratusha/ inside)")
    parser.add_argument("out", type=Path, help="a scratch folder for the output and cache (emptied, unless --edit)")
    parser.add_argument("--no-search", action="store_true", help="without the search index and precompression")
    parser.add_argument("--workers", type=int, default=0, help="RATUSHA_WORKERS (default: the setting's)")
    parser.add_argument("--edit", help="keep OUT, edit this item (relative to ratusha/) and time the rebuild")
    args = parser.parse_args()
    content = args.corpus / "ratusha"
    if args.edit:
        edit_item(content, args.edit)
    else:  # the old one is deleted once the build is timed (see bench.run.discard)
        aside = args.out.with_name(f"{args.out.name}.deleting")
        shutil.rmtree(aside, ignore_errors=True)
        if args.out.exists():
            args.out.rename(aside)
        args.out.mkdir(parents=True)
    os.environ["RATUSHA_MUNICIPALITY"] = str(content / "municipality.yml")
    os.chdir(ROOT)
    from pelican import Pelican, signals  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    for name in SIGNALS:
        getattr(signals, name).connect(lambda *_, name=name, **__: print(_line(name), flush=True), weak=False)
    signals.all_generators_finalized.connect(_time_outputs, weak=False)
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(args.out / "output"),
        "CACHE_PATH": str(args.out / "cache"),
        "RATUSHA_BUILD_TIME": BUILD_TIME,
        "RATUSHA_SEARCH": not args.no_search,
        "RATUSHA_PRECOMPRESS": not args.no_search,
    }
    if args.workers:
        overrides["RATUSHA_WORKERS"] = args.workers
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=overrides)
    logging.getLogger("ratusha").setLevel(logging.DEBUG)
    logging.getLogger("ratusha").addHandler(_Marks())
    Pelican(settings).run()
    print(_line("done"), file=sys.stdout, flush=True)
    shutil.rmtree(args.out.with_name(f"{args.out.name}.deleting"), ignore_errors=True)


if __name__ == "__main__":
    main()
