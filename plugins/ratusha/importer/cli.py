"""`ratusha-import`: bring an old portal's archive into content/ (docs/import.md).

Exit codes: 0 imported (the report may still list items it could not map: read it);
1 nothing could be read, or the configuration is wrong (a department slug that does not
exist, an unknown layout); 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from ratusha.core.acts import ACT_STATUSES, IN_FORCE

from .fetch import Fetcher
from .model import KINDS, Item, Report
from .sources import LAYOUTS, Layout, crawl, read_feeds, read_wxr, sitemap_addresses
from .writer import DepartmentTable, Importer

__all__ = ["main", "run"]


def parser() -> argparse.ArgumentParser:
    """Return the command line's parser."""
    shipped = ", ".join(sorted(p.stem for p in LAYOUTS.glob("*.yml")))
    cli = argparse.ArgumentParser(prog="ratusha-import", description=__doc__.splitlines()[0])
    source = cli.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--feed", action="append", metavar="URL|FILE|DIR", help="an RSS/Atom feed, a saved one, or a folder of them"
    )
    source.add_argument("--wxr", type=Path, metavar="FILE", help="a WordPress export (Tools → Export)")
    source.add_argument(
        "--sitemap",
        metavar="URL",
        help="crawl the pages a sitemap.xml lists (or the site's root: its robots.txt names it)",
    )
    source.add_argument("--urls", type=Path, metavar="FILE", help="crawl the addresses in a file, one a line")
    cli.add_argument("--layout", help=f"the old site's page layout for a crawl: {shipped}, or a YAML file")
    cli.add_argument(
        "--departments", type=Path, metavar="FILE", help="the mapping table of department names to slugs (YAML)"
    )
    cli.add_argument("--type", default="news", choices=KINDS, help="what feed entries become (default: news)")
    cli.add_argument("--act-status", default=IN_FORCE, choices=tuple(ACT_STATUSES), help="the status of imported acts")
    cli.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content)")
    cli.add_argument(
        "--municipality", type=Path, help="its data file, for the time zone (default: CONTENT/municipality.yml)"
    )
    cli.add_argument(
        "--delay", type=float, default=1.0, help="seconds between requests (robots.txt's Crawl-delay wins if longer)"
    )
    cli.add_argument("--max-pages", type=int, default=2000, help="crawl at most this many pages")
    cli.add_argument(
        "--max-requests", type=int, default=20000, help="and make at most this many requests, files included"
    )
    cli.add_argument("--report", type=Path, metavar="FILE", help="also write the report as JSON")
    cli.add_argument("--no-progress", action="store_true", help="no progress bar")
    return cli


def run(args: argparse.Namespace, out=sys.stdout) -> int:
    """Import as ``args`` say; print the report; return the exit code."""
    content = args.content
    data_file = args.municipality or content / "municipality.yml"
    if not content.is_dir() or not data_file.is_file():
        print(f"Нет папки содержимого или {data_file} / no content folder or data file", file=sys.stderr)
        return 1
    timezone = ZoneInfo((yaml.safe_load(data_file.read_text(encoding="utf-8")) or {}).get("timezone") or "UTC")
    table = DepartmentTable.load(args.departments)
    report = Report()
    with Fetcher(delay=args.delay, max_requests=args.max_requests) as fetcher:
        importer = Importer(
            content, timezone=timezone, departments=table, fetcher=fetcher, act_status=args.act_status, report=report
        )
        missing = importer.missing_departments()
        if missing:
            print(
                f"В content/departments нет подразделений / no such departments: {', '.join(missing)}", file=sys.stderr
            )
            return 1
        items: Iterable[Item]
        if args.wxr:
            items = read_wxr(args.wxr, report)
        elif args.feed:
            items = read_feeds(args.feed, args.type, fetcher, report)
        else:
            if not args.layout:
                print("Для обхода сайта нужна --layout / a crawl needs --layout", file=sys.stderr)
                return 2
            try:
                layout = Layout.load(args.layout)
            except (OSError, ValueError, KeyError) as error:
                print(f"Конфигурация {args.layout}: {error}", file=sys.stderr)
                return 1
            if args.urls:
                addresses = [line.strip() for line in args.urls.read_text(encoding="utf-8").splitlines()]
                addresses = [a for a in addresses if a and not a.startswith("#")]
            else:
                sitemap = args.sitemap
                if not sitemap.rstrip("/").endswith(".xml"):  # a site: robots.txt names its sitemaps
                    sitemap = (fetcher.sitemaps(sitemap) or [sitemap.rstrip("/") + "/sitemap.xml"])[0]
                addresses = sitemap_addresses(sitemap, fetcher, report)
            items = crawl(addresses, layout, fetcher, report, max_pages=args.max_pages, progress=not args.no_progress)
        try:
            for item in items:
                importer.write(item)
        finally:  # an interrupted import keeps the redirects of what it wrote
            importer.finish()
    print(report.text(), file=out)
    if args.report:
        args.report.write_text(report.json(), encoding="utf-8")
    written = sum(report.created.values()) + sum(report.updated.values()) + sum(report.unchanged.values())
    return 0 if written or not (report.skipped or report.not_fetched) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the console script."""
    return run(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
