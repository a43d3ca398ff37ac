"""Every task a person runs on a Ratusha site: `invoke --list` shows them.

The Makefile only creates the virtual environment and calls these tasks, so `make build`
and `invoke build` are the same thing.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
CONFIG = {
    "settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "content": ROOT / "content",
    "output": ROOT / "output",
    "host": "127.0.0.1",
    "port": 8000,
}
PY = sys.executable


def run_pelican(settings_file: Path, output: Path, **overrides: object) -> None:
    """Build the site in this process; print content errors plainly, without a traceback."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from pelican import Pelican  # noqa: PLC0415
    from pelican.log import init_logging  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    from content_model import BuildStopped  # noqa: PLC0415
    from front_matter import ContentError  # noqa: PLC0415

    init_logging(level=logging.WARNING)
    os.chdir(ROOT)
    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output), **overrides})
    try:
        Pelican(settings).run()
    except BuildStopped as stopped:
        for problem in stopped.problems:
            print(problem, file=sys.stderr)
        raise Exit(
            f"Сборка остановлена: ошибок {len(stopped.problems)}; сайт в {output} не изменён.\n"
            f"Build stopped: {len(stopped.problems)} error(s); the site in {output} was not changed.",
            code=1,
        ) from None
    except ContentError as problem:  # e.g. in the municipality data file
        raise Exit(
            f"{problem}\nСборка остановлена; сайт не изменён. / Build stopped; the site was not changed.",
            code=1,
        ) from None


@task
def build(c, output=None):
    """Build the site into output/ (the previous site stays if the build fails)."""
    run_pelican(CONFIG["settings"], Path(output or CONFIG["output"]))


@task
def publish_build(c, output=None):
    """Build the site for publishing: absolute URLs at the municipality's address."""
    run_pelican(CONFIG["publish_settings"], Path(output or CONFIG["output"]))


@task
def serve(c, port=None, host=None, build_first=True):
    """Build the demo site and serve it on http://127.0.0.1:8000."""
    if build_first:
        build(c)
    port = int(port or CONFIG["port"])
    host = host or CONFIG["host"]
    print(f"Сайт: http://{host}:{port}/  (Ctrl+C — остановить)")
    c.run(
        f"{PY} -m pelican --listen --bind {host} --port {port} -s {CONFIG['settings']} -o {CONFIG['output']}",
        pty=sys.stdout.isatty(),
    )


@task
def test(c, k=None, verbose=False):
    """Run the whole test suite."""
    args = ["-q"] if not verbose else ["-v"]
    if k:
        args += ["-k", f'"{k}"']
    c.run(f"{PY} -m pytest {' '.join(args)}", pty=sys.stdout.isatty())


@task
def lint(c):
    """Check the code with ruff (lint and formatting)."""
    c.run(f"{PY} -m ruff check .")
    c.run(f"{PY} -m ruff format --check .")


@task
def format(c):
    """Format the code with ruff and fix what ruff can fix."""
    c.run(f"{PY} -m ruff check --fix .")
    c.run(f"{PY} -m ruff format .")


@task
def clean(c):
    """Remove the built site and the content cache."""
    for path in (CONFIG["output"], ROOT / "cache", ROOT / "output.staging", ROOT / "output.old"):
        shutil.rmtree(path, ignore_errors=True)
