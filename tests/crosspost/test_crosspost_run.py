"""Whole runs against the fake APIs: init, new items once and in order, skips, feeds, dry run, status."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from crosspost_site import ENV, ROOT, write_config
from ratusha.crosspost.config import NETWORKS


def order(fake, site) -> list[int]:
    """Item numbers in the order the fake received them."""
    numbers = []
    for post in fake.posts:
        text = " ".join(post.values())
        found = re.findall(r"/item-(\d+)/", text)
        numbers.append(int(found[0]))
    return numbers


def test_init_records_the_feed_and_posts_nothing(site, fakes, run):
    site.add(1, 2, 3)
    result = run("init")
    assert result.code == 0, result.err
    assert all(not fake.posts for fake in fakes.values())
    assert "recorded as already published 3" in result.out
    # nothing new: the second run posts nothing either
    assert run().code == 0
    assert all(not fake.posts for fake in fakes.values())


def test_new_items_are_posted_once_oldest_first(site, fakes, run):
    site.add(1, 2)
    run("init")
    site.add(5, 3, 4)  # written in any order; posted by date
    result = run()
    assert result.code == 0, result.out + result.err
    for name in NETWORKS:
        assert order(fakes[name], site) == [3, 4, 5], name
    assert "posted 3" in result.out
    assert run().code == 0
    for name in NETWORKS:
        assert len(fakes[name].posts) == 3


def test_an_item_in_two_feeds_is_posted_once_per_channel(site, fakes, run):
    site.add(1)
    run("init")
    site.add(2, department="zhkh")  # in rss.xml and departments/zhkh/rss.xml
    run()
    assert [len(fakes[name].posts) for name in NETWORKS] == [1, 1, 1, 1]


def test_do_not_crosspost_is_skipped_and_edits_are_not_reposted(site, fakes, run):
    site.add(1)
    run("init")
    site.add(2, no_crosspost=True)
    site.add(3)
    result = run()
    assert "skipped 1" in result.out
    assert [order(fakes[name], site) for name in NETWORKS] == [[3], [3], [3], [3]]
    site.entries[-1].title = "Исправленный заголовок"  # an edit keeps the guid
    site.entries[-1].summary = "Новый текст"
    site.write()
    run()
    assert [len(fakes[name].posts) for name in NETWORKS] == [1, 1, 1, 1]


def test_bozo_or_empty_feed_leaves_the_state_untouched(site, fakes, run, tmp_path):
    site.add(1)
    run("init")
    good = (site.root / "rss.xml").read_bytes()
    (site.root / "rss.xml").write_bytes(good[:-40])  # cut short: not well-formed
    result = run()
    assert result.code == 1
    assert "not a well-formed feed" in result.out
    (site.root / "rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', encoding="utf-8"
    )
    assert "has no items" in run().out
    # the items written meanwhile are still new once the feed is good again
    site.add(2)
    assert run().code == 0
    assert [order(fakes[name], site) for name in NETWORKS] == [[2], [2], [2], [2]]


def test_a_feed_new_to_a_channel_does_not_flood_it(site, fakes, run, tmp_path):
    site.add(1, 2, department="zhkh")
    site.add(3, department="obrazovanie")
    run("init")
    write_config(tmp_path, fakes, telegram={"feeds": ["rss.xml", "departments/obrazovanie/rss.xml"]})
    site.add(4, department="obrazovanie")
    result = run()
    assert result.code == 0, result.out
    assert order(fakes["telegram"], site) == [4]


def test_dry_run_prints_each_request_and_records_nothing(site, fakes, run, tmp_path):
    site.add(1)
    run("init")
    site.add(2, teaser="Тизер & <важно>", hashtags="#город #новости", image=True)
    result = run("--dry-run")
    assert result.code == 0
    assert all(not fake.posts for fake in fakes.values())
    assert "[telegram] would post urn:uuid:00000000-0000-4000-8000-000000000002" in result.out
    assert "sendPhoto" in result.out
    assert "Тизер &amp; &lt;важно&gt;" in result.out  # Telegram HTML escaping
    assert "wall.post" in result.out and "guid:" in result.out
    assert "mediatopic.post" in result.out
    assert "POST /messages" in result.out and "format: html" in result.out
    assert "Summary (dry run" in result.out
    assert re.search(r"telegram \(telegram\): posted 1", result.out)
    # the real run afterwards still posts it: the dry run changed no state
    assert run().code == 0
    assert [len(fakes[name].posts) for name in NETWORKS] == [1, 1, 1, 1]


def test_dry_run_needs_no_tokens(site, fakes, run, monkeypatch):
    site.add(1)
    run("init")
    monkeypatch.delenv("RATUSHA_VK_TOKEN")
    site.add(2)
    assert run("--dry-run").code == 0
    result = run()
    assert result.code == 2
    assert "RATUSHA_VK_TOKEN" in result.err


def test_status_lists_what_needs_a_person(site, fakes, run):
    site.add(1)
    run("init")
    site.add(2)
    fakes["telegram"].faults.extend(["timeout-after"])
    run()
    result = run("--status", "--channel", "telegram")
    assert result.code == 0
    assert "seen 1" in result.out and "uncertain 1" in result.out
    assert "bot***" in result.out  # the stored error was redacted when it was recorded
    assert "uncertain: urn:uuid:00000000-0000-4000-8000-000000000002" in result.out


def invoke(*args: str) -> subprocess.CompletedProcess:
    """Run ``invoke crosspost ARGS`` as a person types it."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "crosspost", *args],
        cwd=ROOT,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_invoke_task_runs_the_same_command(site, fakes, config, tmp_path):
    site.add(1)
    started = invoke("--config", str(config), "--init")
    assert started.returncode == 0, started.stderr
    assert started.stdout.count("recorded as already published 1") == 4
    site.add(2)
    process = invoke("--config", str(config), "--dry-run", "--channel", "vk,ok")
    assert process.returncode == 0, process.stderr
    assert "[vk] would post urn:uuid:00000000-0000-4000-8000-000000000002" in process.stdout
    assert "telegram" not in process.stdout
    (tmp_path / "state" / "vk.sqlite").unlink()
    refused = invoke("--config", str(config), "--init", "--channel", "vk")
    assert refused.returncode == 2 and "--recover" in refused.stdout
    recovered = invoke("--config", str(config), "--init", "--recover", "--channel", "vk")
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    status = invoke("--config", str(config), "--status", "--json")
    assert status.returncode == 0, status.stderr
    channels = {entry["channel"]: entry for entry in json.loads(status.stdout)["channels"]}
    assert set(channels) == {"telegram", "vk", "ok", "max"}
    assert channels["vk"]["state"] == "ok" and channels["vk"]["pending"] == 1  # item 2, rebuilt as pending
