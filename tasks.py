"""Every task a person runs on a Ratusha site: `invoke --list` shows them.

The Makefile only creates the virtual environment and calls these tasks, so `make build`
and `invoke build` are the same thing.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shlex
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
    """Build the site in this process; one line per warning, a summary at the end, no traceback."""
    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    from ratusha.core.dates import ru_plural  # noqa: PLC0415
    from ratusha.core.errors import BuildStopped, ContentError  # noqa: PLC0415
    from ratusha.core.log import BuildReport, quiet_pelican, setup_logging  # noqa: PLC0415

    setup_logging()
    os.chdir(ROOT)
    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output), **overrides})
    try:
        with quiet_pelican(), BuildReport() as built:
            Pelican(settings).run()
    except BuildStopped as stopped:
        for problem in stopped.problems:
            print(problem, file=sys.stderr)
        count = len(stopped.problems)
        raise Exit(
            f"Сборка остановлена: {ru_plural(count, 'ошибка', 'ошибки', 'ошибок')}; сайт в {output} не изменён.\n"
            f"Build stopped: {count} error(s); the site in {output} was not changed.",
            code=1,
        ) from None
    except ContentError as problem:  # e.g. in the municipality data file
        raise Exit(
            f"{problem}\nСборка остановлена; сайт не изменён. / Build stopped; the site was not changed.",
            code=1,
        ) from None
    print(built.summary())


def report(problems: list) -> int:
    """Print problems as file:line: field: message; return the number of errors."""
    from ratusha.core.log import label  # noqa: PLC0415

    errors = 0
    for problem in problems:
        print(f"{problem}  [{label(problem.severity)}]", file=sys.stderr)
        errors += problem.severity == "error"
    return errors


@task
def check(c, content=None):
    """Check all content without building: schema, references, files, dates (a few seconds)."""
    from ratusha.content_model.editor import check_content  # noqa: PLC0415
    from ratusha.core.dates import ru_plural  # noqa: PLC0415
    from ratusha.core.errors import ContentError  # noqa: PLC0415
    from ratusha.core.log import setup_logging  # noqa: PLC0415

    setup_logging()
    os.chdir(ROOT)
    try:
        overrides = {"PATH": str(Path(content).resolve())} if content else {}
        problems = check_content(str(CONFIG["settings"]), **overrides)
    except ContentError as problem:  # the municipality data file itself
        raise Exit(str(problem), code=1) from None
    errors = report(problems)
    warnings = len(problems) - errors
    said = ru_plural(warnings, "предупреждение", "предупреждения", "предупреждений") if warnings else ""
    said = said or "предупреждений нет"
    if errors:
        found = ru_plural(errors, "ошибка", "ошибки", "ошибок")
        raise Exit(f"Найдено: {found}, {said}. / {errors} error(s), {warnings} warning(s).", code=1)
    print(f"Ошибок нет, {said}. / Content OK, {warnings} warning(s).")


@task(
    help={
        "kind": "тип / type: news, act, announcement, answer, department, page",
        "title": "заголовок в кавычках / the title, in quotes",
        "department": "подразделение: имя файла из content/departments/ без .md / the department's slug",
        "parent": "вышестоящее подразделение (для department) / the parent department",
    },
)
def new(c, kind, title, department="", number="", act_type="", place="", question="", parent="", slug=""):
    """Новый материал по шаблону его типа: invoke new ТИП "Заголовок" --department=имя.

    ТИП: news (новость), act (правовой акт), announcement (анонс), answer («Глава в ответе»),
    department (подразделение), page (страница). Пример: invoke new news "Открыт каток"
    --department=kultura. Файл появляется в content/<папка типа>/, существующий не перезаписывается.
    Create a new item from its type's template.
    """
    from pelican.settings import read_settings  # noqa: PLC0415

    from ratusha.content_model.editor import new_item, new_usage  # noqa: PLC0415
    from ratusha.core.errors import ContentError  # noqa: PLC0415
    from ratusha.municipality import data_file, load_municipality  # noqa: PLC0415

    if not kind.strip() or not title.strip():  # `make new` with TYPE or TITLE left empty
        raise Exit(new_usage(kind), code=1)
    try:
        municipality = load_municipality(data_file(read_settings(str(CONFIG["settings"]))))
    except ContentError as problem:
        raise Exit(str(problem), code=1) from None
    options = {"department": department, "number": number, "act_type": act_type, "place": place}
    options.update({"question": question, "parent": parent, "slug": slug})
    try:
        path = new_item(CONFIG["content"], kind, title, municipality["timezone"], **options)
    except ContentError as problem:
        raise Exit(str(problem), code=1) from None
    print(f"Создан файл / created: {path.relative_to(ROOT)}")
    print("Заполните поля с пометкой «обязательно», затем проверьте: make check (или invoke check)")


@task
def build(c, output=None):
    """Build the site into output/ (the previous site stays if the build fails)."""
    run_pelican(CONFIG["settings"], Path(output or CONFIG["output"]))


@task
def publish_build(c, output=None):
    """Build the site for publishing: absolute URLs at the municipality's address."""
    run_pelican(CONFIG["publish_settings"], Path(output or CONFIG["output"]))


@task(help={"target": "a name in RATUSHA_PUBLISH_TARGETS (publishconf.py)", "dry_run": "only list changes"})
def publish(c, target=None, dry_run=False, output=None, content=None):
    """Build with publishconf.py and deploy: assets, then pages, then feeds, deletions last."""
    from pelican.settings import read_settings  # noqa: PLC0415

    from ratusha import publish as publishing  # noqa: PLC0415

    output = Path(output or CONFIG["output"])
    overrides = {"PATH": str(Path(content).resolve())} if content else {}
    run_pelican(CONFIG["publish_settings"], output, **overrides)  # raises Exit: a failed build never deploys
    settings = read_settings(str(CONFIG["publish_settings"]))
    if os.environ.get("RATUSHA_PUBLISH_TARGETS"):  # JSON, for operators' scripts and the tests
        settings["RATUSHA_PUBLISH_TARGETS"] = json.loads(os.environ["RATUSHA_PUBLISH_TARGETS"])
    try:
        chosen = publishing.target_from_settings(settings, target)
        report = publishing.publish(output, chosen, dry_run=dry_run)
    except publishing.PublishError as error:
        raise Exit(f"Публикация не удалась / publishing failed: {error}", code=1) from None
    verb = "would change" if dry_run else "changed"
    for phase, changes in report.items():
        print(f"[{phase}] {len(changes)} {verb}")
        for change in changes:
            print(f"  {change}")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as nginx does here: index.html for folders, the 404 page."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing address with the site's own 404 page (Pelican's server sends nothing)."""
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@task(help={"build_first": "build the demo first (default)", "output": "the folder to serve (default output/)"})
def serve(c, port=None, host=None, build_first=True, output=None):
    """Build the demo site and serve it on http://127.0.0.1:8000."""
    if build_first:
        build(c, output)
    port = int(port or CONFIG["port"])
    host = host or CONFIG["host"]
    handler = functools.partial(SiteHandler, directory=str(output or CONFIG["output"]))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"Сайт: http://{host}:{port}/  (Ctrl+C — остановить)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends it quietly
            server.serve_forever()


@task
def preview(c, port=None, host=None, content=None, output=None, cache=None):
    """Serve the site; on a save, serve the edited page at once, then rebuild the rest (http://127.0.0.1:8000)."""
    from ratusha.preview.cli import main  # noqa: PLC0415

    args = [f"--settings={CONFIG['settings']}", f"--port={port or CONFIG['port']}", f"--host={host or CONFIG['host']}"]
    args += [f"--content={content or CONFIG['content']}", f"--output={output or CONFIG['output']}"]
    if cache:
        args.append(f"--cache={cache}")
    raise Exit(code=main(args))


@task
def test(c, k=None, verbose=False):
    """Run the whole test suite."""
    args = ["-q"] if not verbose else ["-v"]
    if k:
        args += ["-k", f'"{k}"']
    c.run(f"{PY} -m pytest {' '.join(args)}", pty=sys.stdout.isatty())


@task
def settings_table(c):
    """Print the README's settings table, generated from each plugin's DEFAULTS."""
    from pelican.settings import read_settings  # noqa: PLC0415

    from ratusha.core.settings import settings_table as table  # noqa: PLC0415

    print(table(read_settings(str(CONFIG["settings"]))["PLUGINS"]), end="")


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
    leftovers = ("output.staging", "output.old", "output.old.removing")  # of ratusha.core.output
    for path in (CONFIG["output"], ROOT / "cache", *(ROOT / name for name in leftovers)):
        shutil.rmtree(path, ignore_errors=True)


@task(
    help={
        "sizes": "comma-separated numbers of items (default 1000,10000,50000)",
        "shapes": "corpus shapes, comma-separated: city,news (default: both)",
        "repeat": "run the full builds of Ratusha and bare Pelican as K alternating pairs (median of pairs)",
        "repeat_up_to": "with --repeat: repeat only at sizes up to this one (default: every size)",
        "peers_up_to": "bare Pelican, Hugo, the core build and Pagefind only at sizes up to this one",
        "cap": "shapes run only up to a size, e.g. news=10000 (comma-separated)",
        "quick": "only 1,000 items of each shape: a smoke run of a few minutes",
        "scenarios": "a subset, e.g. ratusha-full,pelican-full (default: all)",
        "keep": "keep the generated corpora and outputs in bench/work/",
        "work": "where corpora and outputs are made (default bench/work/)",
        "results": "where results.json, results.md and the plot go (default bench/results/)",
    }
)
def bench(
    c,
    sizes="1000,10000,50000",
    shapes="city,news",
    repeat=1,
    repeat_up_to=0,
    peers_up_to=0,
    cap="",
    quick=False,
    scenarios="",
    keep=False,
    work=None,
    results=None,
):
    """Benchmark Ratusha against bare Pelican and Hugo; writes bench/results/ (see bench/run.py)."""
    args = ["--quick"] if quick else ["--sizes", sizes]
    args += ["--shapes", shapes, "--repeat", str(int(repeat)), "--repeat-up-to", str(int(repeat_up_to))]
    if scenarios:
        args += ["--scenarios", scenarios]
    if int(peers_up_to):
        args += ["--peers-up-to", str(int(peers_up_to))]
    for limit in filter(None, cap.split(",")):  # --cap news=10000[,city=50000]
        args += ["--cap", limit]
    if keep:
        args.append("--keep")
    for option, value in (("--work", work), ("--results", results)):
        if value:
            args += [option, shlex.quote(str(Path(value).resolve()))]
    c.run(f"cd {ROOT} && {PY} -m bench.run {' '.join(args)}", pty=sys.stdout.isatty())


@task(
    help={
        "config": "the cross-posting configuration (default: crosspost.yml)",
        "feeds": "the built site folder or its URL (default: the config's 'feeds', output/)",
        "channel": "only these channels, comma-separated (telegram,vk)",
        "dry_run": "print what would be sent to each channel; send and record nothing",
        "state_dir": "where the per-channel state lives (default: the config's 'state_dir')",
        "init": "start the channels: record the items now in their feeds as published, post nothing",
        "recover": "with --init: rebuild a lost or corrupt state from the journal",
        "force": "with --init: start a channel the journal knows afresh (its pending items are never posted)",
        "status": "show each channel's health as a table and exit",
        "json": "with --status: one JSON document, for monitoring",
        "mark_sent": "record this uncertain item (its guid) as posted; needs one --channel",
        "resend": "post this item (its guid) again on the next run; needs one --channel",
        "verbose": "log each post",
    }
)
def crosspost(
    c,
    config="crosspost.yml",
    feeds=None,
    channel=None,
    dry_run=False,
    state_dir=None,
    verbose=False,
    init=False,
    recover=False,
    force=False,
    status=False,
    json=False,
    mark_sent=None,
    resend=None,
):
    """Post each new feed item once to Telegram, VK, OK and MAX; init, status (docs/crosspost.md)."""
    from ratusha.crosspost.cli import main  # noqa: PLC0415

    args = ["init"] if init else []
    args += ["--config", str(ROOT / config if not Path(config).is_absolute() else config)]
    for name in filter(None, (channel or "").split(",")):
        args += ["--channel", name.strip()]
    for option, value in (
        ("--feeds", feeds),
        ("--state-dir", state_dir),
        ("--mark-sent", mark_sent),
        ("--resend", resend),
    ):
        if value:
            args += [option, value]
    flags = {
        "--recover": recover,
        "--force": force,
        "--status": status,
        "--json": json,
        "--dry-run": dry_run,
        "--verbose": verbose,
    }
    args += [flag for flag, on in flags.items() if on]
    code = main(args)
    if code:
        raise Exit(code=code)


@task(
    name="import",
    help={
        "args": "ratusha-import's arguments, in quotes: '--wxr export.xml --departments map.yml' (docs/import.md)",
    },
)
def import_(c, args=""):
    """Import an old portal's archive: feeds, a WordPress export or a crawl (docs/import.md)."""
    from ratusha.importer.cli import main  # noqa: PLC0415

    os.chdir(ROOT)
    code = main(shlex.split(args) or ["--help"])
    if code:
        raise Exit(code=code)


@task(help={"port": "the editor's port (default 8080)"})
def edit(c, port=8080):
    """Open the web editor (Decap CMS) on this repository's content, with its local backend."""
    from ratusha.content_model.webeditor import serve_editor  # noqa: PLC0415

    serve_editor(ROOT, CONFIG["content"], CONFIG["settings"], CONFIG["host"], int(port))


@task(help={"port": "the preview's port (default 8001)"})
def review(c, port=8001):
    """Build the reviewers' preview (items with status: review shown and marked) into output.review/ and serve it."""
    output = ROOT / "output.review"
    run_pelican(CONFIG["settings"], output, RATUSHA_SHOW_REVIEW=True, RATUSHA_PRECOMPRESS=False)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    with http.server.ThreadingHTTPServer((CONFIG["host"], int(port)), handler) as server:
        print(f"Предпросмотр для проверяющего / reviewers' preview: http://{CONFIG['host']}:{port}/")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
