"""`invoke bench` end to end on a tiny corpus: every scenario runs and lands in the JSON it writes.

Only what the run wrote is checked (scenarios present, ratios and verdicts derived from its
own measurements), never how many seconds anything took: that is the benchmark's business.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import PAIRED, SCENARIOS, SETTLE_SECONDS, TRASH, empty_trash, settle

ROOT = Path(__file__).resolve().parent.parent
INVOKE = Path(sys.executable).parent / "invoke"


def python_m(*args: str) -> str:
    """Run ``python -m`` one of the bench's modules in the checkout; return what it printed."""
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def verdicts(data: dict, folder: Path) -> dict[str, str]:
    """Write ``data`` as a results.json and return the verdicts bench.report derives from it."""
    path = folder / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return {t["target"]: t["verdict"] for t in json.loads(python_m("bench.report", str(path)))}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run `invoke bench` once on 100 news items with two rounds of full builds."""
    base = tmp_path_factory.mktemp("bench")
    command = [str(INVOKE), "bench", "--sizes", "100", "--shapes", "news", "--repeat", "2"]
    command += ["--work", str(base / "work"), "--results", str(base / "results")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (base / "work").exists(), "the corpus and outputs are removed after the run"
    data = json.loads((base / "results" / "results.json").read_text(encoding="utf-8"))
    table = (base / "results" / "results.md").read_text(encoding="utf-8").splitlines()
    labels = {
        "ratusha-full": "| Ratusha, full build (empty",
        "ratusha-core": "| Ratusha, full build without",
        "ratusha-edit": "| Ratusha, rebuild after editing",
    }
    data["markdown_rows"] = {name: next(r for r in table if r.startswith(label)) for name, label in labels.items()}
    return data


def test_every_scenario_is_measured(results: dict) -> None:
    entry = results["shapes"]["news"]["100"]
    assert set(entry["runs"]) == set(SCENARIOS)
    for name, measured in entry["runs"].items():
        assert measured["returncode"] == 0, name
        assert measured["peak_tree_mb"] > 0, name
    builds = {name: r for name, r in entry["runs"].items() if name != "ratusha-preview"}
    for name, measured in builds.items():
        assert measured["html_pages"] > 0 and measured["output_mb"] > 0, name
        assert measured["files"] == (
            measured["html_pages"] + measured["feeds"] + measured["compressed"] + measured["other_files"]
        ), name
    assert entry["manifest"]["shape"] == "news" and entry["manifest"]["counts"]["department"] == 40
    assert results["machine"]["cpu"] and results["machine"]["cores"]


def test_repeated_full_builds_are_paired(results: dict) -> None:
    entry = results["shapes"]["news"]["100"]
    assert len(entry["pairs"]) == 2
    for scenario in PAIRED:
        assert len(entry["runs"][scenario]["samples"]) == 2
        assert entry["runs"][scenario]["seconds"] in entry["runs"][scenario]["samples"]
    for scenario in ("ratusha-full", "ratusha-core"):  # each round's ratio to the same round's bare Pelican
        ratios = [p[scenario] / p["pelican-full"] for p in entry["pairs"]]
        assert f"| {statistics.median(ratios):,.2f} |" in results["markdown_rows"][scenario]
    edit, hugo = entry["runs"]["ratusha-edit"]["seconds"], entry["runs"]["hugo-full"]["seconds"]
    assert f"| {edit / hugo:,.2f} |" in results["markdown_rows"]["ratusha-edit"]


def test_preview_search_and_pagefind_are_recorded(results: dict) -> None:
    entry = results["shapes"]["news"]["100"]
    preview = entry["runs"]["ratusha-preview"]
    for key in ("page_served_seconds", "list_followed_seconds", "feed_followed_seconds"):
        assert preview[key] is not None and preview[key] >= 0, key
    assert preview["requests"] > 0 and preview["longest_response_seconds"] > 0
    assert entry["pagefind"]["measured"] and entry["pagefind"]["index_bytes_per_page"] > 0
    search = entry["search"]
    if search["measured"]:  # ratusha.search.cost is the search helper's; before it, "not measured"
        assert search["max_one_word_bytes"] > 0 and search["bytes_per_page"] > 0
    else:
        assert "ratusha.search.cost" in search["why"]


def test_verdicts_follow_the_measurements(results: dict, tmp_path: Path) -> None:
    """The targets are at 10,000 and 50,000 items: the tiny run's entry, relabelled, gets verdicts from its numbers."""
    assert all(t["verdict"] == "not measured" for t in results["targets"])  # no 10,000 or 50,000 here
    entry = results["shapes"]["news"]["100"]
    relabelled = {"shapes": {"news": {"10000": entry, "50000": entry}}}
    found = verdicts(relabelled, tmp_path)
    ratio = statistics.median(p["ratusha-full"] / p["pelican-full"] for p in entry["pairs"])
    assert found["news: full build ≤ 1.0× bare Pelican at 10,000"] == ("holds" if ratio <= 1.0 else "**fails**")
    edit = entry["runs"]["ratusha-edit"]["seconds"]
    assert found["news: edit rebuild ≤ 10 s at 50,000"] == ("holds" if edit <= 10 else "**fails**")
    served = entry["runs"]["ratusha-preview"]["page_served_seconds"]
    assert found["news: preview save → page served ≤ 1 s at 50,000"] == ("holds" if served <= 1 else "**fails**")
    memory = max(
        entry["runs"][s]["peak_tree_mb"] for s in ("ratusha-full", "ratusha-noop", "ratusha-edit", "ratusha-add")
    )
    assert found["news: peak memory (tree PSS) < 2,048 MB at 50,000"] == ("holds" if memory < 2048 else "**fails**")


def test_city_and_news_shapes_differ_as_described(tmp_path: Path) -> None:
    city = json.loads(python_m("bench.corpus", str(tmp_path / "city"), "--items", "60", "--shape", "city"))
    news = json.loads(python_m("bench.corpus", str(tmp_path / "news"), "--items", "60", "--shape", "news"))
    assert city["counts"]["department"] == 462 and city["counts"]["legal_act"] > 0
    assert news["counts"] == {
        "department": 40,
        "news": 55,
        "legal_act": 0,
        "announcement": 0,
        "answer": 0,
        "page": 5,
    }
    config = (tmp_path / "news" / "pelican" / "pelicanconf.py").read_text(encoding="utf-8")
    for setting in ("DISPLAY_PAGES_ON_MENU = False", "DISPLAY_CATEGORIES_ON_MENU = False", "CACHE_CONTENT = True"):
        assert setting in config


def test_a_run_waits_until_the_last_runs_deletions_are_old(tmp_path: Path) -> None:
    """The trash of a run is emptied at its end; a run started within ext4's window waits for it."""
    work = tmp_path / "work"
    (work / TRASH / "old-output").mkdir(parents=True)
    empty_trash(work)
    assert not (work / TRASH).exists()
    waits: list[float] = []
    assert settle(work, sleep=waits.append) == waits[0]
    assert SETTLE_SECONDS - 5 < waits[0] <= SETTLE_SECONDS
    assert settle(work, seconds=0, sleep=waits.append) == 0 and len(waits) == 1
    assert settle(tmp_path / "elsewhere" / "work", sleep=waits.append) == 0 and len(waits) == 1
    kept = tmp_path / "kept" / "work"  # a run that cleared nothing (--keep) deleted nothing
    kept.mkdir(parents=True)
    empty_trash(kept)
    assert settle(kept, sleep=waits.append) == 0 and len(waits) == 1
