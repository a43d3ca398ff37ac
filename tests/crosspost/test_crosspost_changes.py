"""Corrections and withdrawals of items already posted, token checks, --status, and the schema upgrade."""

from __future__ import annotations

import json
import sqlite3

import pytest

from crosspost_fakes import CHECK_CALLS
from crosspost_site import write_config
from ratusha.crosspost.config import NETWORKS
from ratusha.crosspost.state import SCHEMA_VERSION, State

GUID = "urn:uuid:00000000-0000-4000-8000-{:012d}"
#: The networks whose APIs edit, delete and answer posts (OK's cannot edit).
EDITABLE = ("telegram", "vk", "max")


def posted(site, run, *numbers, **settings):
    """Start the channels, then post ``numbers``; return the entries."""
    site.add(1)
    assert run("init").code == 0
    entries = site.add(*numbers, **settings)
    result = run()
    assert result.code == 0, result.out
    return entries


def edited_texts(fake) -> list[str]:
    return [fake.text(edit) for edit in fake.edits]


@pytest.mark.parametrize("network", EDITABLE)
def test_a_correction_edits_the_post_once(site, fakes, run, network):
    (entry,) = posted(site, run, 2)
    entry.title = "Исправленный заголовок"
    site.write()
    result = run("--channel", network)
    assert result.code == 0, result.out
    assert "edited 1" in result.out
    texts = edited_texts(fakes[network])
    assert len(texts) == 1 and "Исправленный заголовок" in texts[0]
    fake = fakes[network]
    assert fake.target(fake.edits[0]) == fake.post_id(fake.posts[0])  # the post made for item 2
    assert run("--channel", network).code == 0
    assert len(fake.edits) == 1  # never again for the same revision
    assert [len(fakes[name].posts) for name in NETWORKS] == [1, 1, 1, 1]  # no repost


def test_a_correction_the_post_does_not_show_changes_nothing(site, fakes, run):
    (entry,) = posted(site, run, 2)
    before = {name: len(fake.requests) for name, fake in fakes.items()}
    entry.body = "Исправлена опечатка в тексте статьи"  # a new revision, the same post
    site.write()
    result = run()
    assert result.code == 0, result.out
    assert all(not fakes[name].edits for name in EDITABLE)
    assert {name: len(fake.requests) for name, fake in fakes.items()} == before  # not even a token check


def test_a_network_that_cannot_edit_records_refused_and_reports_it_once(site, fakes, run):
    (entry,) = posted(site, run, 2)
    entry.summary = "Новое краткое содержание"
    site.write()
    result = run()
    assert result.code == 1
    assert "REFUSED" in result.out and "ok cannot" not in result.out
    assert "ok (exit 1)" in result.out
    assert "posts cannot be edited" in result.out
    again = run()
    assert again.code == 0
    assert "REFUSED" not in again.out
    assert "refused" in run("--status", "--channel", "ok").out


def test_the_edit_window_is_the_channel_option(site, fakes, run, tmp_path):
    write_config(tmp_path, fakes, telegram={"edit_window": 0})
    (entry,) = posted(site, run, 2)
    entry.title = "Поздняя правка"
    site.write()
    result = run("--channel", "telegram", "--channel", "vk")
    assert result.code == 1
    assert "past the edit window" in result.out
    assert not fakes["telegram"].edits
    assert len(fakes["vk"].edits) == 1


@pytest.mark.parametrize("network", EDITABLE)
def test_a_withdrawal_replies_under_the_post_by_default(site, fakes, run, network):
    (entry,) = posted(site, run, 2)
    entry.withdrawn, entry.withdrawn_reason = "2026-11-05T12:00:00+10:00", "решение отменено"
    site.write()
    result = run()
    assert result.code in (0, 1), result.out  # OK cannot reply: refused, reported
    (reply,) = fakes[network].replies
    assert fakes[network].target(reply) == fakes[network].post_id(fakes[network].posts[0])
    text = fakes[network].text(reply)
    assert text.startswith("Материал отозван 05.11.2026: решение отменено")
    assert entry.link in text
    assert not fakes[network].deletes
    assert run().code == 0
    assert len(fakes[network].replies) == 1


@pytest.mark.parametrize("policy", ["delete", "ignore"])
def test_on_withdraw_delete_or_ignore(site, fakes, run, tmp_path, policy):
    write_config(tmp_path, fakes, **{name: {"on_withdraw": policy} for name in EDITABLE})
    (entry,) = posted(site, run, 2)
    entry.withdrawn = "2026-11-05T12:00:00+10:00"
    site.write()
    result = run(*(word for name in EDITABLE for word in ("--channel", name)))
    assert result.code == 0, result.out
    for name in EDITABLE:
        fake = fakes[name]
        assert [fake.target(record) for record in fake.deletes] == (
            [fake.post_id(fake.posts[0])] if policy == "delete" else []
        )
        assert not fake.replies
    assert ("post left as is" in result.out) == (policy == "ignore")
    assert "post left as is" not in run("--channel", "telegram").out  # reported once


def test_a_pending_item_that_is_withdrawn_is_never_posted(site, fakes, run):
    site.add(1)
    assert run("init").code == 0
    (entry,) = site.add(2)
    fakes["telegram"].faults.extend(["auth"])
    assert run("--channel", "telegram").code == 2  # item 2 waits
    entry.withdrawn = "2026-11-05T12:00:00+10:00"
    site.add(3, withdrawn="2026-11-05T13:00:00+10:00")  # new, and already withdrawn
    result = run()
    assert result.code == 0, result.out
    assert "withdrawn from the site before posting" in result.out
    assert [fakes[name].count("/item-2/") for name in NETWORKS] == [0, 0, 0, 0]
    assert [fakes[name].count("/item-3/") for name in NETWORKS] == [0, 0, 0, 0]


@pytest.mark.parametrize("network", EDITABLE)
def test_an_uncertain_edit_is_repeated_next_run(site, fakes, run, network):
    (entry,) = posted(site, run, 2)
    entry.title = "Правка после таймаута"
    site.write()
    fake = fakes[network]
    fake.faults.extend(["timeout-after"])
    result = run("--channel", network)
    if result.code:  # a poster that does not repeat an edit itself: the ledger does, next run
        assert result.code == 1 and "repeated on the next run" in result.out
        assert run("--channel", network).code == 0
    made = len(fake.edits)  # 2, or 1 where a repeat of the same text is "not modified" (Telegram)
    assert made >= 1 and set(edited_texts(fake)) == {edited_texts(fake)[0]}
    assert "Правка после таймаута" in edited_texts(fake)[0]
    assert run("--channel", network).code == 0 and len(fake.edits) == made


@pytest.mark.parametrize("network", EDITABLE)
def test_an_edit_stopped_by_the_network_is_made_on_the_next_run_with_the_same_feeds(site, fakes, run, network):
    (entry,) = posted(site, run, 2)
    entry.title = "Правка после остановки"
    site.write()
    fakes[network].faults.extend(["auth"])  # the edit is refused: the token, say, was revoked for a moment
    stopped = run("--channel", network)
    assert stopped.code == 2 and not fakes[network].edits, stopped.out
    result = run("--channel", network)  # the feeds have not changed since: the edit is still to be made
    assert result.code == 0, result.out
    assert [edited_texts(fakes[network])[0].count("Правка после остановки")] == [1]


# Token checks ---------------------------------------------------------------------------------------


def test_a_run_with_nothing_to_do_makes_no_api_call(site, fakes, run):
    posted(site, run, 2)
    for fake in fakes.values():
        fake.requests.clear()
    assert run().code == 0
    assert all(not fake.requests for fake in fakes.values())


def test_the_token_is_checked_once_per_token_before_the_first_post(site, fakes, run, tmp_path):
    write_config(tmp_path, fakes)
    config = (tmp_path / "crosspost.yml").read_text(encoding="utf-8")
    data = __import__("yaml").safe_load(config)
    data["channels"]["telegram-2"] = {**data["channels"]["telegram"]}  # a second channel, the same bot
    (tmp_path / "crosspost.yml").write_text(json.dumps(data), encoding="utf-8")
    posted(site, run, 2, 3)
    assert dict.fromkeys(NETWORKS, 1) == CHECK_CALLS  # telegram: two channels, one token, one check
    for name in NETWORKS:
        assert fakes[name].requests[0] in fakes[name].checks, name  # checked first
    assert fakes["telegram"].count("/item-2/") == 2  # both channels posted


def test_a_revoked_token_stops_that_channel_before_any_post(site, fakes, run, monkeypatch):
    site.add(1)
    assert run("init").code == 0
    site.add(2)
    monkeypatch.setenv("RATUSHA_TELEGRAM_TOKEN", "123456:REVOKED-token")
    result = run()
    assert result.code == 2
    assert "telegram (exit 2)" in result.out
    assert [path.rsplit("/", 1)[-1] for path, _ in fakes["telegram"].requests] == ["getMe"]
    assert [fakes[name].count("/item-2/") for name in ("vk", "ok", "max")] == [1, 1, 1]
    status = run("--status")
    assert "INVALID" in status.out
    assert "REVOKED" not in status.out + result.out + result.err


# --status -------------------------------------------------------------------------------------------


def test_status_is_a_table_and_json(site, fakes, run):
    posted(site, run, 2)
    site.add(3)
    fakes["ok"].faults.extend(["timeout-after"])
    run()
    table = run("--status")
    assert table.code == 0
    header = table.out.splitlines()[0].split()
    assert header[:3] == ["channel", "network", "state"] and "token" in header
    ok_line = next(line for line in table.out.splitlines() if line.startswith("ok "))
    assert "valid" in ok_line
    data = json.loads(run("--status", "--json").out)
    by_name = {entry["channel"]: entry for entry in data["channels"]}
    assert by_name["ok"]["uncertain"] == 1 and by_name["telegram"]["uncertain"] == 0
    assert by_name["telegram"]["last_success"] and by_name["telegram"]["token"]["ok"] is True
    assert by_name["vk"]["last_run"]["exit_code"] == 0 and by_name["ok"]["last_run"]["exit_code"] == 1


def test_status_tells_a_lost_state_from_one_never_started(site, fakes, run, tmp_path):
    posted(site, run, 2)
    (tmp_path / "state" / "vk.sqlite").unlink()
    write_config(tmp_path, fakes, ok={"group_id": "5000"})
    data = json.loads(run("--status", "--json").out)
    states = {entry["channel"]: entry["state"] for entry in data["channels"]}
    assert states["vk"] == "LOST" and states["telegram"] == "ok"


# Schema upgrade ---------------------------------------------------------------------------------------

SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE feeds (feed TEXT PRIMARY KEY, first_read REAL NOT NULL, last_read REAL NOT NULL);
CREATE TABLE items (guid TEXT PRIMARY KEY, status TEXT NOT NULL, published REAL NOT NULL, title TEXT NOT NULL,
    link TEXT NOT NULL, data TEXT NOT NULL, first_seen REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    send_started REAL, first_send REAL, sent_at REAL, remote_id TEXT, error TEXT, updated REAL NOT NULL);
CREATE INDEX items_status ON items (status, published);
"""


def test_a_version_1_state_is_upgraded_in_place_and_adopted_by_the_journal(site, fakes, run, tmp_path):
    site.add(1, 2)
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    for name in ("telegram", "vk", "ok"):  # what the old ledger left: item 1 seen, item 2 posted
        db = sqlite3.connect(state_dir / f"{name}.sqlite")
        db.executescript(SCHEMA_1)
        db.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('initialized', '2026-11-01T00:00:00+00:00')")
        feeds = {
            "telegram": ["rss.xml"],
            "vk": ["rss.xml", "departments/zhkh/rss.xml"],
            "ok": ["departments/zhkh/rss.xml", "rss.xml"],
        }[name]
        for feed in feeds:
            db.execute("INSERT INTO feeds VALUES (?, 0, 0)", (feed,))
        for entry, status in zip(site.entries, ("seen", "sent"), strict=True):
            data = {
                "guid": entry.guid,
                "title": "Новость",
                "link": entry.link,
                "published": 0.0,
                "date": "",
                "feeds": feeds,
            }
            db.execute(
                "INSERT INTO items (guid, status, published, title, link, data, first_seen, sent_at, remote_id, updated) "
                "VALUES (?, ?, 0, 'Новость', ?, ?, 0, ?, ?, 0)",
                (
                    entry.guid,
                    status,
                    entry.link,
                    json.dumps(data),
                    1.0 if status == "sent" else None,
                    "1" if status == "sent" else None,
                ),
            )
        db.commit()
        db.close()
    assert run("init", "--channel", "max").code == 0  # a network the old ledger did not have: started as new
    site.add(3)
    result = run()
    assert result.code == 0, result.out
    assert [fakes[name].count("/item-3/") for name in ("telegram", "vk", "ok")] == [1, 1, 1]
    assert [fakes[name].count("/item-2/") for name in ("telegram", "vk", "ok")] == [0, 0, 0]
    assert all(not fakes[name].edits for name in EDITABLE)  # the first revision seen is a baseline
    state = State.open(state_dir / "telegram.sqlite")
    assert state.meta("schema_version") == str(SCHEMA_VERSION)
    state.close()
    # the journal adopted the old channels: losing a state now is noticed
    (state_dir / "vk.sqlite").unlink()
    assert "init --channel vk --recover" in run().out
