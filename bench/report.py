"""Turn bench/results/results.json into Markdown tables, the targets' verdicts and a plot.

Every ratio is computed from numbers of the same run on the same machine, never against
figures measured elsewhere; every verdict is computed from the measurements.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

LABELS = {
    "ratusha-full": "Ratusha, full build (empty output and cache)",
    "ratusha-core": "Ratusha, full build without search index and precompression",
    "pelican-full": "bare Pelican 4.12, full build (cache emptied)",
    "hugo-full": "Hugo, full build (paginated theme, bench/hugo-theme)",
    "ratusha-noop": "Ratusha, rebuild, nothing changed",
    "ratusha-edit": "Ratusha, rebuild after editing one item",
    "ratusha-add": "Ratusha, rebuild after adding one item",
    "pelican-edit": "bare Pelican, rebuild after the same edit (content cache)",
}
#: Rows that get a "÷ Hugo full" ratio: the rebuilds.
REBUILDS = ("ratusha-noop", "ratusha-edit", "ratusha-add", "pelican-edit")
#: The targets of issue 15 (the limits the verdicts are computed against).
FULL_VS_BARE = 1.0
EDIT_VS_HUGO = 0.5
EDIT_50K_SECONDS = 10.0
PREVIEW_50K_SECONDS = 1.0
QUERY_50K_BYTES = 100_000
MEMORY_50K_MB = 2048

NOTES = [
    "Times are wall-clock seconds, start-up included; before each scenario the benchmark flushes written "
    "data to disk (`sync`, not timed). «load before» is the 1-minute load average when it started.",
    "Memory: the peak of the whole process tree as the sum of PSS (proportional set size, "
    "/proc/PID/smaps_rollup), sampled every 0.25 s or, for a large tree, less often (the sampler keeps its "
    "own CPU under 2 % of a core: reading smaps_rollup walks page tables), so pages shared by forked worker "
    "processes are counted "
    "once; beside it the largest single process's ru_maxrss (exact, from the kernel), which counts shared "
    "pages whole and so can exceed the tree's PSS.",
    "Runs at a commit before 60d0f02 sampled memory every 50 ms, which took most of a core from Ratusha's "
    "parallel build, and deleted the previous output just before each full build, which slows the next "
    "build's file creation on ext4 (bench/PROFILE.md, seventh round): their Ratusha times are pessimistic. "
    "Runs before 2026-12-01 20:45 UTC ran every build with PYTHONHASHSEED=0, as no one builds a site.",
    "bare Pelican is configured as a person would for such a site: DISPLAY_PAGES_ON_MENU = False, "
    "DISPLAY_CATEGORIES_ON_MENU = False, LOAD_CONTENT_CACHE = CACHE_CONTENT = True (its cache is emptied "
    "before each full build and used by its edit rebuild), DEFAULT_PAGINATION = 20 and directory-style "
    "PAGINATION_PATTERNS (with Pelican's default, page 2 of the tag «школа № 3» overwrites the tag "
    "«школа № 32»). Its default theme, no plugins.",
    "Hugo uses bench/hugo-theme: home, sections and taxonomy term pages paginated by 20, no list of every "
    "page on any page; Hugo's default RSS feed per section and term (50 items). Hugo's time grows faster "
    "than N on the city corpus (user CPU, 2 cores shared: 4.9 s at 2,000 items, 47 s at 5,000, 91 s at "
    "10,000; 11 s → 520 s from 10,000 to 50,000 in an earlier run). `hugo --templateMetrics` puts it in "
    "single.html (2.2 ms a page at 2,000, 7.6 ms at 10,000: it renders .Content) and list.html; the growth "
    "stayed when the per-page tag list (.GetTerms), the lists' .Summary or the section menu were removed, "
    "so it is not one part of this theme; its cause inside Hugo was not found. Read Hugo's rows as a "
    "reference point, measured in the same run.",
    "What each writes: HTML pages and feeds (.xml/.ics except the sitemap) are counted without their "
    ".gz/.br copies, which are a column of their own; «other» is everything else (CSS, JS, images, "
    "documents, the search index, the sitemap).",
    "× bare Pelican: when the full builds were repeated (--repeat K, alternating rounds), the median of the "
    "K ratios of the same round; the time shown is the median run.",
    "Search: the worst one-word query among the site's 50 most frequent words, in Brotli bytes of the index "
    "files the browser downloads (ratusha.search.cost). Pagefind (pagefind-bin, bench-only) indexes the "
    "same built HTML; its files are already compressed; «index» is index/, filter/ and its entry/meta "
    "files, «with fragments» adds fragment/ (the result excerpts, which our index keeps in its own files).",
    "Preview: the first save appends a line to edit_target's body and the page is requested every 50 ms "
    "until it shows it; the second gives the newest news item a new title (its slug pinned, so its URL "
    "stays) and its page, the news list's page 1 and the site's Atom feed are requested until each shows "
    "it. Meanwhile the home page is requested every 100 ms; the longest response is reported.",
]


def _shapes(data: dict[str, Any]) -> list[str]:
    return sorted(data.get("shapes", {}), key=lambda s: (s != "city", s))


def _sizes(data: dict[str, Any], shape: str) -> list[int]:
    return sorted(int(n) for n in data["shapes"].get(shape, {}))


def _entry(data: dict[str, Any], shape: str, n: int) -> dict[str, Any]:
    return data.get("shapes", {}).get(shape, {}).get(str(n), {})


def _run(data: dict[str, Any], shape: str, n: int, scenario: str) -> dict[str, Any] | None:
    run = _entry(data, shape, n).get("runs", {}).get(scenario)
    return run if run and run.get("returncode") == 0 else None


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if a is None or b is None or not b.get("seconds"):
        return None
    return a["seconds"] / b["seconds"]


def vs_bare(data: dict[str, Any], shape: str, n: int, scenario: str) -> float | None:
    """Time over bare Pelican's full build: the median of the rounds' pair ratios when there are rounds."""
    pairs = _entry(data, shape, n).get("pairs") or []
    ratios = [p[scenario] / p["pelican-full"] for p in pairs if p.get(scenario) and p.get("pelican-full")]
    if ratios:
        return statistics.median(ratios)
    return _ratio(_run(data, shape, n, scenario), _run(data, shape, n, "pelican-full"))


def vs_hugo(data: dict[str, Any], shape: str, n: int, scenario: str) -> float | None:
    """Time over Hugo's full build at the same shape and size."""
    return _ratio(_run(data, shape, n, scenario), _run(data, shape, n, "hugo-full"))


def _fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def _verdict(value: float | None, limit: float, strict: bool = False) -> str:
    if value is None:
        return "not measured"
    holds = value < limit if strict else value <= limit
    return "holds" if holds else "**fails**"


def _preview(data: dict[str, Any], shape: str, n: int) -> dict[str, Any] | None:
    return _entry(data, shape, n).get("runs", {}).get("ratusha-preview")


def _search(data: dict[str, Any], shape: str, n: int) -> dict[str, Any]:
    return _entry(data, shape, n).get("search") or {}


def _memory(data: dict[str, Any], shape: str, n: int) -> float | None:
    runs = [_run(data, shape, n, s) for s in ("ratusha-full", "ratusha-noop", "ratusha-edit", "ratusha-add")]
    return max((r["peak_tree_mb"] for r in runs if r), default=None)


def targets(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (target, measured, verdict) for each target of issue 15 and each shape measured."""
    rows = []
    for shape in _shapes(data):
        full = vs_bare(data, shape, 10000, "ratusha-full")
        core = vs_bare(data, shape, 10000, "ratusha-core")
        rows.append(
            (
                f"{shape}: full build ≤ {FULL_VS_BARE}× bare Pelican at 10,000",
                f"{_fmt(full)}× (without search index and precompression: {_fmt(core)}×)",
                _verdict(full, FULL_VS_BARE),
            )
        )
        edit = vs_hugo(data, shape, 10000, "ratusha-edit")
        edit_run, hugo = _run(data, shape, 10000, "ratusha-edit"), _run(data, shape, 10000, "hugo-full")
        rows.append(
            (
                f"{shape}: edit rebuild ≤ {EDIT_VS_HUGO}× Hugo's full build at 10,000",
                f"{_fmt(edit)}× ({_fmt(edit_run and edit_run['seconds'], 1)} s "
                f"vs {_fmt(hugo and hugo['seconds'], 1)} s)",
                _verdict(edit, EDIT_VS_HUGO),
            )
        )
        edit50 = _run(data, shape, 50000, "ratusha-edit")
        seconds = edit50["seconds"] if edit50 else None
        rows.append(
            (
                f"{shape}: edit rebuild ≤ {EDIT_50K_SECONDS:.0f} s at 50,000",
                _fmt(seconds, 1, " s"),
                _verdict(seconds, EDIT_50K_SECONDS),
            )
        )
        preview = _preview(data, shape, 50000)
        served = preview.get("page_served_seconds") if preview else None
        rows.append(
            (
                f"{shape}: preview save → page served ≤ {PREVIEW_50K_SECONDS:.0f} s at 50,000",
                _fmt(served, 2, " s"),
                _verdict(served, PREVIEW_50K_SECONDS),
            )
        )
        worst = _search(data, shape, 50000).get("max_one_word_bytes")
        rows.append(
            (
                f"{shape}: any one-word query ≤ {QUERY_50K_BYTES:,} bytes (Brotli) at 50,000",
                _fmt(worst, 0, " bytes"),
                _verdict(worst, QUERY_50K_BYTES),
            )
        )
        memory = _memory(data, shape, 50000)
        rows.append(
            (
                f"{shape}: peak memory (tree PSS) < {MEMORY_50K_MB:,} MB at 50,000",
                _fmt(memory, 0, " MB"),
                _verdict(memory, MEMORY_50K_MB, strict=True),
            )
        )
    return rows


def _command(entry: dict[str, Any], data: dict[str, Any]) -> str:
    commands = dict.fromkeys(r.get("command") or data.get("command", "invoke bench") for r in entry["runs"].values())
    return ", then ".join(f"`{c}`" for c in commands) or f"`{data.get('command', 'invoke bench')}`"


def _machine(m: dict[str, Any]) -> str:
    return (
        f"{m.get('name', '?')}: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GB RAM, "
        f"{m.get('os', '?')}; Python {m.get('python', '?')}, Pelican {m.get('pelican', '?')}, "
        f"Hugo {m.get('hugo', '?')}, Pagefind {m.get('pagefind') or '—'}; commit {m.get('commit') or '?'}"
    )


def _corpus(manifest: dict[str, Any]) -> str:
    c = manifest["counts"]
    kinds = [f"{c['news']:,} news"]
    if c.get("legal_act"):
        kinds.append(
            f"{c['legal_act']:,} acts ({manifest['acts_amending']:,} amending, "
            f"{manifest['acts_repealing']:,} repealing)"
        )
    if c.get("announcement"):
        kinds.append(f"{c['announcement']:,} announcements")
    if c.get("answer"):
        kinds.append(f"{c['answer']:,} answers")
    kinds += [f"{c['page']:,} pages", f"{c['department']:,} departments"]
    return f"Corpus: {', '.join(kinds)}; {manifest['words']:,} words, {manifest['tags']:,} tags."


def _section(data: dict[str, Any], shape: str, n: int) -> list[str]:
    entry = _entry(data, shape, n)
    repeat = entry.get("repeat", 1)
    lines = [
        f"## {shape}, {n:,} items",
        "",
        f"Measured by {_command(entry, data)} on {_machine(entry.get('machine', {}))}, "
        f"last run {entry.get('machine', {}).get('date', '?')}"
        + (f"; full builds as {repeat} alternating rounds." if repeat > 1 else "."),
        "",
        _corpus(entry["manifest"]),
        "",
        "| scenario | time, s | × bare Pelican | ÷ Hugo full | peak memory, MB (tree PSS / largest process) "
        "| HTML pages | feeds | .gz/.br copies | other files | output, MB | load before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario, label in LABELS.items():
        run = entry["runs"].get(scenario)
        if run is None:
            continue
        if run["returncode"] == -9:  # bench.run.TIMED_OUT
            lines.append(f"| {label} | stopped after {run['seconds']:.0f} s (time limit) |" + " |" * 9)
            continue
        if run["returncode"] != 0:
            lines.append(f"| {label} | failed (exit {run['returncode']}) |" + " |" * 9)
            continue
        samples = run.get("samples") or []
        spread = f" ({', '.join(f'{s:.1f}' for s in samples)})" if len(samples) > 1 else ""
        hugo = _fmt(vs_hugo(data, shape, n, scenario)) if scenario in REBUILDS else ""
        lines.append(
            f"| {label} | {run['seconds']:.1f}{spread} | {_fmt(vs_bare(data, shape, n, scenario))} | {hugo} | "
            f"{run['peak_tree_mb']:.0f} / {run['peak_process_mb']:.0f} | {run['html_pages']:,} | {run['feeds']:,} | "
            f"{run.get('compressed', 0):,} | {run.get('other_files', 0):,} | {run['output_mb']:.0f} | "
            f"{_fmt(run.get('load_before'), 1)} |"
        )
    lines.append("")
    search, pagefind = entry.get("search"), entry.get("pagefind")
    if search or pagefind:
        lines += ["| search | Ratusha | Pagefind |", "| --- | ---: | ---: |"]
        search, pagefind = search or {}, pagefind or {}
        if search.get("measured"):
            worst = f"{search['max_one_word_bytes']:,} bytes («{search.get('worst_term')}»)"
            lines += [
                f"| worst one-word query (Brotli) | {worst} | |",
                f"| «ремонт» (Brotli) | {_fmt(search.get('remont_bytes'), 0, ' bytes')} | |",
                f"| index per page | {_fmt(search.get('bytes_per_page'), 0)} bytes, "
                f"{_fmt(search.get('brotli_bytes_per_page'), 0)} with Brotli "
                f"({_fmt(search.get('pages'), 0)} pages) | "
                + (
                    f"{pagefind['index_bytes_per_page']:,} bytes; {pagefind['with_fragments_bytes_per_page']:,} "
                    f"with fragments ({pagefind['pages']:,} pages, indexed in {pagefind['seconds']:.1f} s) |"
                    if pagefind.get("measured")
                    else f"not measured ({pagefind.get('why', '?')}) |"
                ),
            ]
        else:
            lines.append(f"| our index | not measured ({search.get('why', '?')}) | |")
            if pagefind.get("measured"):
                lines.append(
                    f"| index per page | | {pagefind['index_bytes_per_page']:,} bytes; "
                    f"{pagefind['with_fragments_bytes_per_page']:,} with fragments ({pagefind['pages']:,} pages) |"
                )
        lines.append("")
    preview = entry["runs"].get("ratusha-preview")
    if preview:
        if preview.get("returncode") not in (0, None) and preview.get("page_served_seconds") is None:
            why = f": {preview['why']}" if preview.get("why") else ""
            lines += [f"Preview: did not serve the edit (exit {preview.get('returncode')}){why}.", ""]
        else:
            lines += [
                f"| preview (`{preview.get('preview', 'invoke preview')}`) | seconds |",
                "| --- | ---: |",
                f"| start-up until it serves | {_fmt(preview.get('startup_seconds'))} |",
                f"| save → edited page served | {_fmt(preview.get('page_served_seconds'))} |",
                f"| save → rebuild done (its line) | {_fmt(preview.get('rebuilt_seconds'))} |",
                f"| retitle newest item → its page served | {_fmt(preview.get('newest_page_served_seconds'))} |",
                f"| … → news list page 1 followed | {_fmt(preview.get('list_followed_seconds'))} |",
                f"| … → site Atom feed followed | {_fmt(preview.get('feed_followed_seconds'))} |",
                f"| longest response of the home page during the rebuilds | "
                f"{_fmt(preview.get('longest_response_seconds'), 3)} ({preview.get('requests', 0)} requests, "
                f"{preview.get('failed_requests', 0)} failed) |",
                f"| peak memory, MB (tree PSS) | {_fmt(preview.get('peak_tree_mb'), 0)} |",
                "",
            ]
    return lines


def markdown(data: dict[str, Any]) -> str:
    """Return results.md: the machine, one section per shape and size, the notes, the targets."""
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{data.get('command', 'invoke bench')}` on {data.get('machine', {}).get('date', '?')}.",
        "",
        f"Machine: {_machine(data.get('machine', {}))}.",
        "",
    ]
    for shape in _shapes(data):
        for n in _sizes(data, shape):
            lines += _section(data, shape, n)
    lines += ["## Notes", ""] + [f"- {note}" for note in NOTES + data.get("notes", [])] + [""]
    lines += ["## Targets (issue 15)", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m_} | {v} |" for t, m_, v in targets(data)]
    lines += ["", "![time against N](time-vs-n.png)", ""]
    return "\n".join(lines)


def plot(data: dict[str, Any], path: Path) -> None:
    """Plot time against N for the main scenarios of each shape (log-log), with the machine in the title."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for shape in _shapes(data):
        for scenario in ("ratusha-full", "pelican-full", "hugo-full", "ratusha-edit", "pelican-edit"):
            points = [(n, r["seconds"]) for n in _sizes(data, shape) if (r := _run(data, shape, n, scenario))]
            if points:
                xs, ys = zip(*points, strict=True)
                style = "-" if shape == "city" else "--"
                axes.plot(xs, ys, style, marker="o", label=f"{shape}: {LABELS[scenario]}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("items (N)")
    axes.set_ylabel("wall time, s")
    m = data.get("machine", {})
    axes.set_title(f"Build time against N — {m.get('cpu', '?')}, {m.get('cores', '?')} cores", fontsize=9)
    axes.grid(True, which="both", alpha=0.3)
    if axes.get_lines():
        axes.legend(fontsize=6)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    """Command line: rewrite results.md beside a results.json and print the targets' verdicts as JSON."""
    import argparse  # noqa: PLC0415
    import json  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("results", type=Path, help="a results.json written by bench.run")
    args = parser.parse_args(argv)
    data = json.loads(args.results.read_text(encoding="utf-8"))
    (args.results.parent / "results.md").write_text(markdown(data), encoding="utf-8")
    verdicts = [{"target": t, "measured": m, "verdict": v} for t, m, v in targets(data)]
    print(json.dumps(verdicts, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
