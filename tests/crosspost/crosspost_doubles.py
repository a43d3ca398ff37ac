"""Stand-ins for the poster methods of the contract that the net branch writes in parallel.

docs/crosspost.md (and /work/wt/prompts/crosspost-contract.md, section 1) give every poster
``check_token()``, ``edit()``, ``delete()``, ``reply()`` and an ``Outcome.REFUSED``; the
ledger calls them. Until the net branch's posters and fakes land, the ledger's tests use:

- ``Ledger*`` fakes: the existing fakes of crosspost_fakes.py plus the documented who-am-I,
  edit, delete and reply endpoints (Telegram ``getMe``, ``editMessageText``/``Caption``,
  ``deleteMessage``, ``sendMessage`` with ``reply_parameters``; VK ``groups.getById``,
  ``wall.edit``, ``wall.delete``, ``wall.createComment``; OK ``users.getCurrentUser``), with
  the same fault queue (so a kill can land on an edit or a deletion);
- ``POSTERS``: subclasses of the real posters that add a method only where the real class
  has none, so the real method wins as soon as it exists.

Remove this module (and use crosspost_fakes' own endpoints) once the net branch is merged.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from crosspost_fakes import (
    OK_APP_KEY,
    OK_SECRET,
    OK_TOKEN,
    TELEGRAM_TOKEN,
    VK_TOKEN,
    Answer,
    FakeOK,
    FakeTelegram,
    FakeVK,
    ok_sig,
)
from ratusha.crosspost import http
from ratusha.crosspost import poster as poster_module
from ratusha.crosspost.ok import OKPoster, signature
from ratusha.crosspost.poster import HardStop, Outcome, Pause, Result
from ratusha.crosspost.telegram import TelegramPoster
from ratusha.crosspost.vk import VKPoster


class _Outcome(StrEnum):
    REFUSED = "refused"


REFUSED = getattr(Outcome, "REFUSED", _Outcome.REFUSED)


@dataclass
class _TokenCheck:
    network: str
    kind: str
    name: str
    detail: str = ""


TokenCheck = getattr(poster_module, "TokenCheck", _TokenCheck)


#: Whether crosspost_fakes already has the contract's endpoints (the net branch merged): then
#: the ledger fakes below only add several chats per fake and leave every answer to it.
NET_FAKES = "edits" in getattr(FakeTelegram, "__dataclass_fields__", {})
#: The who-am-I calls of the contract, as (path ending, OK method).
CHECKS = ("/getMe", "/groups.getById", "/users.get", "/me")


class _Changes:
    """What the ledger fakes add to a fake API: records of edits, deletions, replies; who-am-I calls."""

    edits: list
    deletes: list
    replies: list
    requests: list

    @property
    def checks(self) -> list:
        """The token checks this fake answered (its who-am-I requests)."""
        return [
            fields
            for path, fields in self.requests
            if path.endswith(CHECKS) or fields.get("method") == "users.getCurrentUser"
        ]

    def change_or_fault(self, records: list, record: dict) -> tuple[str | None, Answer | None]:
        """Like post_or_fault, for an edit, a deletion or a reply: the same fault queue."""
        fault = self.next_fault()
        if fault == "5xx":
            return fault, Answer(502, {"error": "Bad Gateway"})
        if fault == "timeout-before":
            return fault, Answer(504, {"error": "Gateway Timeout"}, after="sleep")
        if fault == "kill-before":
            self.kill()
            return fault, Answer(500, {})
        records.append(record)
        if fault == "kill-after":
            self.kill()
        return fault, None


@dataclass
class LedgerTelegram(_Changes, FakeTelegram):
    """FakeTelegram plus getMe, editMessageText/Caption, deleteMessage and replies."""

    edits: list = field(default_factory=list)
    deletes: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    #: further channels the bot administers (a channel per department), besides chat_id
    chats: set = field(default_factory=set)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """Answer for any of the bot's channels (the fake's lock is held: the swap is safe)."""
        chat = fields.get("chat_id", "")
        answer = FakeTelegram.handle if NET_FAKES else LedgerTelegram._handle
        if chat not in self.chats:
            return answer(self, path, fields)
        own, self.chat_id = self.chat_id, chat
        try:
            return answer(self, path, fields)
        finally:
            self.chat_id = own

    def _handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer the methods the ledger needs; everything else as FakeTelegram."""
        _, _, rest = path.partition("/bot")
        token, _, method = rest.partition("/")
        reply = method == "sendMessage" and "reply_parameters" in fields
        if method not in ("getMe", "editMessageText", "editMessageCaption", "deleteMessage") and not reply:
            return super().handle(path, fields)
        if token != TELEGRAM_TOKEN:
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if method == "getMe":
            return Answer(200, {"ok": True, "result": {"id": 123456, "is_bot": True, "username": "test_bot"}})
        if fields.get("chat_id") != self.chat_id:
            return Answer(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        if reply:
            target = json.loads(fields["reply_parameters"]).get("message_id")
            fault, answer = self.change_or_fault(self.replies, {**fields, "to": str(target)})
            if answer:
                return answer
            result = {"message_id": 100000 + len(self.replies)}
            return Answer(200, {"ok": True, "result": result}, after="sleep" if fault == "timeout-after" else "")
        message_id = fields.get("message_id", "")
        gone = {record["message_id"] for record in self.deletes}
        if not message_id.isdigit() or not 1 <= int(message_id) <= len(self.posts) or message_id in gone:
            what = "delete" if method == "deleteMessage" else "edit"
            return Answer(
                400, {"ok": False, "error_code": 400, "description": f"Bad Request: message to {what} not found"}
            )
        records = self.deletes if method == "deleteMessage" else self.edits
        fault, answer = self.change_or_fault(records, {**fields, "method": method})
        if answer:
            return answer
        result: Any = True if method == "deleteMessage" else {"message_id": int(message_id)}
        return Answer(200, {"ok": True, "result": result}, after="sleep" if fault == "timeout-after" else "")


@dataclass
class LedgerVK(_Changes, FakeVK):
    """FakeVK plus groups.getById, wall.edit, wall.delete and wall.createComment."""

    edits: list = field(default_factory=list)
    deletes: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    #: further communities the token's user administers, besides owner_id
    walls: set = field(default_factory=set)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """Answer for any of the user's communities (the fake's lock is held: the swap is safe)."""
        wall = fields.get("owner_id") or ("-" + fields.get("group_id", ""))
        answer = FakeVK.handle if NET_FAKES else LedgerVK._handle
        if wall not in self.walls:
            return answer(self, path, fields)
        own, self.owner_id = self.owner_id, wall
        try:
            return answer(self, path, fields)
        finally:
            self.owner_id = own

    def _handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer the methods the ledger needs; everything else as FakeVK."""
        method = path.rsplit("/", 1)[-1]
        if method not in ("groups.getById", "wall.edit", "wall.delete", "wall.createComment"):
            return super().handle(path, fields)

        def error(code: int, message: str) -> Answer:
            return Answer(200, {"error": {"error_code": code, "error_msg": message, "request_params": []}})

        if fields.get("access_token") != VK_TOKEN:
            return error(5, "User authorization failed: invalid access_token (4).")
        if method == "groups.getById":
            group = {"id": int(self.owner_id.lstrip("-")), "name": "Тестовое сообщество", "is_admin": 1}
            return Answer(200, {"response": {"groups": [group], "profiles": []}})
        if fields.get("owner_id") != self.owner_id:
            return error(15, "Access denied")
        post_id = fields.get("post_id", "")
        known = {str(number) for number in range(1, len(self.posts) + 1)}
        gone = {record["post_id"] for record in self.deletes}
        if post_id not in known or (post_id in gone and method != "wall.delete"):
            return error(100, "One of the parameters specified was missing or invalid: post not found")
        records = {"wall.edit": self.edits, "wall.delete": self.deletes, "wall.createComment": self.replies}[method]
        fault, answer = self.change_or_fault(records, {**fields, "method": method})
        if answer:
            return answer
        response: Any = {"post_id": int(post_id)} if method == "wall.edit" else 1
        if method == "wall.createComment":
            response = {"comment_id": len(self.replies)}
        return Answer(200, {"response": response}, after="sleep" if fault == "timeout-after" else "")


@dataclass
class LedgerOK(_Changes, FakeOK):
    """FakeOK plus users.getCurrentUser (the ledger's OK double refuses edits, deletions and replies)."""

    edits: list = field(default_factory=list)
    deletes: list = field(default_factory=list)
    replies: list = field(default_factory=list)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """Answer users.getCurrentUser; everything else as FakeOK."""
        if NET_FAKES or fields.get("method") != "users.getCurrentUser":
            return super().handle(path, fields)
        if fields.get("application_key") != OK_APP_KEY or fields.get("access_token") != OK_TOKEN:
            return Answer(200, {"error_code": 102, "error_msg": "PARAM_SESSION_EXPIRED : Session expired"})
        if fields.get("sig") != ok_sig(fields, OK_TOKEN, OK_SECRET):
            return Answer(200, {"error_code": 104, "error_msg": "PARAM_SIGNATURE : Invalid signature"})
        return Answer(200, {"uid": "575000000001", "name": "Администратор группы"})


def _answer(poster: Any, url: str, params: dict[str, str]) -> tuple[Any, str]:
    """One POST; (body, "") or (None, why) when it was sent and no answer came; Pause if not sent."""
    try:
        answer = http.request("POST", url, params, timeout=poster.channel.timeout)
    except http.NotSent as error:
        raise Pause(f"{poster.network} unreachable: {error}", failure=True) from None
    except http.Uncertain as error:
        return None, str(error)
    return answer.json(), ""


# Telegram ------------------------------------------------------------------------------------


def _telegram(poster: TelegramPoster, method: str, params: dict[str, str]) -> Result:
    url = f"{poster.channel.api_base}/bot{poster.secrets.get('token', '')}/{method}"
    body, uncertain = _answer(poster, url, params)
    if body is None:
        return Result(Outcome.UNCERTAIN, error=uncertain)
    body = body if isinstance(body, dict) else {}
    if body.get("ok") is True:
        result = body.get("result")
        return Result(Outcome.SENT, remote_id=str(result.get("message_id", "")) if isinstance(result, dict) else "")
    code, description = body.get("error_code"), str(body.get("description", ""))
    if code == 401:
        raise HardStop(f"Telegram: {code} {description}: the bot token is wrong or revoked")
    if code == 400 and "not found" in description and method == "deleteMessage":
        return Result(Outcome.SENT, error="already gone")
    if code == 400 and "not found" in description:
        return Result(REFUSED, error=f"{code} {description}")
    if code in (502, 504) or body.get("error"):
        return Result(Outcome.UNCERTAIN if code == 504 else Outcome.FAILED, error=f"{code} {description}")
    return Result(Outcome.FAILED, error=f"{code} {description}")


def _telegram_check(self: TelegramPoster) -> Any:
    url = f"{self.channel.api_base}/bot{self.secrets.get('token', '')}/getMe"
    body, uncertain = _answer(self, url, {})
    if body is None:
        raise Pause(f"Telegram getMe: {uncertain}", failure=True)
    if not isinstance(body, dict) or body.get("ok") is not True:
        raise HardStop(f"Telegram getMe: {body.get('error_code')} {body.get('description')}: the bot token is wrong")
    return TokenCheck("telegram", "bot", "@" + body["result"]["username"])


def _telegram_edit(self: TelegramPoster, item: Any, remote_id: str) -> Result:
    request = self.prepare(item, "")
    params = {"chat_id": request.params["chat_id"], "message_id": remote_id, "parse_mode": "HTML"}
    if request.method == "sendPhoto":
        return _telegram(self, "editMessageCaption", params | {"caption": request.params["caption"]})
    return _telegram(self, "editMessageText", params | {"text": request.params["text"]})


def _telegram_delete(self: TelegramPoster, remote_id: str) -> Result:
    return _telegram(self, "deleteMessage", {"chat_id": str(self.channel.options["chat_id"]), "message_id": remote_id})


def _telegram_reply(self: TelegramPoster, remote_id: str, text: str) -> Result:
    params = {
        "chat_id": str(self.channel.options["chat_id"]),
        "text": text,
        "reply_parameters": json.dumps({"message_id": int(remote_id)}),
    }
    return _telegram(self, "sendMessage", params)


# VK ------------------------------------------------------------------------------------------


def _vk(poster: VKPoster, method: str, params: dict[str, str]) -> Result:
    url = f"{poster.channel.api_base}/{method}"
    fields = {
        **params,
        "v": str(poster.channel.options["api_version"]),
        "access_token": poster.secrets.get("token", ""),
    }
    body, uncertain = _answer(poster, url, fields)
    if body is None:
        return Result(Outcome.UNCERTAIN, error=uncertain)
    if isinstance(body, dict) and "response" in body:
        response = body["response"]
        remote = response.get("comment_id", response.get("post_id", "")) if isinstance(response, dict) else ""
        return Result(Outcome.SENT, remote_id=str(remote))
    failure = body.get("error") if isinstance(body, dict) else None
    if not isinstance(failure, dict):
        return Result(Outcome.UNCERTAIN, error="no VK answer")
    code = failure.get("error_code")
    if code == 5:
        raise HardStop(f"VK error 5: {failure.get('error_msg')}")
    if code == 100 and method == "wall.delete":
        return Result(Outcome.SENT, error="already gone")
    if code == 100:
        return Result(REFUSED, error=f"VK error 100: {failure.get('error_msg')}")
    return Result(Outcome.FAILED, error=f"VK error {code}: {failure.get('error_msg')}")


def _vk_check(self: VKPoster) -> Any:
    owner = str(self.channel.options["owner_id"])
    fields = {
        "group_id": owner.lstrip("-"),
        "v": str(self.channel.options["api_version"]),
        "access_token": self.secrets.get("token", ""),
    }
    body, uncertain = _answer(self, f"{self.channel.api_base}/groups.getById", fields)
    if body is None:
        raise Pause(f"VK groups.getById: {uncertain}", failure=True)
    if not isinstance(body, dict) or "response" not in body:
        failure = body.get("error", {}) if isinstance(body, dict) else {}
        raise HardStop(f"VK error {failure.get('error_code')}: {failure.get('error_msg')}")
    group = body["response"]["groups"][0]
    return TokenCheck("vk", "user", group["name"], f"admin of club{group['id']}")


def _vk_edit(self: VKPoster, item: Any, remote_id: str) -> Result:
    request = self.prepare(item, "")
    params = {"owner_id": request.params["owner_id"], "post_id": remote_id, "message": request.params["message"]}
    if "attachments" in request.params:
        params["attachments"] = request.params["attachments"]
    return _vk(self, "wall.edit", params)


def _vk_delete(self: VKPoster, remote_id: str) -> Result:
    return _vk(self, "wall.delete", {"owner_id": str(self.channel.options["owner_id"]), "post_id": remote_id})


def _vk_reply(self: VKPoster, remote_id: str, text: str) -> Result:
    params = {
        "owner_id": str(self.channel.options["owner_id"]),
        "post_id": remote_id,
        "from_group": "1",
        "message": text,
    }
    return _vk(self, "wall.createComment", params)


# OK ------------------------------------------------------------------------------------------


def _ok_check(self: OKPoster) -> Any:
    params = {
        "method": "users.getCurrentUser",
        "format": "json",
        "application_key": self.secrets.get("application_key", ""),
    }
    token = self.secrets.get("token", "")
    params["sig"] = signature(params, token, self.secrets.get("secret_key", ""))
    params["access_token"] = token
    body, uncertain = _answer(self, f"{self.channel.api_base}/fb.do", params)
    if body is None:
        raise Pause(f"OK users.getCurrentUser: {uncertain}", failure=True)
    if not isinstance(body, dict) or "uid" not in body:
        raise HardStop(f"OK error {body.get('error_code')}: {body.get('error_msg')}")
    return TokenCheck("ok", "user", body["name"], f"uid {body['uid']}")


def _refused(*_: Any) -> Result:
    return Result(REFUSED, error="the ledger's OK double does not edit, delete or reply")


#: How many times each network's check_token ran (in this process), whoever implements it.
CHECK_CALLS: Counter[str] = Counter()


def _fill(base: type, name: str, methods: dict[str, Any], flags: dict[str, Any]) -> type:
    """A subclass of ``base`` with each method or flag that ``base`` does not have yet; check_token counted."""
    attributes = {key: value for key, value in {**methods, **flags}.items() if not hasattr(base, key)}
    check = attributes.get("check_token") or base.check_token

    def check_token(self: Any) -> Any:
        CHECK_CALLS[self.network] += 1
        return check(self)

    attributes["check_token"] = check_token
    return type(name, (base,), attributes)


POSTERS: dict[str, type] = {
    "telegram": _fill(
        TelegramPoster,
        "TelegramDouble",
        {"check_token": _telegram_check, "edit": _telegram_edit, "delete": _telegram_delete, "reply": _telegram_reply},
        {"can_edit": True, "can_delete": True, "can_reply": True, "edit_window": None},
    ),
    "vk": _fill(
        VKPoster,
        "VKDouble",
        {"check_token": _vk_check, "edit": _vk_edit, "delete": _vk_delete, "reply": _vk_reply},
        {"can_edit": True, "can_delete": True, "can_reply": True, "edit_window": None},
    ),
    "ok": _fill(
        OKPoster,
        "OKDouble",
        {"check_token": _ok_check, "edit": _refused, "delete": _refused, "reply": _refused},
        {"can_edit": False, "can_delete": False, "can_reply": False, "edit_window": None},
    ),
}
FAKES: dict[str, type] = {"telegram": LedgerTelegram, "vk": LedgerVK, "ok": LedgerOK}
try:  # the fourth network's fake, on the net branch
    from crosspost_fakes import FakeMAX  # type: ignore[attr-defined]
except ImportError:
    pass
else:
    FAKES["max"] = FakeMAX
