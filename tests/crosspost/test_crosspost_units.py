"""Unit tests: formatting and lengths, configuration errors, feed reading, signatures, redaction."""

from __future__ import annotations

import logging

import pytest
import yaml

from crosspost_site import ROOT
from ratusha.crosspost import config as config_module
from ratusha.crosspost import format as fmt
from ratusha.crosspost.config import Channel, ConfigError
from ratusha.crosspost.feeds import FeedError, Item, fetch, merge, parse_feed
from ratusha.crosspost.http import SECRETS, RedactingFilter
from ratusha.crosspost.ok import signature
from ratusha.crosspost.vk import vk_guid
from support import FIXTURE, build


def item(**fields) -> Item:
    base = {
        "guid": "urn:uuid:1",
        "title": "Заголовок",
        "link": "https://town.example.ru/news/1/",
        "published": 0.0,
        "date": "Fri, 20 Nov 2026 10:30:00 +1000",
    }
    return Item(**(base | fields))


def channel(network: str = "telegram", **settings) -> Channel:
    settings = {"type": network, "feeds": ["rss.xml"], "chat_id": "@c", "owner_id": -1, "group_id": "1"} | settings
    problems: list[str] = []
    made = config_module.channel_from(network, settings, problems)
    assert not problems, problems
    return made


def test_telegram_escaping_and_length_after_entity_parsing():
    assert fmt.escape_html('a & b <c> "d"') == "a &amp; b &lt;c&gt; &quot;d&quot;"
    assert fmt.telegram_length("<b>a&amp;b</b>") == 3
    assert fmt.telegram_length('<a href="https://x.ru/?a=1&amp;b=2">ссылка</a>') == 6
    assert fmt.utf16_length("🙂") == 2  # Telegram counts UTF-16 code units


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("коротко", 20, "коротко"),
        ("один два три четыре", 12, "один два…"),
        ("один два три четыре", 9, "один два…"),
        ("один два, три", 10, "один два…"),
        ("сверхдлинноеслово", 6, "сверх…"),
    ],
)
def test_cut_at_a_word_boundary(text, limit, expected):
    assert fmt.cut_words(text, limit) == expected
    assert len(fmt.cut_words(text, limit)) <= limit


def test_caption_is_cut_to_1024_after_parsing_and_keeps_the_link():
    teaser = "Жители & гости <города> " * 100
    text, cut = fmt.telegram_text(channel(), item(teaser=teaser, image="https://x/1.jpg"), caption=True)
    assert cut
    assert fmt.telegram_length(text) <= 1024
    assert fmt.telegram_length(text) > 900  # not cut more than needed
    assert "&amp;" in text and "&lt;города&gt;" in text
    assert text.endswith('<a href="https://town.example.ru/news/1/">Читать на сайте</a>')
    assert not fmt.telegram_html_problem(text)
    message, _ = fmt.telegram_text(channel(), item(teaser=teaser * 3), caption=False)
    assert 4000 < fmt.telegram_length(message) <= 4096


def test_plain_text_for_vk_and_ok():
    text, cut = fmt.plain_text(channel("vk"), item(teaser="Коротко & ясно", hashtags="#город"))
    assert text == "Заголовок\n\nКоротко & ясно\n\n#город\n\nhttps://town.example.ru/news/1/"
    assert not cut
    text, _ = fmt.plain_text(channel("ok"), item(summary="Только сводка"))
    assert "Только сводка" in text and "\n\n\n" not in text  # no empty hashtag lines


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"template": "{title}"}, "must contain {link}"),
        ({"template": "{title} {body} {link}"}, "unknown field(s) ['body']"),
        ({"template": "<div>{title}</div> {link}"}, "<div> is not allowed"),
        ({"type": "mastodon"}, "'mastodon' is not a network"),
        ({"feeds": []}, "not a list of feed paths"),
        ({"max_length": 5}, "max_length: 5 is not a number"),
        ({"on_timeout": "maybe"}, "on_timeout: 'maybe' (allowed: report, resend)"),
        ({"colour": "red"}, "colour: unknown setting"),
        ({"type": "max", "chat_id": None}, "chat_id: required"),
        ({"type": "max", "chat_id": "@channel"}, "must be the chat's number"),
        ({"type": "max", "chat_id": -1, "format": "bbcode"}, "format: 'bbcode' (allowed: html, markdown)"),
        ({"type": "max", "chat_id": -1, "template": "<div>{title}</div> {link}"}, "<div> is not allowed in MAX HTML"),
    ],
)
def test_config_errors_name_the_key_and_the_allowed_values(tmp_path, settings, message):
    path = tmp_path / "crosspost.yml"
    channel_settings = {"type": "telegram", "chat_id": "@c", "feeds": ["rss.xml"]} | settings
    channel_settings = {key: value for key, value in channel_settings.items() if value is not None}  # None: left out
    path.write_text(yaml.safe_dump({"channels": {"tg": channel_settings}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as error:
        config_module.load(path)
    assert message in str(error.value)


def test_vk_owner_must_be_a_community(tmp_path):
    path = tmp_path / "crosspost.yml"
    path.write_text("channels:\n  vk:\n    owner_id: 123\n    feeds: [rss.xml]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="negative number"):
        config_module.load(path)


def test_the_repository_config_is_valid():
    loaded = config_module.load(ROOT / "crosspost.yml")
    assert {"telegram", "vk", "ok"} <= set(loaded.channels)
    assert {"glava-telegram", "glava-vk"} <= loaded.disabled  # the head's accounts: an example, switched off
    assert loaded.departments["networks"]["vk"]["token_env"] == "RATUSHA_VK_TOKEN"


def test_missing_secret_names_the_variable(monkeypatch):
    monkeypatch.delenv("RATUSHA_OK_SECRET_KEY")
    with pytest.raises(ConfigError, match="RATUSHA_OK_SECRET_KEY"):
        channel("ok").secrets()


def test_ok_signature_matches_the_documented_example():
    # The server-to-server example of the OK API documentation (events.get).
    params = {"application_key": "ABCDEFGHIGKLMNOPK", "format": "json", "method": "events.get"}
    token = "-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7"
    assert signature(params, token, "ABC123DEF456GHI789JKL123") == "232c8eb921951c4dba9b72606f9ddb4c"


def test_vk_guid_is_stable_and_per_wall():
    assert vk_guid(-1, "urn:uuid:1") == vk_guid(-1, "urn:uuid:1")
    assert vk_guid(-1, "urn:uuid:1") != vk_guid(-2, "urn:uuid:1")


def test_secrets_are_redacted_in_logs_and_text(caplog):
    SECRETS.add("s3cr3t-token/with+chars")
    assert SECRETS.redact("url bot s3cr3t-token/with+chars/sendMessage") == "url bot ***/sendMessage"
    assert "s3cr3t" not in SECRETS.redact("a=s3cr3t-token%2Fwith%2Bchars")
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("s3cr3t-token/with+chars",), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "failed ***"


def parsed(location: str) -> list[Item]:
    """One feed's items, as the run's FeedReader fetches and parses it."""
    return parse_feed(fetch(location), location)


def test_feed_reading_rss_and_atom(tmp_path):
    output = build(FIXTURE, tmp_path / "out")
    rss = {entry.guid: entry for entry in parsed(str(output / "rss.xml"))}
    atom = {entry.guid: entry for entry in parsed(str(output / "atom.xml"))}
    assert rss.keys() == atom.keys()
    school = rss["urn:uuid:11111111-1111-4111-8111-111111111111"]
    assert school.teaser == "Школа № 5 готова к зиме: новые окна и кровля."
    assert school.hashtags == "#Тестовый #школа"
    assert school.image.endswith(".jpg")
    assert atom[school.guid].image == school.image  # media:content in Atom
    assert not rss["urn:uuid:22222222-2222-4222-8222-222222222222"].crosspost
    both = merge({"rss.xml": list(rss.values()), "news/rss.xml": parsed(str(output / "news/rss.xml"))})
    assert len(both) == len(rss)
    assert [entry.published for entry in both] == sorted(entry.published for entry in both)


def test_feed_errors(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    with pytest.raises(FeedError, match="not a well-formed feed"):
        parsed(str(broken))
    with pytest.raises(FeedError, match="cannot read"):
        parsed(str(tmp_path / "missing.xml"))


def test_api_base_may_be_the_host_or_include_the_path():
    assert channel("vk", api_base="http://127.0.0.1:8080").api_base == "http://127.0.0.1:8080/method"
    assert channel("vk", api_base="http://127.0.0.1:8080/method/").api_base == "http://127.0.0.1:8080/method"
    assert channel("ok", api_base="http://127.0.0.1:8080/fb.do").api_base == "http://127.0.0.1:8080"
    assert channel("telegram", api_base="http://127.0.0.1:8080/").api_base == "http://127.0.0.1:8080"
