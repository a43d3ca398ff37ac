"""Each network's poster against its fake API: posts with and without a photo, edits, deletions,
replies, token checks (valid, invalid, wrong kind), rate limits, and the one retry loop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from crosspost_fakes import (
    ACCOUNTS,
    FAKES,
    MAX_TOKEN,
    OK_APP_KEY,
    OK_SECRET,
    OK_TOKEN,
    TELEGRAM_TOKEN,
    VK_COMMUNITY_KEY,
    VK_TOKEN,
    FakeMAX,
    FakeOK,
    FakeTelegram,
    FakeVK,
)
from ratusha.crosspost import config as config_module
from ratusha.crosspost import http
from ratusha.crosspost.config import NETWORKS
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.http import SECRETS
from ratusha.crosspost.poster import (
    HardStop,
    Judgement,
    Outcome,
    Pause,
    Poster,
    Verdict,
    decode_ref,
    poster_class,
)

SECRETS_OF = {
    "telegram": {"token": TELEGRAM_TOKEN},
    "vk": {"token": VK_TOKEN},
    "ok": {"token": OK_TOKEN, "application_key": OK_APP_KEY, "secret_key": OK_SECRET},
    "max": {"token": MAX_TOKEN},
}
QUICK = {"min_interval": 0, "timeout": 0.6, "backoff": 0.01, "max_wait": 5, "feeds": ["rss.xml"]}


def channel(tmp_path: Path, network: str, fake, **settings):
    """A channel loaded from crosspost.yml, as the command loads it, pointed at the fake."""
    block = {"type": network, "api_base": fake.url, **QUICK, **ACCOUNTS[network], **settings}
    path = tmp_path / "crosspost.yml"
    path.write_text(yaml.safe_dump({"channels": {network: block}}, allow_unicode=True), encoding="utf-8")
    return config_module.load(path).channels[network]


@pytest.fixture(params=NETWORKS)
def net(request, tmp_path) -> Iterator[tuple[str, object, Poster]]:
    """(network, its fake, a poster for it) for each of the four networks."""
    fake = FAKES[request.param]()
    poster = poster_class(request.param)(channel(tmp_path, request.param, fake), SECRETS_OF[request.param])
    yield request.param, fake, poster
    fake.stop()
    SECRETS.clear()


def poster_for(tmp_path: Path, network: str, fake, secrets: dict | None = None, **settings) -> Poster:
    return poster_class(network)(channel(tmp_path, network, fake, **settings), secrets or SECRETS_OF[network])


def item(number: int = 1, **fields) -> Item:
    base = {
        "guid": f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
        "title": f"Новость номер {number}",
        "link": f"https://town.example.ru/news/item-{number}/",
        "published": float(number),
        "date": "2026-11-20T10:30:00+10:00",
        "teaser": "Ремонт двора & <детской площадки> завершён.",
        "hashtags": "#город",
    }
    return Item(**(base | fields))


# Posting.


def test_post_without_image(net):
    network, fake, poster = net
    result = poster.send(item(1))
    assert result.outcome is Outcome.SENT, result.error
    assert len(fake.posts) == 1 and fake.count("/item-1/") == 1
    ref = decode_ref(result.remote_id)
    assert ref["id"]
    text = fake.text(fake.posts[0])
    assert "Ремонт двора" in text
    if network in ("telegram", "max"):
        assert "&amp; &lt;детской площадки&gt;" in text  # HTML escaped
    if network == "vk":
        assert fake.posts[0]["attachments"] == "https://town.example.ru/news/item-1/"


def test_post_with_the_lead_image_uploaded(net):
    network, fake, poster = net
    result = poster.send(item(2, image=fake.image("2.jpg")))
    assert result.outcome is Outcome.SENT, result.error
    (post,) = fake.posts
    if network == "telegram":
        assert post["method"] == "sendPhoto" and post["photo"].endswith("/images/2.jpg")
    elif network == "vk":
        photo, link = post["attachments"].split(",")
        assert fake.known_photo(photo) and link.endswith("/item-2/")
    elif network == "ok":
        media = json.loads(post["attachment"])["media"]
        assert [block["type"] for block in media] == ["text", "photo", "link"]
        assert media[1]["list"][0]["id"] in fake.upload_tokens
    else:
        (attachment,) = json.loads(post["attachments"])
        assert attachment["type"] == "image"
        assert next(iter(attachment["payload"]["photos"].values()))["token"] in fake.uploads


@pytest.mark.parametrize("network", ["vk", "ok", "max"])
def test_an_image_that_cannot_be_had_falls_back_to_the_link_card(tmp_path, network):
    fake = FAKES[network]()
    try:
        result = poster_for(tmp_path, network, fake).send(item(3, image=fake.image("missing.jpg")))
        assert result.outcome is Outcome.SENT
        (post,) = fake.posts
        if network == "vk":
            assert post["attachments"] == "https://town.example.ru/news/item-3/"
        elif network == "ok":
            assert [b["type"] for b in json.loads(post["attachment"])["media"]] == ["text", "link"]
        else:
            assert json.loads(post["attachments"]) == []
    finally:
        fake.stop()


def test_photo_false_sends_no_photo(tmp_path):
    fake = FakeVK()
    try:
        poster_for(tmp_path, "vk", fake, photo=False).send(item(4, image=fake.image()))
        assert fake.posts[0]["attachments"].startswith("https://") and not fake.photos
    finally:
        fake.stop()


# Corrections.


def test_edit_replaces_the_text_and_a_repeat_is_harmless(net):
    network, fake, poster = net
    sent = poster.send(item(5))
    corrected = item(5, title="Исправленный заголовок", teaser="Новый текст")
    result = poster.edit(corrected, sent.remote_id)
    if network == "ok":
        assert result.outcome is Outcome.REFUSED
        assert "no method to edit" in result.error and not fake.edits
        return
    assert result.outcome is Outcome.SENT, result.error
    (edit,) = fake.edits
    assert "Исправленный заголовок" in json.dumps(edit, ensure_ascii=False)
    again = poster.edit(corrected, sent.remote_id)
    assert again.outcome is Outcome.SENT, again.error  # Telegram: "not modified"; others set the same


def test_telegram_edit_of_a_photo_post_changes_the_caption_or_the_photo(tmp_path):
    fake = FakeTelegram()
    try:
        poster = poster_for(tmp_path, "telegram", fake)
        sent = poster.send(item(6, image=fake.image("6.jpg")))
        poster.edit(item(6, title="Новый заголовок", image=fake.image("6.jpg")), sent.remote_id)
        assert fake.edits[-1]["method"] == "editMessageCaption"
        changed = poster.edit(item(6, title="Новый заголовок", image=fake.image("6b.jpg")), sent.remote_id)
        assert fake.edits[-1]["method"] == "editMessageMedia"
        assert decode_ref(changed.remote_id)["image"].endswith("6b.jpg")  # the new photo is remembered
    finally:
        fake.stop()


def test_vk_edit_keeps_the_uploaded_photo_when_the_image_is_the_same(tmp_path):
    fake = FakeVK()
    try:
        poster = poster_for(tmp_path, "vk", fake)
        sent = poster.send(item(7, image=fake.image("7.jpg")))
        photo = fake.posts[0]["attachments"].split(",")[0]
        poster.edit(item(7, title="Исправлено", image=fake.image("7.jpg")), sent.remote_id)
        assert fake.edits[0]["attachments"].split(",")[0] == photo
        assert len(fake.photos) == 1  # not uploaded again
    finally:
        fake.stop()


def test_edit_of_a_post_that_is_gone_is_refused(net):
    _network, _fake, poster = net
    sent = poster.send(item(8))
    poster.delete(sent.remote_id)
    result = poster.edit(item(8, title="Поздно"), sent.remote_id)
    assert result.outcome is Outcome.REFUSED


# Withdrawals.


def test_delete_and_delete_again(net):
    _network, fake, poster = net
    sent = poster.send(item(9))
    result = poster.delete(sent.remote_id)
    assert result.outcome is Outcome.SENT, result.error
    assert len(fake.deletes) == 1
    again = poster.delete(sent.remote_id)
    assert again.outcome is Outcome.SENT  # already gone counts as deleted
    assert len(fake.deletes) == 1


def test_telegram_refuses_to_delete_after_48_hours(tmp_path):
    fake = FakeTelegram()
    try:
        poster = poster_for(tmp_path, "telegram", fake)
        sent = poster.send(item(10))
        fake.advance(48 * 3600 + 60)
        result = poster.delete(sent.remote_id)
        assert result.outcome is Outcome.REFUSED
        assert "48 hours" in result.error and not fake.deletes
    finally:
        fake.stop()


def test_ok_delete_refused_where_ok_does_not_allow_it(tmp_path):
    fake = FakeOK(delete_error=10)
    try:
        poster = poster_for(tmp_path, "ok", fake)
        result = poster.delete(poster.send(item(11)).remote_id)
        assert result.outcome is Outcome.REFUSED and "delete it by hand" in result.error
    finally:
        fake.stop()


def test_max_delete_without_the_right_is_refused(tmp_path):
    fake = FakeMAX(permissions=["write", "edit"])
    try:
        poster = poster_for(tmp_path, "max", fake)
        result = poster.delete(poster.send(item(12)).remote_id)
        assert result.outcome is Outcome.REFUSED and not fake.deletes
    finally:
        fake.stop()


def test_reply_is_linked_to_the_post(net):
    network, fake, poster = net
    sent = poster.send(item(13))
    text = "Материал отозван 21.11.2026: ошибка в дате. https://town.example.ru/news/item-13/"
    result = poster.reply(sent.remote_id, text)
    assert result.outcome is Outcome.SENT, result.error
    (reply,) = fake.replies
    assert text in json.dumps(reply, ensure_ascii=False)
    ref = decode_ref(sent.remote_id)
    linked = {
        "telegram": json.loads(reply.get("reply_parameters", "{}")).get("message_id"),
        "vk": reply.get("post_id"),
        "ok": reply.get("entityId"),
        "max": reply.get("reply_to"),
    }[network]
    assert str(linked) == str(ref["id"])
    assert fake.posts == fake.posts[:1]  # a reply is not a new post


def test_reply_to_a_post_that_is_gone_is_refused(net):
    _network, _fake, poster = net
    sent = poster.send(item(14))
    poster.delete(sent.remote_id)
    assert poster.reply(sent.remote_id, "Материал отозван").outcome is Outcome.REFUSED


def test_vk_reply_repeated_with_the_same_guid_is_one_comment(tmp_path):
    fake = FakeVK()
    try:
        poster = poster_for(tmp_path, "vk", fake)
        sent = poster.send(item(15))
        fake.faults.extend(["timeout-after"])
        result = poster.reply(sent.remote_id, "Материал отозван")
        assert result.outcome is Outcome.SENT and len(fake.replies) == 1
    finally:
        fake.stop()


# Token checks.


def test_token_check_valid(net):
    network, _fake, poster = net
    check = poster.check_token()
    assert check.network == network
    assert check.kind == {"telegram": "bot", "vk": "user", "ok": "user", "max": "bot"}[network]
    assert {"telegram": "@test_admin_bot", "vk": "Иван Петров", "ok": "Мария Иванова", "max": "@severogorsk_bot"}[
        network
    ] in check.name


@pytest.mark.parametrize("network", NETWORKS)
def test_token_check_invalid_is_a_hard_stop_that_says_what_to_run(tmp_path, network):
    fake = FAKES[network]()
    try:
        secrets = dict(SECRETS_OF[network], token="wrong-token-value-1234")
        with pytest.raises(HardStop, match=f"auth {network}") as stop:
            poster_for(tmp_path, network, fake, secrets).check_token()
        assert "wrong-token-value-1234" not in str(stop.value)
    finally:
        fake.stop()


def test_vk_community_key_is_refused_for_token_check_and_for_posting(tmp_path):
    fake = FakeVK()
    try:
        poster = poster_for(tmp_path, "vk", fake, {"token": VK_COMMUNITY_KEY})
        with pytest.raises(HardStop, match=r"community key.*ratusha-crosspost auth vk"):
            poster.check_token()
        with pytest.raises(HardStop, match=r"error 27.*user access token.*ratusha-crosspost auth vk"):
            poster.send(item(16))
        assert not fake.posts
    finally:
        fake.stop()


@pytest.mark.parametrize(
    ("network", "fake_settings", "message"),
    [
        ("telegram", {"bot_status": "member"}, "may not post"),
        ("telegram", {"can_post": False}, "may not post"),
        ("vk", {"admin_level": 1}, "moderator"),
        ("vk", {"admin_level": 0}, "not a manager"),
        ("ok", {"group_content": False}, "GROUP_CONTENT"),
        ("max", {"is_bot": False}, "not a bot"),
        ("max", {"is_admin": False}, "right to write"),
        ("max", {"member": False}, "chat.denied"),
    ],
)
def test_token_of_the_wrong_kind_or_without_rights_is_a_hard_stop(tmp_path, network, fake_settings, message):
    fake = FAKES[network](**fake_settings)
    try:
        with pytest.raises(HardStop, match=message):
            poster_for(tmp_path, network, fake).check_token()
    finally:
        fake.stop()


@pytest.mark.parametrize("network", NETWORKS)
def test_token_check_of_an_unreachable_api_pauses(tmp_path, network):
    fake = FAKES[network]()
    fake.stop()
    poster = poster_for(tmp_path, network, fake, retries=2)
    with pytest.raises(Pause) as pause:
        poster.check_token()
    assert pause.value.failure


# MAX specifics.


def test_max_sends_the_token_only_in_the_authorization_header(tmp_path):
    fake = FakeMAX()
    try:
        poster = poster_for(tmp_path, "max", fake)
        poster.check_token()
        poster.send(item(17, image=fake.image()))
        assert all("access_token" not in fields for _, fields in fake.requests)
        assert fake.posts
        # …because the platform refuses it in the query since February 2026
        refused = http.request("GET", f"{fake.url}/me?access_token={MAX_TOKEN}")
        assert refused.status == 401 and refused.json()["code"] == "verify.token"
    finally:
        fake.stop()


def test_max_waits_for_an_attachment_that_is_not_ready(tmp_path):
    fake = FakeMAX(not_ready=2)
    try:
        result = poster_for(tmp_path, "max", fake).send(item(18, image=fake.image()))
        assert result.outcome is Outcome.SENT
        assert len(fake.posts) == 1
        tries = [f for path, f in fake.requests if path == "/messages"]
        assert len(tries) == 3  # two "attachment.not.ready", then posted
    finally:
        fake.stop()


def test_max_rate_limit_is_waited_out_and_posted_once(tmp_path):
    fake = FakeMAX()
    slept: list[float] = []
    try:
        channel_ = channel(tmp_path, "max", fake)
        poster = poster_class("max")(channel_, SECRETS_OF["max"], sleep=slept.append)
        fake.faults.extend(["rate", "rate"])
        assert poster.send(item(19)).outcome is Outcome.SENT
        assert slept == [1.0, 1.0]  # Retry-After: 1
        assert len(fake.posts) == 1
    finally:
        fake.stop()


def test_max_timeout_after_posting_is_uncertain_and_not_resent(tmp_path):
    fake = FakeMAX(late=1.0)
    try:
        fake.faults.extend(["timeout-after"])
        result = poster_for(tmp_path, "max", fake).send(item(20))
        assert result.outcome is Outcome.UNCERTAIN
        assert len(fake.posts) == 1
    finally:
        fake.stop()


def test_max_markdown_format_escapes_the_values(tmp_path):
    fake = FakeMAX()
    try:
        template = "**{title}**\n\n{text}\n\n[Читать на сайте]({link})"
        poster = poster_for(tmp_path, "max", fake, format="markdown", template=template)
        poster.send(item(21, title="Итоги *конкурса* [2026]"))
        (post,) = fake.posts
        assert post["format"] == "markdown"
        assert post["text"].startswith("**Итоги \\*конкурса\\* \\[2026\\]**")
    finally:
        fake.stop()


def test_max_text_is_cut_to_4000_characters_with_the_link(tmp_path):
    fake = FakeMAX()
    try:
        poster = poster_for(tmp_path, "max", fake)
        result = poster.send(item(22, teaser="Очень длинный текст о благоустройстве " * 200))
        assert result.outcome is Outcome.SENT, result.error
        text = fake.posts[0]["text"]
        assert len(text) <= 4000 and text.endswith(
            '<a href="https://town.example.ru/news/item-22/">Читать на сайте</a>'
        )
    finally:
        fake.stop()


def test_max_defaults(tmp_path):
    path = tmp_path / "crosspost.yml"
    path.write_text("channels:\n  max:\n    chat_id: -71234567890\n    feeds: [rss.xml]\n", encoding="utf-8")
    loaded = config_module.load(path).channels["max"]
    assert loaded.api_base == "https://platform-api2.max.ru"
    assert loaded.secret_env == {"token": "RATUSHA_MAX_TOKEN"}
    assert loaded.options["format"] == "html" and loaded.max_length == 4000


# The one retry loop.


class Script:
    """Answers (or transport errors) played to Poster.exchange in order."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.calls = 0

    def __call__(self) -> http.Response:
        self.calls += 1
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def judge(answer: http.Response) -> Judgement:
    return {
        200: Judgement(Verdict.OK, value="done"),
        429: Judgement(Verdict.RATE, error="429", wait=float(answer.body or 1)),
        503: Judgement(Verdict.RETRY, error="503"),
        504: Judgement(Verdict.UNSURE, error="504"),
        400: Judgement(Verdict.FAILED, error="400"),
        401: Judgement(Verdict.STOP, error="401"),
    }[answer.status]


@pytest.fixture
def looper(tmp_path):
    fake = FakeTelegram()
    slept: list[float] = []
    poster = poster_class("telegram")(
        channel(tmp_path, "telegram", fake, retries=3, backoff=1, max_wait=10), {}, slept.append
    )
    yield poster, slept
    fake.stop()


def ok() -> http.Response:
    return http.Response(200, b"")


def test_loop_retries_what_was_not_sent_and_backs_off(looper):
    poster, slept = looper
    script = Script(http.NotSent("could not send"), http.Response(503, b""), ok())
    assert poster.exchange(script, judge, idempotent=False, what="x").verdict is Verdict.OK
    assert script.calls == 3 and slept == [1, 2]


def test_loop_does_not_repeat_a_non_idempotent_request_that_may_have_arrived(looper):
    poster, _slept = looper
    for unsure in (http.Uncertain("no answer"), http.Response(504, b"")):
        script = Script(unsure, ok())
        assert poster.exchange(script, judge, idempotent=False, what="x").verdict is Verdict.UNSURE
        assert script.calls == 1


def test_loop_repeats_an_idempotent_request_that_may_have_arrived(looper):
    poster, _ = looper
    script = Script(http.Uncertain("no answer"), ok())
    assert poster.exchange(script, judge, idempotent=True, what="x").verdict is Verdict.OK
    all_unsure = Script(*[http.Uncertain("no answer")] * 3)
    assert poster.exchange(all_unsure, judge, idempotent=True, what="x").verdict is Verdict.UNSURE
    assert all_unsure.calls == 3


def test_loop_waits_as_long_as_a_rate_limit_asks(looper):
    poster, slept = looper
    script = Script(http.Response(429, b"7"), ok())
    assert poster.exchange(script, judge, idempotent=False, what="x").verdict is Verdict.OK
    assert slept == [7.0]
    with pytest.raises(Pause) as pause:  # longer than max_wait (10 s): a limit at work, not a fault
        poster.exchange(Script(http.Response(429, b"60")), judge, idempotent=False, what="x")
    assert not pause.value.failure


def test_loop_pauses_when_rate_limits_or_retries_do_not_end(looper):
    poster, _ = looper
    with pytest.raises(Pause) as pause:
        poster.exchange(Script(*[http.Response(429, b"1")] * 20), judge, idempotent=False, what="x")
    assert pause.value.failure and "11 times in a row" in str(pause.value)
    with pytest.raises(Pause) as pause:
        poster.exchange(Script(*[http.Response(503, b"")] * 3), judge, idempotent=False, what="x")
    assert pause.value.failure and "after 3 tries" in str(pause.value)


def test_loop_stops_and_returns_refusals_at_once(looper):
    poster, _ = looper
    with pytest.raises(HardStop):
        poster.exchange(Script(http.Response(401, b"")), judge, idempotent=True, what="x")
    script = Script(http.Response(400, b""), ok())
    assert poster.exchange(script, judge, idempotent=True, what="x").verdict is Verdict.FAILED
    assert script.calls == 1
