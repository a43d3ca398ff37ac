"""End to end through a real build: the fixture site's feeds and departments directory, as published, to the fakes.

The small fixture site is built with the project's settings (ratusha.testing.build); its
housing department lists accounts on Telegram, VK and MAX in its ``social:`` front matter,
and crosspost.yml turns them into channels with a ``departments:`` block, beside one
site-wide OK channel. A news item of that department is added, corrected and withdrawn in
its Markdown file, the site rebuilt each time, and ``ratusha-crosspost`` reads the built
folder exactly as the build left it. The site is also served over HTTP on 127.0.0.1 at its
public URL, so that the lead image the feeds point at can be fetched and uploaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crosspost_fakes import TELEGRAM_TOKEN
from crosspost_site import FeedServer
from ratusha.testing import build, edit

NEWS = "news/2026-11-23-voda.md"
GUID = "urn:uuid:66666666-6666-4666-8666-666666666666"
LINK_PART = "/news/2026/11/"
ACCOUNTS = """social:
  - {network: telegram, url: "https://t.me/test_zhkh"}
  - {network: vk, url: "https://vk.com/club2001", id: "2001"}
  - {network: max, url: "https://max.ru/test_zhkh", id: "-72000000001"}
contacts:"""
ITEM = """---
title: Плановое отключение воды на улице Лесной
date: 2026-11-23 10:00
id: 66666666-6666-4666-8666-666666666666
department: zhkh
image: images/school.png
image_alt: Улица Лесная
hashtags: [Тестовый, вода]
---
Двадцать пятого ноября с 9 до 17 часов на улице Лесной не будет холодной воды.

Подвоз воды организован к дому 3.
"""
#: The channels: the housing department's three accounts and the site-wide OK group.
CHANNELS = ("zhkh-telegram", "zhkh-vk", "zhkh-max", "site-ok")


@pytest.fixture
def published(fixture_content: Path, tmp_path: Path):
    """The fixture site with the housing department's accounts, served at its public URL; build() rebuilds it."""
    edit(fixture_content / "departments" / "zhkh.md", "contacts:", ACCOUNTS)
    output = tmp_path / "output"
    server = FeedServer(output)

    def rebuild() -> Path:
        return build(fixture_content, output, RATUSHA_PUBLIC_URL=server.url.rstrip("/"))

    rebuild()
    yield fixture_content, rebuild
    server.stop()


@pytest.fixture
def configured(config: Path, fakes: dict, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Rewrite crosspost.yml (the one ``run`` reads): a departments: block for Telegram, VK and MAX, one site-wide OK
    channel; the fakes' accounts."""
    fakes["telegram"].chats = {"@test_zhkh"}  # the department's channel, @name from its t.me URL
    fakes["vk"].walls = {"-2001"}
    fakes["max"].chats = {-72000000001}
    monkeypatch.setenv("RATUSHA_TELEGRAM_TOKEN_ZHKH", TELEGRAM_TOKEN)  # the pattern's variable
    quick = {"min_interval": 0, "timeout": 5, "backoff": 0.05, "max_wait": 5}
    data = {
        "version": 1,
        "feeds": "output",
        "state_dir": "state",
        "departments": {
            "directory": "departments/index.json",
            "defaults": quick,
            "networks": {
                "telegram": {
                    "api_base": fakes["telegram"].url,
                    "token_env": "RATUSHA_TELEGRAM_TOKEN_{SLUG}",
                    "on_withdraw": "delete",
                },
                "vk": {"api_base": fakes["vk"].url},  # on_withdraw: reply, the default
                "max": {"api_base": fakes["max"].url, "on_withdraw": "delete"},
            },
        },
        "channels": {
            "site-ok": {
                "type": "ok",
                "group_id": fakes["ok"].group_id,
                "feeds": ["rss.xml"],
                "api_base": fakes["ok"].url,
                **quick,
            }
        },
    }
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def of_item(fake, records: list[dict]) -> list[dict]:
    """The records (edits, deletions, replies) made to the item's post on this fake."""
    (post,) = [post for post in fake.posts if any(LINK_PART in value for value in post.values())]
    return [record for record in records if fake.target(record) == fake.post_id(post)]


def test_an_item_is_posted_corrected_and_withdrawn_on_every_account_from_the_built_site(
    published, configured, fakes, run
):
    content, rebuild = published
    started = run("init")
    assert started.code == 0, started.out
    for name in CHANNELS:
        assert f"{name} (" in started.out, name
    # A news item of the housing department: once to each of its accounts and to the site's channel.
    (content / NEWS).write_text(ITEM, encoding="utf-8")
    rebuild()
    posted = run()
    assert posted.code == 0, posted.out
    assert all(fake.count(LINK_PART) == 1 for fake in fakes.values()), {n: f.count(LINK_PART) for n, f in fakes.items()}
    telegram, vk, ok, max_ = (
        fakes["telegram"].posts[0],
        fakes["vk"].posts[0],
        fakes["ok"].posts[0],
        fakes["max"].posts[0],
    )
    assert telegram["chat_id"] == "@test_zhkh" and telegram["method"] == "sendPhoto"
    assert telegram["photo"].endswith("-social.jpg")  # the lead image, from the published site
    assert vk["owner_id"] == "-2001" and vk["attachments"].startswith("photo-2001_")  # uploaded as a wall photo
    assert max_["chat_id"] == "-72000000001" and '"type": "image"' in max_["attachments"]
    assert '"type": "photo"' in ok["attachment"] and ok["gid"] == fakes["ok"].group_id
    assert "Плановое отключение воды" in telegram["caption"] and "Двадцать пятого ноября" in vk["message"]
    # Nothing new: nothing posted, no API called.
    for fake in fakes.values():
        fake.requests.clear()
    quiet = run()
    assert quiet.code == 0 and "4 channel(s): nothing new, nothing wrong" in quiet.out, quiet.out
    assert all(not fake.requests for fake in fakes.values())
    # A correction of the body (its first paragraph is the summary) and modified:.
    edit(content / NEWS, "с 9 до 17 часов", "с 10 до 15 часов")
    edit(content / NEWS, "department: zhkh\n", "department: zhkh\nmodified: 2026-11-24 09:00\n")
    rebuild()
    corrected = run()
    assert corrected.code == 1, corrected.out  # OK cannot edit a topic: refused, reported once
    for name in ("telegram", "vk", "max"):
        (change,) = of_item(fakes[name], fakes[name].edits)
        assert "с 10 до 15 часов" in fakes[name].text(change), name
    assert not fakes["ok"].edits and "site-ok (exit 1)" in corrected.out and "REFUSED" in corrected.out
    assert all(fake.count(LINK_PART) == 1 for fake in fakes.values())  # edited, never posted again
    again = run()
    assert again.code == 0, again.out
    assert [len(fakes[name].edits) for name in ("telegram", "vk", "max")] == [1, 1, 1]
    # A withdrawal: deleted where on_withdraw says delete, answered with the notice where reply.
    edit(
        content / NEWS,
        "modified: 2026-11-24 09:00\n",
        "modified: 2026-11-24 09:00\nwithdrawn: {date: 2026-11-24 11:00, reason: Отключение отменено}\n",
    )
    rebuild()
    withdrawn = run()
    assert withdrawn.code == 0, withdrawn.out
    for name in ("telegram", "max"):
        assert len(of_item(fakes[name], fakes[name].deletes)) == 1 and not fakes[name].replies, name
    for name in ("vk", "ok"):
        (reply,) = of_item(fakes[name], fakes[name].replies)
        text = fakes[name].text(reply)
        assert text.startswith("Материал отозван 24.11.2026: Отключение отменено"), (name, text)
        assert LINK_PART in text and not fakes[name].deletes
    for fake in fakes.values():
        fake.requests.clear()
    assert run().code == 0
    assert all(not fake.requests for fake in fakes.values())  # each change once
