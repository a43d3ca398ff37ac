"""No silent loss: each way an item used to be lost or a channel silently stopped, against the fakes.

Every test here failed on the code before the ledger rewrite (issue 13): a lost state file
taken for a first run, a returning guid never posted, a corrupt state ending the run with a
traceback, one missing token stopping every channel, a lock conflict of --mark-sent exiting 1,
guid_window unused, a pause lasting for days with exit 0.
"""

from __future__ import annotations

import time

import pytest

from crosspost_site import killed_at, write_config
from ratusha.crosspost.config import NETWORKS
from ratusha.crosspost.lock import RunLock
from ratusha.crosspost.state import State

GUID = "urn:uuid:00000000-0000-4000-8000-{:012d}"


def initialise(run, *args):
    """The explicit first run: every current item is recorded as already published."""
    result = run("init", *args)
    assert result.code == 0, result.out + result.err
    return result


def started(site, run, *numbers):
    site.add(1)
    initialise(run)
    site.add(*numbers)


@pytest.mark.parametrize("loss", ["deleted", "zero-length"])
def test_a_lost_state_of_a_channel_that_has_posted_is_a_stop_not_a_first_run(site, fakes, run, tmp_path, loss):
    started(site, run, 2)
    assert run().code == 0
    site.add(3)
    fakes["telegram"].faults.extend(["auth"])
    assert run().code == 2  # item 3 waits on telegram
    state = tmp_path / "state" / "telegram.sqlite"
    for leftover in (state, state.with_name(state.name + "-wal"), state.with_name(state.name + "-shm")):
        leftover.unlink(missing_ok=True)
    if loss == "zero-length":
        state.write_bytes(b"")
    result = run()
    assert result.code == 2, result.out
    assert "init --channel telegram --recover" in result.out
    assert "recorded as already published" not in result.out
    assert fakes["telegram"].count("/item-3/") == 0
    assert [fakes[name].count("/item-3/") for name in ("vk", "ok", "max")] == [1, 1, 1]  # the others went on
    # plain init refuses: the channel has posted before
    refused = run("init", "--channel", "telegram")
    assert refused.code == 2
    assert "--recover" in refused.out + refused.err
    initialise(run, "--channel", "telegram", "--recover")
    assert run().code == 0
    assert [fakes["telegram"].count(f"/item-{n}/") for n in (1, 2, 3)] == [0, 1, 1]


def test_a_channel_is_not_initialised_without_init(site, fakes, run, tmp_path):
    site.add(1, 2)
    result = run()
    assert result.code == 2
    assert "ratusha-crosspost init" in result.out
    assert all(not fake.posts for fake in fakes.values())
    assert not (tmp_path / "state" / "telegram.sqlite").exists()
    result = initialise(run)
    assert "recorded as already published 2" in result.out
    site.add(3)
    assert run().code == 0
    assert [fakes[name].count("/item-3/") for name in NETWORKS] == [1, 1, 1, 1]
    assert [fakes[name].count("/item-2/") for name in NETWORKS] == [0, 0, 0, 0]


def test_a_guid_that_leaves_the_feed_while_pending_and_comes_back_is_posted(site, fakes, run):
    started(site, run, 2, 3, 4)
    fakes["telegram"].faults.extend(["auth"])
    assert run("--channel", "telegram").code == 2  # 2, 3, 4 wait
    kept = [entry for entry in site.entries if entry.number == 3]
    site.entries = [entry for entry in site.entries if entry.number != 3]
    site.write()
    result = run("--channel", "telegram")
    assert "withdrawn from the site" in result.out
    site.entries += kept  # the editor puts it back
    site.write()
    assert run("--channel", "telegram").code == 0
    assert [fakes["telegram"].count(f"/item-{n}/") for n in (2, 3, 4)] == [1, 1, 1]


def test_a_corrupt_state_stops_that_channel_with_a_message_and_the_others_run(site, fakes, run, tmp_path):
    started(site, run, 2)
    state = tmp_path / "state" / "telegram.sqlite"
    for leftover in (state.with_name(state.name + "-wal"), state.with_name(state.name + "-shm")):
        leftover.unlink(missing_ok=True)
    state.write_bytes(b"this is not a database, it was overwritten " * 200)
    result = run()
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "telegram" in result.out and "not a SQLite database" in result.out
    assert str(state) in result.out
    assert [fakes[name].count("/item-2/") for name in NETWORKS] == [0, 1, 1, 1]


def test_a_missing_token_stops_that_channel_only(site, fakes, run, monkeypatch):
    started(site, run, 2)
    monkeypatch.delenv("RATUSHA_VK_TOKEN")
    result = run()
    assert result.code == 2
    assert "RATUSHA_VK_TOKEN" in result.out
    assert [fakes[name].count("/item-2/") for name in NETWORKS] == [1, 0, 1, 1]
    assert "vk" in result.out.split("Needs a person:")[1]


@pytest.mark.parametrize("option", ["--mark-sent", "--resend"])
def test_every_lock_conflict_exits_3(site, fakes, run, tmp_path, option):
    started(site, run, 2)
    with RunLock(tmp_path / "state"):
        result = run("--channel", "telegram", option, GUID.format(2))
        assert result.code == 3
        assert "in progress" in result.err
        assert run("init", "--channel", "telegram").code == 3


def test_guid_window_bounds_vk_resends_after_a_crash(site, fakes, config, run, tmp_path):
    write_config(tmp_path, fakes, vk={"guid_window": 0})
    started(site, run, 2)
    killed_at(config, fakes["vk"], ["kill-after"], "--channel", "vk")
    time.sleep(0.05)
    tries = len([path for path, _ in fakes["vk"].requests if path.endswith("wall.post")])
    result = run("--channel", "vk")
    assert result.code == 1
    assert "guid_window" in result.out and "uncertain 1" in result.out
    assert len([path for path, _ in fakes["vk"].requests if path.endswith("wall.post")]) == tries  # not resent


def test_a_pause_that_lasts_more_than_a_day_exits_non_zero(site, fakes, run, tmp_path):
    started(site, run, 2)
    fakes["vk"].faults.extend(["daily"])
    result = run("--channel", "vk")
    assert result.code == 0  # a daily limit working as intended
    assert "paused" in result.out
    state = State.open(tmp_path / "state" / "vk.sqlite")
    with state.transaction():
        state.set_meta("paused_since", str(time.time() - 2 * 86_400))
    state.close()
    fakes["vk"].faults.extend(["daily"])
    result = run("--channel", "vk")
    assert result.code == 1
    assert "paused for more than a day" in result.out
