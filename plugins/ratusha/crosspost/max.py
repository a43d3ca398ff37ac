"""MAX channel poster: the MAX Bot API (dev.max.ru), POST /messages to a channel as its bot.

The bot's token goes in the ``Authorization`` header, as the token itself (no "Bearer");
the ``access_token`` query parameter is no longer accepted (dev.max.ru, since February
2026), so it is never sent. The base URL is ``api_base``: the default is
``https://platform-api2.max.ru``, the host dev.max.ru tells bots to use instead of
``platform-api.max.ru`` (older clients still name ``botapi.max.ru``); its certificate
chains to the Russian Trusted Root CA of the Ministry of Digital Development, which
``ca_file`` adds when the system does not trust it.

A post is ``POST /messages?chat_id=…`` with a JSON ``NewMessageBody``: ``text`` (at most
4000 characters) in the channel's ``format`` (``html`` or ``markdown``), the lead image
as an ``image`` attachment. The image is uploaded first: ``POST /uploads?type=image``
gives a URL, the file is POSTed there as ``data``, and the answer (``{"photos": {…:
{"token": …}}}``) is the attachment's payload. MAX may still be processing the file: the
post then answers 400 ``attachment.not.ready``, and is sent again after a pause, as the
official clients do. Errors are HTTP statuses with ``{"code", "message"}``: 401
``verify.token``, 403 (the bot may not write there), 404, 429 (more than two messages a
second to one chat, or 30 requests a second in all), 503.

There is no idempotency key: as on Telegram, a post whose answer was lost is uncertain.
Edits (``PUT /messages?message_id=…``; channel posts have no time limit) and deletes
(``DELETE /messages``) are repeated freely. A reply is a message with
``link: {"type": "reply", "mid": …}``.
"""

from __future__ import annotations

import urllib.parse

from ratusha.crosspost import config as cfg
from ratusha.crosspost import format as fmt
from ratusha.crosspost import http
from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.poster import (
    HardStop,
    Judgement,
    Outcome,
    Pause,
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

AUTH_ADVICE = "the bot token is wrong or revoked: run `ratusha-crosspost auth max`"
RIGHTS_ADVICE = "add the bot to the channel as an administrator with the right to write (permission 'write')"
FORMATS = ("html", "markdown")


class MAXPoster(Poster):
    """Posts to one MAX channel (or group chat) as its bot."""

    network = "max"
    label = "MAX"
    can_edit = True
    can_delete = True
    can_reply = True
    edit_window = None  # PUT /messages: "in group chats and channels any message, whatever its age"
    option_keys = frozenset({"chat_id", "format", "photo", "link_preview", "silent", "ca_file"})

    @classmethod
    def parse_options(cls, channel: Channel, settings: dict, where: str, problems: list[str]) -> None:
        """chat_id (required, a number), format (html), photo, link_preview, silent, ca_file."""
        chat = cfg._require(settings, "chat_id", where, problems)
        if chat is not None:
            try:
                chat = int(str(chat))
            except ValueError:
                problems.append(f"{where}.chat_id: {chat!r} must be the chat's number (e.g. -71234567890)")
        text_format = settings.get("format", "html")
        if text_format not in FORMATS:
            problems.append(f"{where}.format: {text_format!r} (allowed: {', '.join(FORMATS)})")
            text_format = "html"
        ca_file = str(settings.get("ca_file") or "")
        channel.max_length = min(channel.max_length, cfg.MAX_TEXT_LIMIT)
        channel.secret_env = {"token": str(settings.get("token_env", "RATUSHA_MAX_TOKEN"))}
        channel.options = {
            "chat_id": chat,
            "format": text_format,
            "photo": bool(settings.get("photo", True)),
            "link_preview": bool(settings.get("link_preview", True)),
            "silent": bool(settings.get("silent", False)),
            "ca_file": ca_file,
        }

    # Posting.

    def prepare(self, item: Item, key: str = "") -> Request:
        """POST /messages: the text in the channel's format; the photo is uploaded when sent."""
        options = self.channel.options
        text, cut = fmt.max_text(self.channel, item)
        params = {"chat_id": str(options["chat_id"]), "format": str(options["format"]), "text": text}
        if not options.get("link_preview", True):
            params["disable_link_preview"] = "true"
        if options.get("silent"):
            params["notify"] = "false"
        notes = ["cut to fit"] if cut else []
        if item.image and options.get("photo", True):
            notes.append("the lead image is uploaded (POST /uploads?type=image) and attached when sent")
        return Request("POST /messages", params, "; ".join(notes))

    def send(self, item: Item, key: str = "") -> Result:
        """Upload the photo, then post; wait out attachment.not.ready; never resend after a timeout."""
        request = self.prepare(item, key)
        photo = self._photo(item)
        body = self._body(request.params, [photo] if photo else [])
        judgement = self._call("POST", "/messages", self._query(request.params), body, idempotent=False)
        if judgement.verdict is Verdict.FAILED and judgement.code == 404:
            raise HardStop(f"MAX POST /messages: {judgement.error}: check chat_id ({request.params['chat_id']})")
        remote_id = ""
        if judgement.verdict is Verdict.OK:
            message = (json_or_none(judgement.value) or {}).get("message") or {}
            mid = (message.get("body") or {}).get("mid", "")
            if not mid:
                return Result(Outcome.UNCERTAIN, error=f"MAX: an answer without the message id: {judgement.value!r}")
            remote_id = encode_ref(chat=self.channel.options["chat_id"], id=mid, photo=1 if photo else None,
                                   image=item.image if photo else "")  # fmt: skip
        if photo:
            request.note = "with the lead image uploaded"
        return Result(judgement.outcome, remote_id, judgement.error, [request])

    def _query(self, params: dict[str, str]) -> dict[str, str]:
        query = {"chat_id": params["chat_id"]}
        if params.get("disable_link_preview"):
            query["disable_link_preview"] = "true"
        return query

    def _body(self, params: dict[str, str], attachments: list[dict] | None) -> dict:
        body: dict = {"text": params["text"], "format": params["format"]}
        if attachments is not None:
            body["attachments"] = attachments
        if params.get("notify") == "false":
            body["notify"] = False
        return body

    def _photo(self, item: Item) -> dict:
        """Upload the lead image and return it as an attachment; {} when there is none or any step fails."""
        image = self.lead_image(item)
        if image is None:
            return {}
        try:
            slot = self._call("POST", "/uploads", {"type": "image"}, None, idempotent=True)
            upload_url = (json_or_none(slot.value) or {}).get("url")
            if slot.verdict is not Verdict.OK or not upload_url:
                return {}
            uploaded = self.upload(
                upload_url,
                "data",
                image,
                self._judge_upload,
                "MAX image upload",
                headers=self._auth(),
                ca_file=self.channel.options.get("ca_file", ""),
            )
        except Pause:
            return {}
        payload = json_or_none(uploaded.value) if uploaded.verdict is Verdict.OK else None
        return {"type": "image", "payload": payload} if payload else {}

    @staticmethod
    def _judge_upload(answer: http.Response) -> Judgement:
        body = json_or_none(answer.json())
        if answer.status == 200 and body and (json_or_none(body.get("photos")) or body.get("token")):
            return Judgement(Verdict.OK, value=body)
        if answer.status in (429, 502, 503):
            return Judgement(Verdict.RETRY, error=f"MAX upload: HTTP {answer.status}")
        return Judgement(Verdict.FAILED, error=f"MAX upload refused the image: HTTP {answer.status}")

    # Corrections and withdrawals.

    def edit(self, item: Item, remote_id: str) -> Result:
        """PUT /messages: the corrected text; the attachments only when the image changed."""
        ref = self._ref(remote_id)
        text, cut = fmt.max_text(self.channel, item)
        params = {"message_id": str(ref["id"]), "format": str(self.channel.options["format"]), "text": text}
        request = Request("PUT /messages", params, "cut to fit" if cut else "")
        attachments = None  # null: "the current message attachments won't be changed"
        photo = {}
        if item.image != (ref.get("image") or "") and self.channel.options.get("photo", True):
            photo = self._photo(item)
            attachments = [photo] if photo else []
        body = self._body(params | {"notify": "false"}, attachments)
        body["attachments"] = attachments
        judgement = self._call("PUT", "/messages", {"message_id": params["message_id"]}, body, idempotent=True)
        judgement = self._simple(judgement, gone_is=Verdict.REFUSED)
        new_id = ""
        if judgement.verdict is Verdict.OK and attachments is not None:
            new_id = encode_ref(**(ref | {"photo": 1 if photo else None, "image": item.image if photo else None}))
        return Result(judgement.outcome, new_id, judgement.error, [request])

    def delete(self, remote_id: str) -> Result:
        """DELETE /messages; a message already gone counts as deleted."""
        ref = self._ref(remote_id)
        request = Request("DELETE /messages", {"message_id": str(ref["id"])})
        judgement = self._call("DELETE", "/messages", request.params, None, idempotent=True, forbidden_is_stop=False)
        if judgement.verdict is Verdict.FAILED and judgement.code == 403:
            return refused(
                f"{judgement.error}: the bot may not delete messages in this channel; delete it by hand", request
            )
        judgement = self._simple(judgement, gone_is=Verdict.OK)
        return Result(judgement.outcome, error=judgement.error, requests=[request])

    def reply(self, remote_id: str, text: str) -> Result:
        """Send a plain-text message to the channel, linked to the post as a reply."""
        ref = self._ref(remote_id)
        request = Request(
            "POST /messages", {"chat_id": str(ref["chat"]), "text": text, "reply_to": str(ref["id"])}, "reply"
        )
        body: dict = {"text": text, "link": {"type": "reply", "mid": str(ref["id"])}}
        if self.channel.options.get("silent"):
            body["notify"] = False
        judgement = self._call("POST", "/messages", {"chat_id": str(ref["chat"])}, body, idempotent=False)
        if judgement.verdict is Verdict.FAILED and judgement.code == 404:
            judgement = Judgement(Verdict.REFUSED, error=f"{judgement.error}: the post is no longer in the channel")
        mid = ((json_or_none(judgement.value) or {}).get("message") or {}).get("body", {}).get("mid", "")
        remote = encode_ref(chat=ref["chat"], id=mid) if mid else ""
        return Result(judgement.outcome, remote, judgement.error, [request])

    @staticmethod
    def _simple(judgement: Judgement, gone_is: Verdict) -> Judgement:
        """Read a SimpleQueryResult ({"success": bool, "message"}); a 404 is 'gone'."""
        if judgement.verdict is Verdict.FAILED and judgement.code == 404:
            note = (
                "already gone" if gone_is is Verdict.OK else f"{judgement.error}: the post is no longer in the channel"
            )
            return Judgement(gone_is, error=note)
        if judgement.verdict is Verdict.OK:
            value = json_or_none(judgement.value) or {}
            if value.get("success") is False:
                return Judgement(Verdict.FAILED, error=f"MAX: {value.get('message') or 'not done'}")
        return judgement

    # The token.

    def check_token(self) -> TokenCheck:
        """GET /me (a bot?), GET /chats/{id} and its /members/me (may it write in the channel?)."""
        me = self._require_ok(self._call("GET", "/me", {}, None, idempotent=True), "GET /me")
        if me.get("is_bot") is False:
            raise HardStop("MAX: GET /me says this token is not a bot's; use the bot token of the MAX platform")
        name = f"@{me['username']}" if me.get("username") else str(me.get("first_name") or me.get("user_id"))
        chat = self.channel.options.get("chat_id")
        if chat in (None, ""):
            return TokenCheck(self.network, "bot", name)
        info = self._require_ok(self._call("GET", f"/chats/{chat}", {}, None, idempotent=True), f"GET /chats/{chat}")
        member = self._call("GET", f"/chats/{chat}/members/me", {}, None, idempotent=True)
        member = self._require_ok(member, f"GET /chats/{chat}/members/me")
        kind = info.get("type", "chat")
        where = f"{kind} «{info.get('title') or chat}»"
        rights = member.get("permissions") or []
        if member.get("is_owner") or (member.get("is_admin") and "write" in rights):
            return TokenCheck(self.network, "bot", name, f"administrator of {where}, may write")
        if kind == "chat" and info.get("status", "active") == "active":
            return TokenCheck(self.network, "bot", name, f"member of {where}")
        raise HardStop(f"MAX: {name} may not write in {where}: {RIGHTS_ADVICE}")

    @staticmethod
    def _require_ok(judgement: Judgement, what: str) -> dict:
        if judgement.verdict is not Verdict.OK:
            raise HardStop(f"MAX {what}: {judgement.error}")
        return json_or_none(judgement.value) or {}

    # The wire.

    def _ref(self, remote_id: str) -> dict:
        ref = decode_ref(remote_id)
        ref.setdefault("chat", self.channel.options["chat_id"])
        return ref

    def _auth(self) -> dict[str, str]:
        return {"Authorization": self.secrets.get("token", "")}

    def _call(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: dict | None,
        *,
        idempotent: bool,
        forbidden_is_stop: bool = True,
    ) -> Judgement:
        url = http.with_query(f"{self.channel.api_base}{urllib.parse.quote(path)}", query)
        return self.exchange(
            lambda: http.request(
                method,
                url,
                timeout=self.channel.timeout,
                headers=self._auth(),
                json_body=body,
                ca_file=self.channel.options.get("ca_file", ""),
            ),
            lambda answer: self._judge(answer, forbidden_is_stop),
            idempotent=idempotent,
            what=f"MAX {method} {path}",
        )

    def _judge(self, answer: http.Response, forbidden_is_stop: bool) -> Judgement:  # noqa: PLR0911 - one return per documented answer
        body = json_or_none(answer.json()) or {}
        if answer.status == 200:
            return Judgement(Verdict.OK, value=body)
        code = str(body.get("code") or "")
        error = f"HTTP {answer.status} {code}: {body.get('message') or ''}".rstrip(": ")
        if answer.status == 400 and code.startswith("attachment.not."):
            # The uploaded file is still being processed; nothing was posted. Wait and repeat.
            wait = self.channel.backoff if self.channel.backoff > 0 else 1.0
            return Judgement(Verdict.RATE, error=error, wait=wait, code=answer.status)
        if answer.status == 429:
            retry_after = answer.header("Retry-After")
            wait = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else 1.0
            return Judgement(Verdict.RATE, error=error, wait=wait, code=answer.status)
        if answer.status == 401:
            return Judgement(Verdict.STOP, error=f"{error}: {AUTH_ADVICE}", code=answer.status)
        if answer.status == 403 and forbidden_is_stop:
            return Judgement(Verdict.STOP, error=f"{error}: {RIGHTS_ADVICE}", code=answer.status)
        if answer.status in (502, 503):  # the front or the API says it is unavailable: nothing was done
            return Judgement(Verdict.RETRY, error=error, code=answer.status)
        if answer.status >= 500:
            return Judgement(Verdict.UNSURE, error=error, code=answer.status)
        return Judgement(Verdict.FAILED, error=error, code=answer.status)
