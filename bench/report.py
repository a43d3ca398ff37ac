"""Turn bench/results/results.json into a Markdown table, the targets' verdicts and a plot.

Every ratio is computed from numbers of the same run on the same machine, never against
figures measured elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

LABELS = {
    "ratusha-full": "Ratusha, full build (empty output and cache)",
    "ratusha-noop": "Ratusha, rebuild, nothing changed",
    "ratusha-edit": "Ratusha, rebuild after editing one item",
    "ratusha-add": "Ratusha, rebuild after adding one item",
    "ratusha-core": "Ratusha, full build without search index and precompression",
    "pelican-full": "bare Pelican 4.12, default theme, no plugins",
    "hugo-full": "Hugo, minimal theme",
}


def _sizes(data: dict[str, Any]) -> list[int]:
    return sorted(int(n) for n in data["sizes"])


def _run(data: dict[str, Any], n: int, scenario: str) -> dict[str, Any] | None:
    run = data["sizes"].get(str(n), {}).get("runs", {}).get(scenario)
    return run if run and run.get("returncode") == 0 else None


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if a is None or b is None or not b["seconds"]:
        return None
    return a["seconds"] / b["seconds"]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def targets(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (target, measured, verdict) for the targets of the scaling issue."""
    rows = []
    full10 = _run(data, 10000, "ratusha-full")
    core10 = _run(data, 10000, "ratusha-core")
    bare10 = _run(data, 10000, "pelican-full")
    ratio = _ratio(full10, bare10)
    core_ratio = _ratio(core10, bare10)
    measured = f"{_fmt(ratio)}× (without search index and precompression: {_fmt(core_ratio)}×)"
    rows.append(("full build ≤ 1.5× bare Pelican at 10,000", measured, _verdict(ratio, 1.5)))
    for scenario in ("ratusha-edit", "ratusha-add"):
        share = _ratio(_run(data, 10000, scenario), full10)
        what = "editing" if scenario.endswith("edit") else "adding"
        rows.append(
            (f"rebuild after {what} one item ≤ 1/5 of a full build at 10,000", _fmt(share), _verdict(share, 0.2))
        )
    full50 = _run(data, 50000, "ratusha-full")
    core50 = _run(data, 50000, "ratusha-core")
    growth = _ratio(full50, full10)
    core_growth = _ratio(core50, core10)
    rows.append(
        (
            "time from 10,000 to 50,000 no worse than linear (≤ 5×)",
            f"{_fmt(growth)}× (without search index and precompression: {_fmt(core_growth)}×)",
            _verdict(growth, 5.0) + ("" if core_growth is None else f"; without them: {_verdict(core_growth, 5.0)}"),
        )
    )
    memory = max((r["peak_tree_mb"] for r in (full50, _run(data, 50000, "ratusha-noop")) if r), default=None)
    core_memory = core50["peak_tree_mb"] if core50 else None
    rows.append(
        (
            "peak memory < 4 GB at 50,000",
            f"{_fmt(memory, 0)} MB (without search index and precompression: {_fmt(core_memory, 0)} MB)",
            _verdict(memory, 4096) + ("" if core_memory is None else f"; without them: {_verdict(core_memory, 4096)}"),
        )
    )
    return rows


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "holds" if value <= limit else "**fails**"


def markdown(data: dict[str, Any]) -> str:
    """Return results.md: the machine, the table, the targets."""
    m = data.get("machine", {})
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{data.get('command', 'invoke bench')}` on {m.get('date', '?')}.",
        "",
        f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GB RAM, "
        f"{m.get('os', '?')}; Python {m.get('python', '?')}, Pelican {m.get('pelican', '?')}, "
        f"Hugo {m.get('hugo', '?')}.",
        "",
        "Times are wall-clock seconds of one run each, start-up included. Memory is the peak resident set "
        "of the whole process tree, sampled every 50 ms. Output counts the "
        'precompressed .gz/.br copies. "× bare" is the time over bare Pelican\'s full build at the same N.',
        "",
    ]
    for n in _sizes(data):
        entry = data["sizes"][str(n)]
        c = entry["manifest"]["counts"]
        lines += [
            f"## {n:,} items",
            "",
            "Measured by "
            + ", then ".join(
                f"`{c}`"
                for c in dict.fromkeys(
                    r.get("command") or entry.get("command") or data.get("command", "invoke bench")
                    for r in entry["runs"].values()
                )
            )
            + f" (machine as above, last run {entry['machine']['date']}).",
            "",
            f"Corpus: {c['news']:,} news, {c['legal_act']:,} acts "
            f"({entry['manifest']['acts_amending']:,} amending, {entry['manifest']['acts_repealing']:,} repealing), "
            f"{c['announcement']:,} announcements, {c['answer']:,} answers, {c['page']:,} pages, "
            f"{c['department']:,} departments; {entry['manifest']['words']:,} words, "
            f"{entry['manifest']['tags']:,} tags.",
            "",
            "| scenario | time, s | × bare | peak memory, MB (tree / largest process) | output, MB | files "
            "| HTML pages | feeds | search index, MB | load before |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        bare = _run(data, n, "pelican-full")
        for scenario, label in LABELS.items():
            run = entry["runs"].get(scenario)
            if run is None:
                continue
            if run["returncode"] == -9:  # bench.run.TIMED_OUT
                lines.append(f"| {label} | stopped after {run['seconds']:.0f} s (time limit) | | | | | | | | |")
                continue
            if run["returncode"] != 0:
                lines.append(f"| {label} | failed (exit {run['returncode']}) | | | | | | | | |")
                continue
            lines.append(
                f"| {label} | {run['seconds']:.1f} | {_fmt(_ratio(run, bare))} | "
                f"{run['peak_tree_mb']:.0f} / {run['peak_process_mb']:.0f} | {run['output_mb']:.0f} | "
                f"{run['files']:,} | {run['html_pages']:,} | {run['feeds']:,} | {run['search_index_mb']:.1f} | "
                f"{_fmt(run.get('load_before'), 1)} |"
            )
        lines.append("")
    if data.get("notes"):
        lines += ["## Notes on this run", ""] + [f"- {note}" for note in data["notes"]] + [""]
    lines += ["## Targets", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m_} | {v} |" for t, m_, v in targets(data)]
    lines += ["", "![time against N](time-vs-n.png)", ""]
    return "\n".join(lines)


def plot(data: dict[str, Any], path: Path) -> None:
    """Plot time against N for every scenario (log-log), with the machine in the title."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for scenario, label in LABELS.items():
        points = [(n, r["seconds"]) for n in _sizes(data) if (r := _run(data, n, scenario))]
        if points:
            xs, ys = zip(*points, strict=True)
            axes.plot(xs, ys, marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("items (N)")
    axes.set_ylabel("wall time, s")
    m = data.get("machine", {})
    axes.set_title(f"Build time against N — {m.get('cpu', '?')}, {m.get('cores', '?')} cores", fontsize=9)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
