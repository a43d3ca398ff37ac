"""Telegram channel poster: Bot API sendMessage / sendPhoto in HTML parse mode, and their edits.

The Bot API has no idempotency key, so a post is repeated only when Telegram said it did
not act on it: 429 (wait ``parameters.retry_after``), 500/502/503 (with backoff) or a
failure to connect. A post that timed out after being sent, or a 504 from the gateway,
is *uncertain*: resending it could post twice, so by default it is reported, not resent
(``on_timeout: resend`` to resend it once on the next run). Edits set the same content
when repeated (Telegram answers "message is not modified") and deletes of a message
already gone answer "not found", so both are repeated freely.

What the Bot API allows (core.telegram.org/bots/api): a bot edits its own channel posts
with no time limit (the 48-hour limit of editMessage* is for business messages), the text
of a text post (editMessageText), the caption of a photo post (editMessageCaption) or its
photo and caption (editMessageMedia). deleteMessage: "a message can only be deleted if it
was sent less than 48 hours ago"; a bot with can_post_messages deletes its own posts in a
channel, one with can_delete_messages any post. Older posts answer "message can't be
deleted", which is REFUSED: a person deletes it in the app. A reply is a sendMessage with
``reply_parameters``.
"""

from __future__ import annotations

import json

from ratusha.crosspost import config as cfg
from ratusha.crosspost import format as fmt
from ratusha.crosspost import http
from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.poster import (
    HardStop,
    Judgement,
    Outcome,
    Poster,
    Request,
    Result,
    TokenCheck,
    Verdict,
    decode_ref,
    encode_ref,
    json_or_none,
    refused,
)

#: Answers to sendPhoto that mean "this photo", not "this post": send it as text instead.
PHOTO_PROBLEMS = ("photo", "image", "url", "file", "web page content", "dimensions")
AUTH_ADVICE = "the bot token is wrong or revoked: run `ratusha-crosspost auth telegram`"


class TelegramPoster(Poster):
    """Posts to one channel as its bot administrator."""

    network = "telegram"
    label = "Telegram"
    can_edit = True
    can_delete = True
    can_reply = True
    edit_window = None  # a bot's own channel posts: no limit (Bot API, editMessageText)
    #: deleteMessage: only messages sent less than 48 hours ago.
    delete_window = 48 * 3600.0
    option_keys = frozenset({"chat_id", "photo", "link_preview", "silent"})

    @classmethod
    def parse_options(cls, channel: Channel, settings: dict, where: str, problems: list[str]) -> None:
        """chat_id (required), photo, link_preview, silent; the token in RATUSHA_TELEGRAM_TOKEN."""
        channel.max_length = min(channel.max_length, 4096)
        cfg._require(settings, "chat_id", where, problems)
        channel.secret_env = {"token": str(settings.get("token_env", "RATUSHA_TELEGRAM_TOKEN"))}
        channel.options = {
            "chat_id": str(settings.get("chat_id", "")),
            "photo": bool(settings.get("photo", True)),
            "link_preview": bool(settings.get("link_preview", True)),
            "silent": bool(settings.get("silent", False)),
        }
        channel.api_base = channel.api_base.removesuffix("/bot")

    # Posting.

    def prepare(self, item: Item, key: str = "", photo: bool | None = None) -> Request:
        """Build a sendPhoto with a caption if the item has a lead image, else a sendMessage."""
        options = self.channel.options
        photo = bool(item.image and options.get("photo", True)) if photo is None else photo
        text, cut = fmt.telegram_text(self.channel, item, caption=photo)
        params = {"chat_id": str(options["chat_id"]), "parse_mode": "HTML"}
        if photo:
            params |= {"photo": item.image, "caption": text}
        else:
            params["text"] = text
            params |= self._preview()
        if options.get("silent"):
            params["disable_notification"] = "true"
        return Request("sendPhoto" if photo else "sendMessage", params, "cut to fit" if cut else "")

    def send(self, item: Item, key: str = "") -> Result:
        """Send; on a 400 about the photo, fall back to a text message (nothing was posted)."""
        request = self.prepare(item, key)
        judgement = self._call(request.method, request.params, idempotent=False)
        requests = [request]
        if request.method == "sendPhoto" and self._photo_refused(judgement):
            request = self.prepare(item, key, photo=False)
            requests.append(request)
            judgement = self._call(request.method, request.params, idempotent=False)
        remote_id = ""
        if judgement.verdict is Verdict.OK:
            message = judgement.value or {}
            chat = str((message.get("chat") or {}).get("id") or self.channel.options["chat_id"])
            photo = request.method == "sendPhoto"
            remote_id = encode_ref(
                chat=chat, id=message.get("message_id"), photo=1 if photo else None, image=item.image if photo else ""
            )
        return Result(judgement.outcome, remote_id, judgement.error, requests)

    @staticmethod
    def _photo_refused(judgement: Judgement) -> bool:
        return (
            judgement.verdict is Verdict.FAILED
            and judgement.code == 400
            and any(word in judgement.error.lower() for word in PHOTO_PROBLEMS)
        )

    # Corrections and withdrawals.

    def edit(self, item: Item, remote_id: str) -> Result:
        """editMessageText, editMessageCaption, or editMessageMedia when the photo changed."""
        ref = self._ref(remote_id)
        target = {"chat_id": ref["chat"], "message_id": str(ref["id"])}
        if ref.get("photo"):
            caption, cut = fmt.telegram_text(self.channel, item, caption=True)
            if item.image and item.image != ref.get("image"):
                media = {"type": "photo", "media": item.image, "caption": caption, "parse_mode": "HTML"}
                request = Request("editMessageMedia", target | {"media": json.dumps(media, ensure_ascii=False)})
            else:
                request = Request("editMessageCaption", target | {"caption": caption, "parse_mode": "HTML"})
        else:
            text, cut = fmt.telegram_text(self.channel, item, caption=False)
            request = Request("editMessageText", target | {"text": text, "parse_mode": "HTML"} | self._preview())
        request.note = "cut to fit" if cut else ""
        judgement = self._call(request.method, request.params, idempotent=True, gone="message to edit not found")
        if judgement.verdict is Verdict.FAILED and "not modified" in judgement.error:
            judgement = Judgement(Verdict.OK)  # already as corrected: a repeat of an edit that got through
        new_id = ""
        if judgement.verdict is Verdict.OK and request.method == "editMessageMedia":
            new_id = encode_ref(**(ref | {"image": item.image}))
        return Result(judgement.outcome, new_id, judgement.error, [request])

    def delete(self, remote_id: str) -> Result:
        """deleteMessage; "not found" means deleted already, "can't be deleted" is REFUSED."""
        ref = self._ref(remote_id)
        request = Request("deleteMessage", {"chat_id": ref["chat"], "message_id": str(ref["id"])})
        judgement = self._call(request.method, request.params, idempotent=True)
        error = judgement.error.lower()
        if judgement.verdict is Verdict.FAILED and "message to delete not found" in error:
            return Result(Outcome.SENT, error="already gone", requests=[request])
        if judgement.verdict is Verdict.FAILED and "can't be deleted" in error:
            return refused(
                f"Telegram: {judgement.error}: a bot may delete a message only within 48 hours of posting "
                "(Bot API deleteMessage); delete the post by hand in the channel",
                request,
            )
        return Result(judgement.outcome, error=judgement.error, requests=[request])

    def reply(self, remote_id: str, text: str) -> Result:
        """SendMessage with reply_parameters: a plain-text message that quotes the post."""
        ref = self._ref(remote_id)
        reply_to = json.dumps({"message_id": int(ref["id"]), "allow_sending_without_reply": False})
        params = {"chat_id": ref["chat"], "text": text, "reply_parameters": reply_to}
        if self.channel.options.get("silent"):
            params["disable_notification"] = "true"
        request = Request("sendMessage", params, "reply")
        judgement = self._call(request.method, params, idempotent=False, gone="message to be replied not found")
        remote = ""
        if judgement.verdict is Verdict.OK:
            remote = encode_ref(chat=ref["chat"], id=(judgement.value or {}).get("message_id"))
        return Result(judgement.outcome, remote, judgement.error, [request])

    # The token.

    def check_token(self) -> TokenCheck:
        """GetMe (a bot?), getChat (the chat exists?), getChatMember of the bot (may it post?)."""
        me = self._require_ok(self._call("getMe", {}, idempotent=True), "getMe", AUTH_ADVICE)
        if not me.get("is_bot"):
            raise HardStop("Telegram: getMe says this is not a bot; use the token @BotFather gave the bot")
        name = f"@{me.get('username')}" if me.get("username") else str(me.get("first_name", me.get("id")))
        chat_id = str(self.channel.options.get("chat_id") or "")
        if not chat_id:
            return TokenCheck(self.network, "bot", name)
        chat = self._require_ok(self._call("getChat", {"chat_id": chat_id}, idempotent=True), "getChat")
        member = self._call("getChatMember", {"chat_id": chat_id, "user_id": str(me.get("id"))}, idempotent=True)
        member = self._require_ok(member, "getChatMember")
        status = member.get("status")
        kind = chat.get("type", "chat")
        where = chat.get("title") or chat_id
        if status == "creator" or (status == "administrator" and member.get("can_post_messages", True)):
            return TokenCheck(self.network, "bot", name, f"{status} of {kind} «{where}», may post")
        if status in ("member", "restricted") and kind != "channel" and member.get("can_send_messages", True):
            return TokenCheck(self.network, "bot", name, f"{status} of {kind} «{where}», may post")
        raise HardStop(
            f"Telegram: {name} is {status} of {kind} «{where}» and may not post there: make the bot an "
            "administrator of the channel with the right to post messages"
        )

    @staticmethod
    def _require_ok(judgement: Judgement, method: str, advice: str = "") -> dict:
        if judgement.verdict is not Verdict.OK:
            raise HardStop(f"Telegram {method}: {judgement.error}" + (f": {advice}" if advice else ""))
        return judgement.value or {}

    # The wire.

    def _ref(self, remote_id: str) -> dict:
        ref = decode_ref(remote_id)
        ref.setdefault("chat", str(self.channel.options["chat_id"]))
        ref["chat"] = str(ref["chat"])
        return ref

    def _preview(self) -> dict[str, str]:
        return (
            {} if self.channel.options.get("link_preview", True) else {"link_preview_options": '{"is_disabled": true}'}
        )

    def _call(self, method: str, params: dict[str, str], *, idempotent: bool, gone: str = "") -> Judgement:
        url = f"{self.channel.api_base}/bot{self.secrets.get('token', '')}/{method}"
        judgement = self.exchange(
            lambda: http.request("POST", url, params, timeout=self.channel.timeout),
            lambda answer: self._judge(answer, params.get("chat_id", "")),
            idempotent=idempotent,
            what=f"Telegram {method}",
        )
        if gone and judgement.verdict is Verdict.FAILED and gone in judgement.error.lower():
            return Judgement(Verdict.REFUSED, error=f"{judgement.error}: the post is no longer in the channel")
        return judgement

    @staticmethod
    def _judge(answer: http.Response, chat_id: str) -> Judgement:  # noqa: PLR0911 - one return per documented answer
        body = json_or_none(answer.json()) or {}
        if body.get("ok") is True:
            return Judgement(Verdict.OK, value=body.get("result"))
        code = int(body.get("error_code") or answer.status)
        description = str(body.get("description") or f"HTTP {answer.status}")
        error = f"{code} {description}"
        parameters = json_or_none(body.get("parameters")) or {}
        if code == 429:
            retry_after = float(parameters.get("retry_after") or answer.header("Retry-After") or 5)
            return Judgement(Verdict.RATE, error=error, wait=retry_after, code=code)
        if code == 401:
            return Judgement(Verdict.STOP, error=f"{error}: {AUTH_ADVICE}", code=code)
        if code == 403:
            advice = f"make the bot an administrator of {chat_id} with the right to post messages"
            return Judgement(Verdict.STOP, error=f"{error}: {advice}", code=code)
        if code == 400 and parameters.get("migrate_to_chat_id"):
            advice = f"the group became a supergroup: set chat_id to {parameters['migrate_to_chat_id']}"
            return Judgement(Verdict.STOP, error=f"{error}: {advice}", code=code)
        if code == 400 and "chat not found" in description.lower():
            return Judgement(Verdict.STOP, error=f"{error}: check chat_id ({chat_id}) in the config", code=code)
        if code in (500, 502, 503):  # the API answered that it failed: safe to repeat
            return Judgement(Verdict.RETRY, error=error, code=code)
        if code >= 500:
            return Judgement(Verdict.UNSURE, error=error, code=code)
        return Judgement(Verdict.FAILED, error=error, code=code)
