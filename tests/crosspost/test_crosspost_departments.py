"""A channel per department, from the site's departments directory: tokens by pattern or from the secrets file."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from crosspost_fakes import CHECK_CALLS
from crosspost_site import FeedServer, department_slug, departments_config, write_departments
from ratusha.crosspost import feeds as feeds_module
from ratusha.crosspost import secret_store

SLUG_VARIABLE = "RATUSHA_TELEGRAM_TOKEN_OTDEL_{:03d}"


@pytest.fixture
def served(site):
    """The site's output folder over HTTP, counting GETs."""
    site.root.mkdir(parents=True, exist_ok=True)
    server = FeedServer(site.root)
    yield server
    server.stop()


def configure(tmp_path, fakes, feeds, **block):
    """departments_config, with the block's settings merged in."""
    path = departments_config(tmp_path, fakes, feeds)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in block.items():
        if key == "channels":
            data["channels"] = value
        elif key == "networks":
            for network, settings in value.items():
                data["departments"]["networks"].setdefault(network, {}).update(settings)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def posts_to(fake, target: str) -> int:
    return sum(post.get("chat_id", post.get("owner_id")) == target for post in fake.posts)


def test_each_department_account_is_a_channel_fed_by_its_department(site, fakes, run, tmp_path, monkeypatch):
    fakes["telegram"].chats = {f"@otdel_{n:03d}" for n in (1, 2, 3)}
    fakes["vk"].walls = {f"-{200000 + n}" for n in (1, 2, 3)}
    token = os.environ["RATUSHA_TELEGRAM_TOKEN"]
    for number in (1, 2):
        monkeypatch.setenv(SLUG_VARIABLE.format(number), token)
    secrets = tmp_path / "secrets.yml"
    secret_store.write(secrets, SLUG_VARIABLE.format(3), token)  # the third from the secrets file
    configure(
        tmp_path,
        fakes,
        "output",
        secrets_file="secrets.yml",
        networks={"telegram": {"token_env": "RATUSHA_TELEGRAM_TOKEN_{SLUG}"}, "vk": {"token_env": "RATUSHA_VK_TOKEN"}},
    )
    write_departments(site.root, 3)
    result = run("init")
    assert result.code == 0, result.out
    assert "6 channel" not in result.out and result.out.count("recorded as already published 3") == 6
    write_departments(site.root, 3, extra={2: [5], 3: [6]})
    result = run()
    assert result.code == 0, result.out
    assert "otdel-002-telegram (telegram): posted 1" in result.out
    assert [posts_to(fakes["telegram"], f"@otdel_{n:03d}") for n in (1, 2, 3)] == [0, 1, 1]
    assert [posts_to(fakes["vk"], f"-{200000 + n}") for n in (1, 2, 3)] == [0, 1, 1]
    assert CHECK_CALLS == {"telegram": 1, "vk": 1}  # per distinct token (the same bot under three names): one check


def test_a_channel_written_out_replaces_or_disables_the_generated_one(site, fakes, run, tmp_path):
    fakes["telegram"].chats = {f"@otdel_{n:03d}" for n in (1, 2)}
    fakes["vk"].walls = {"-200001", "-200002"}
    configure(
        tmp_path,
        fakes,
        "output",
        channels={
            "otdel-001-telegram": {
                "type": "telegram",
                "chat_id": "@test_channel",
                "feeds": ["rss.xml"],
                "api_base": fakes["telegram"].url,
            },
            "otdel-002-vk": {"type": "vk", "owner_id": -1, "feeds": ["rss.xml"], "enabled": False},
        },
    )
    write_departments(site.root, 2)
    site.add(1)
    assert run("init").code == 0
    status = json.loads(run("--status", "--json").out)
    assert {entry["channel"] for entry in status["channels"]} == {
        "otdel-001-telegram",
        "otdel-001-vk",
        "otdel-002-telegram",
    }
    site.add(2)
    assert run().code == 0
    assert posts_to(fakes["telegram"], "@test_channel") == 1  # the written-out channel, with its own feed


def test_an_account_that_cannot_be_a_channel_stops_that_channel_only(site, fakes, run, tmp_path):
    fakes["vk"].walls = {"-200002"}
    fakes["telegram"].chats = {"@otdel_001", "@otdel_002"}
    configure(tmp_path, fakes, "output")
    write_departments(site.root, 2)
    directory = site.root / "departments" / "index.json"
    data = json.loads(directory.read_text(encoding="utf-8"))
    data["departments"][0]["accounts"][1] = {"network": "vk", "url": "https://vk.com/sev_edu", "id": ""}
    del data["departments"][1]["accounts"][0]["id"]  # Telegram: the @name is taken from the t.me URL
    directory.write_text(json.dumps(data), encoding="utf-8")
    result = run("init")
    assert result.code == 2
    assert "otdel-001-vk (exit 2)" in result.out and "not the community's number" in result.out
    assert result.out.count("recorded as already published") == 3
    write_departments(site.root, 2, extra={1: [7], 2: [8]})
    directory.write_text(json.dumps(data), encoding="utf-8")
    result = run()
    assert result.code == 2
    assert [posts_to(fakes["telegram"], f"@otdel_{n:03d}") for n in (1, 2)] == [1, 1]
    assert posts_to(fakes["vk"], "-200002") == 1


def test_an_unreadable_directory_is_reported_and_the_other_channels_run(site, fakes, run, tmp_path):
    configure(
        tmp_path,
        fakes,
        "output",
        channels={
            "telegram": {
                "type": "telegram",
                "chat_id": "@test_channel",
                "feeds": ["rss.xml"],
                "api_base": fakes["telegram"].url,
            }
        },
    )
    site.add(1)
    assert run("init").code == 1
    site.add(2)
    result = run()
    assert result.code == 1
    assert "departments directory" in result.out and "cannot read" in result.out
    assert fakes["telegram"].count("/item-2/") == 1


def test_a_secrets_file_readable_by_others_is_refused_for_the_channels_that_need_it(site, fakes, run, tmp_path):
    fakes["telegram"].chats = {"@otdel_001", "@otdel_002"}
    fakes["vk"].walls = {"-200001", "-200002"}
    secrets = tmp_path / "secrets.yml"
    secrets.write_text(f"{SLUG_VARIABLE.format(2)}: x\n", encoding="utf-8")
    secrets.chmod(0o644)
    configure(
        tmp_path,
        fakes,
        "output",
        secrets_file="secrets.yml",
        networks={"telegram": {"token_env": "RATUSHA_TELEGRAM_TOKEN_{SLUG}"}},
    )
    os.environ[SLUG_VARIABLE.format(1)] = os.environ["RATUSHA_TELEGRAM_TOKEN"]
    try:
        write_departments(site.root, 2)
        assert run("init").code == 0
        write_departments(site.root, 2, extra={1: [7], 2: [8]})
        result = run()
    finally:
        del os.environ[SLUG_VARIABLE.format(1)]
    assert result.code == 2
    assert "chmod 600" in result.out and "otdel-002-telegram (exit 2)" in result.out
    assert posts_to(fakes["telegram"], "@otdel_001") == 1
    assert [posts_to(fakes["vk"], f"-{200000 + n}") for n in (1, 2)] == [1, 1]


def test_462_departments_on_two_networks_read_each_feed_once_and_call_no_api_when_nothing_is_new(  # noqa: PLR0917
    site, fakes, run, tmp_path, served, monkeypatch
):
    """The scale of issue 13's first city. Timed by bench/crosspost.py (docs/crosspost.md); here: the work done."""
    count = 462
    configure(tmp_path, fakes, served.url)
    write_departments(site.root, count)
    result = run("init")
    assert result.code == 0, result.out[-2000:]
    parsed = []
    parse = feeds_module.feedparser.parse
    monkeypatch.setattr(feeds_module.feedparser, "parse", lambda data: parsed.append(data) or parse(data))
    for rounds in range(2):
        served.gets.clear()
        result = run()
        assert result.code == 0, result.out[-2000:]
        assert f"{count * 2} channel(s): nothing new, nothing wrong" in result.out
        feeds = {f"/departments/{department_slug(n)}/rss.xml" for n in range(1, count + 1)}
        assert set(served.gets) == feeds | {"/departments/index.json"}, rounds
        assert set(served.gets.values()) == {1}  # each feed once per run, not once per channel
        assert all(not fake.requests for fake in fakes.values())  # and no API call at all
        assert not parsed  # the feeds are those init recorded, byte for byte: none is parsed again
    # One department publishes: its feed alone is parsed, and its two channels post.
    fakes["telegram"].chats, fakes["vk"].walls = {"@otdel_007"}, {"-200007"}
    write_departments(site.root, count, extra={7: [9]})
    result = run()
    assert result.code == 0, result.out[-2000:]
    assert len(parsed) == 1 and f"{count * 2 - 2} channel(s): nothing new" in result.out
    assert posts_to(fakes["telegram"], "@otdel_007") == 1 and posts_to(fakes["vk"], "-200007") == 1
