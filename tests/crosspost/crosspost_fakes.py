"""Fake Telegram, VK, OK and MAX APIs on 127.0.0.1 that answer as the documented APIs do.

Each fake runs an HTTP server in a thread, records every accepted post (``posts``), edit
(``edits``), deletion (``deletes``) and reply (``replies``), and plays a queue of faults,
one per incoming request that changes something (a post, an edit, a deletion, a reply;
``None`` for a normal answer). Reads (who-am-I calls) and photo uploads take no fault.

- ``rate``: the network's rate-limit answer (Telegram 429 + retry_after, VK error 6, OK error 8,
  MAX 429 ``too.many.requests``)
- ``5xx``: HTTP 502 from the front, nothing done
- ``timeout-before``: no answer until the client has given up, nothing done
- ``timeout-after``: done, but the answer comes too late (the client's "uncertain")
- ``auth`` / ``captcha`` / ``daily`` / ``forbidden``: the network's authorisation, captcha,
  daily-limit and rights errors
- ``kill-before`` / ``kill-after``: SIGKILL the client process (``kill_pid``) before or after
  the change is made, to test crashes between sending and recording.

Every fake also serves lead images at ``<url>/images/<name>`` (a small JPEG; a name with
``missing`` in it is a 404), so that a feed item's image can point at it.

Formats follow the documentation: Telegram ``{"ok": false, "error_code", "description",
"parameters": {"retry_after"}}``, getMe / getChatMember, deleteMessage's 48-hour rule;
VK HTTP 200 with ``{"error": {"error_code", "error_msg"}}``, wall.post's ``guid``
deduplication for an hour, error 27 for a community key on wall.post and photo uploads,
the wall-photo upload flow; OK HTTP 200 with the topic id as a JSON string or
``{"error_code", "error_msg", "error_data"}``, the md5 request signature, photosV2 upload
tokens; MAX HTTP statuses with ``{"code", "message"}``, the token only in the
``Authorization`` header (the ``access_token`` query parameter refused), POST /uploads
and ``attachment.not.ready``, SimpleQueryResult for edits and deletions.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import os
import signal
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

TELEGRAM_TOKEN = "123456:AAH-telegram-SECRET-token"
#: A user access token of the community's administrator (VK ID / OAuth: wall, photos, offline).
VK_TOKEN = "vk1.a.SECRET-admin-user-token"
#: A community key ("API access" in the community's settings): wall.post answers error 27.
VK_COMMUNITY_KEY = "vk1.a.SECRET-community-key"
OK_TOKEN = "tkn1-SECRET-ok-access-token"
OK_APP_KEY = "CBAFAKEAPPKEY"
OK_SECRET = "OKSECRETAPPLICATIONKEY"
MAX_TOKEN = "max-SECRET-bot-token-f9a8"
#: A JPEG small enough for tests: SOI, a JFIF APP0 segment, EOI.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@dataclass
class Answer:
    """What the handler sends back."""

    status: int
    body: Any
    after: str = ""  # "kill" or "sleep"
    raw: bytes | None = None  # a body that is not JSON
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Incoming:
    """The request being answered, for fakes that need more than its fields."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    files: dict[str, tuple[str, bytes]]


@dataclass
class FakeAPI:
    """Base: an HTTP server on 127.0.0.1:0 recording changes and playing faults."""

    late: float = 2.0  # how long a "timeout" answer is held back
    posts: list[dict[str, str]] = field(default_factory=list)
    edits: list[dict[str, str]] = field(default_factory=list)
    deletes: list[dict[str, str]] = field(default_factory=list)
    replies: list[dict[str, str]] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    faults: deque = field(default_factory=deque)
    kill_pid: int | None = None
    #: seconds added to the clock, to make posts old (Telegram's 48 hours, VK's guid hour)
    offset: float = 0.0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.current: Incoming | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = self.headers.get("Content-Type") or ""
                query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
                files: dict[str, tuple[str, bytes]] = {}
                fields = dict(query)
                if kind.startswith("multipart/form-data"):
                    form, files = _multipart(kind, raw)
                    fields |= form
                elif "json" in kind:
                    loaded = json.loads(raw.decode("utf-8") or "{}")
                    fields |= {key: v if isinstance(v, str) else json.dumps(v) for key, v in loaded.items()}
                elif raw:
                    fields |= dict(urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                headers = {key.lower(): value for key, value in self.headers.items()}
                incoming = Incoming(self.command, parts.path, query, headers, raw, files)
                fake.reply(self, incoming, fields)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = serve(Handler)

    @property
    def url(self) -> str:
        """The base URL to put in the channel's api_base."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def image(self, name: str = "lead.jpg") -> str:
        """A lead image URL this fake serves."""
        return f"{self.url}/images/{name}"

    def now(self) -> float:
        """The fake's clock (time.time plus ``offset``)."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward."""
        self.offset += seconds

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()

    def reply(self, handler: BaseHTTPRequestHandler, incoming: Incoming, fields: dict[str, str]) -> None:
        """Answer one request, applying the next fault if it changes something."""
        if incoming.path.startswith("/images/"):
            name = incoming.path.rsplit("/", 1)[-1]
            answer = Answer(404, {}) if "missing" in name else Answer(200, None, raw=JPEG)
            if answer.raw:
                answer.headers["Content-Type"] = "image/jpeg"
            self._send(handler, answer)
            return
        with self.lock:
            self.requests.append((incoming.path, fields))
            self.current = incoming
            answer = self.handle(incoming.path, fields)
        if answer.after == "sleep":
            time.sleep(self.late)
        self._send(handler, answer)

    def _send(self, handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        data = answer.raw if answer.raw is not None else json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", answer.headers.pop("Content-Type", "application/json"))
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up or was killed

    def next_fault(self) -> str | None:
        """The fault for this request, if any."""
        return self.faults.popleft() if self.faults else None

    def peek_fault(self, *names: str) -> str | None:
        """Take the next fault if it is one of ``names`` (a network-specific answer)."""
        if self.faults and self.faults[0] in names:
            return self.faults.popleft()
        return None

    def kill(self) -> None:
        """SIGKILL the client under test."""
        if self.kill_pid:
            os.kill(self.kill_pid, signal.SIGKILL)
            time.sleep(0.2)

    def act_or_fault(self, act: Callable[[], None]) -> tuple[str | None, Answer | None]:
        """Apply a generic fault; do ``act`` when the fault lets it through."""
        fault = self.next_fault()
        if fault == "5xx":
            return fault, Answer(502, {"error": "Bad Gateway"})
        if fault == "timeout-before":
            return fault, Answer(504, {"error": "Gateway Timeout"}, after="sleep")
        if fault == "kill-before":
            self.kill()
            return fault, Answer(500, {})
        if fault in (None, "timeout-after", "kill-after"):
            act()
            if fault == "kill-after":
                self.kill()
        return fault, None

    def post_or_fault(self, fields: dict[str, str], post: dict[str, str]) -> tuple[str | None, Answer | None]:
        """Apply a generic fault; record the post when the fault lets it through."""
        return self.act_or_fault(lambda: self.posts.append(post))

    @staticmethod
    def late_if(fault: str | None) -> str:
        """``after`` for an answer to a request that was done: late after timeout-after."""
        return "sleep" if fault == "timeout-after" else ""

    def count(self, needle: str) -> int:
        """How many recorded posts mention ``needle`` (an item's link)."""
        return sum(any(needle in value for value in post.values()) for post in self.posts)

    #: The key of a recorded post that holds the network's id of it.
    POST_ID: ClassVar[str] = ""
    #: The keys of a recorded post, edit or reply that may hold its text, in the order looked at.
    TEXT: ClassVar[tuple[str, ...]] = ()

    def text(self, record: dict[str, str]) -> str:
        """The text of a recorded post, edit or reply, whichever of the network's fields holds it."""
        return next((record[key] for key in self.TEXT if record.get(key)), "")

    def post_id(self, post: dict[str, str]) -> str:
        """The network's id of a recorded post (Telegram's message_id, VK's post_id, OK's topic, MAX's mid)."""
        return post[self.POST_ID]

    def target(self, record: dict[str, str]) -> str:
        """The id of the post a recorded edit, deletion or reply was made to, as the request named it."""
        raise NotImplementedError

    @property
    def checks(self) -> list[tuple[str, dict[str, str]]]:
        """The requests this fake answered that are part of a token check (the who-am-I reads)."""
        return [(path, fields) for path, fields in self.requests if self.is_check(path, fields)]

    def is_check(self, path: str, fields: dict[str, str]) -> bool:
        """Whether a request is one of the network's who-am-I reads."""
        raise NotImplementedError

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """The network-specific answer."""
        raise NotImplementedError


def serve(handler: Callable[..., BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Start an HTTP server on 127.0.0.1 (a free port) in a daemon thread; stop it with shutdown()."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def _multipart(kind: str, raw: bytes) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + raw
    )
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = (part.get_filename(), content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


class _Visible(HTMLParser):
    """Telegram's own parse of HTML mode, independent of the code under test."""

    ALLOWED = {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "span",
        "tg-spoiler",
        "blockquote",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.error = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.ALLOWED:
            self.error = f'Unsupported start tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text += data


def _tg_error(status: int, description: str, **parameters: Any) -> Answer:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Answer(status, body)


@dataclass
class FakeTelegram(FakeAPI):
    """The Bot API: /bot<token>/<method>, for a bot that administers ``chat_id``."""

    chat_id: str = "@test_channel"
    #: further channels the bot administers (a channel per department), as their @names
    chats: set[str] = field(default_factory=set)
    #: a real limit: at most ``per_window`` posts in ``window`` seconds, then 429
    per_window: int = 0
    window: float = 1.0
    sent_times: list[float] = field(default_factory=list)
    #: the bot's membership of the chat (getChatMember): "administrator", "member", "left", …
    bot_status: str = "administrator"
    can_post: bool = True
    chat_type: str = "channel"
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 0

    BOT: ClassVar[dict[str, Any]] = {
        "id": 123456,
        "is_bot": True,
        "first_name": "Администрация",
        "username": "test_admin_bot",
    }
    CHAT_ID = -1001234567890

    def handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer like api.telegram.org."""
        _, _, rest = path.partition("/bot")
        token, _, method = rest.partition("/")
        if token != TELEGRAM_TOKEN:
            return _tg_error(401, "Unauthorized")
        if method == "getMe":
            return Answer(200, {"ok": True, "result": self.BOT})
        reads = {"getChat": self._get_chat, "getChatMember": self._get_chat_member}
        changes = {
            "sendMessage": self._send_message,
            "sendPhoto": self._send_message,
            "editMessageText": self._edit,
            "editMessageCaption": self._edit,
            "editMessageMedia": self._edit,
            "deleteMessage": self._delete,
        }
        if method not in reads and method not in changes:
            return _tg_error(404, "Not Found")
        if self.chat_of(fields.get("chat_id", "")) is None:
            return _tg_error(400, "Bad Request: chat not found")
        if method in reads:
            return reads[method](fields)
        simple = self.peek_fault("rate", "auth", "forbidden")
        if simple == "rate":
            return self._429(1)
        if simple == "auth":
            return _tg_error(401, "Unauthorized")
        if simple == "forbidden":
            return _tg_error(403, "Forbidden: bot is not a member of the channel chat")
        return changes[method](method, fields)

    def chat_of(self, chat_id: str) -> dict[str, Any] | None:
        """The chat a ``chat_id`` (an @name or the numeric id) names, if the bot administers it."""
        names = [self.chat_id, *sorted(self.chats)]
        for index, name in enumerate(names):
            number = self.CHAT_ID - index
            if chat_id in (name, str(number)):
                return {"id": number, "title": "Test", "type": self.chat_type, "username": name.lstrip("@")}
        return None

    def _get_chat(self, fields: dict[str, str]) -> Answer:
        return Answer(200, {"ok": True, "result": self.chat_of(fields["chat_id"])})

    def _get_chat_member(self, fields: dict[str, str]) -> Answer:
        if fields.get("user_id") != str(self.BOT["id"]):
            return _tg_error(400, "Bad Request: user not found")
        member: dict[str, Any] = {"user": self.BOT, "status": self.bot_status}
        if self.bot_status == "administrator":
            member |= {"can_post_messages": self.can_post, "can_edit_messages": True, "can_delete_messages": False}
        return Answer(200, {"ok": True, "result": member})

    def _check_text(self, fields: dict[str, str], key: str) -> tuple[str, Answer | None]:
        parser = _Visible()
        parser.feed(fields.get(key, ""))
        parser.close()
        if fields.get("parse_mode") == "HTML" and parser.error:
            return "", _tg_error(400, f"Bad Request: can't parse entities: {parser.error}")
        limit = 1024 if key == "caption" else 4096
        if len(parser.text.encode("utf-16-le")) // 2 > limit:
            description = "message caption is too long" if key == "caption" else "message is too long"
            return "", _tg_error(400, f"Bad Request: {description}")
        if key == "text" and not parser.text.strip():
            return "", _tg_error(400, "Bad Request: message text is empty")
        return parser.text, None

    def _send_message(self, method: str, fields: dict[str, str]) -> Answer:
        key = "caption" if method == "sendPhoto" else "text"
        text, problem = self._check_text(fields, key)
        if problem:
            return problem
        if method == "sendPhoto" and "broken" in fields.get("photo", ""):
            return _tg_error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        chat = self.chat_of(fields["chat_id"])
        reply_to = json.loads(fields.get("reply_parameters") or "null")
        if reply_to and reply_to.get("message_id") not in self.live(chat["id"]):
            return _tg_error(400, "Bad Request: message to be replied not found")
        now = time.monotonic()
        recent = [moment for moment in self.sent_times if now - moment < self.window]
        if self.per_window and len(recent) >= self.per_window:
            return self._429(max(1, round(self.window - (now - recent[0]) + 0.5)))
        made: dict[str, Any] = {}

        def act() -> None:
            self.next_id += 1
            made["id"] = self.next_id
            self.messages[self.next_id] = {
                "chat": chat["id"],
                "kind": "photo" if method == "sendPhoto" else "text",
                key: fields.get(key, ""),
                "photo": fields.get("photo", ""),
                "date": self.now(),
            }
            record = {**fields, "method": method, "message_id": str(self.next_id)}
            (self.replies if reply_to else self.posts).append(record)

        fault, answer = self.act_or_fault(act)
        if answer:
            return answer
        self.sent_times.append(now)
        message = {
            "message_id": made["id"],
            "sender_chat": {key: chat[key] for key in ("id", "title", "type")},
            "chat": chat,
            "date": int(self.now()),
            key: text,
        }
        return Answer(200, {"ok": True, "result": message}, after=self.late_if(fault))

    def live(self, chat: int | None = None) -> dict[int, dict[str, Any]]:
        """The messages not deleted (of one chat)."""
        return {
            key: value
            for key, value in self.messages.items()
            if not value.get("deleted") and chat in (None, value["chat"])
        }

    def _edit(self, method: str, fields: dict[str, str]) -> Answer:
        message = self.live(self.chat_of(fields["chat_id"])["id"]).get(int(fields.get("message_id") or 0))
        if message is None:
            return _tg_error(400, "Bad Request: message to edit not found")
        if method == "editMessageText" and message["kind"] != "text":
            return _tg_error(400, "Bad Request: there is no text in the message to edit")
        if method != "editMessageText" and message["kind"] != "photo":
            return _tg_error(400, "Bad Request: there is no caption in the message to edit")
        if method == "editMessageMedia":
            media = json.loads(fields.get("media") or "{}")
            new = {"caption": media.get("caption", ""), "photo": media.get("media", "")}
            _, problem = self._check_text({"caption": new["caption"], "parse_mode": media.get("parse_mode")}, "caption")
        else:
            key = "text" if method == "editMessageText" else "caption"
            new = {key: fields.get(key, "")}
            _, problem = self._check_text(fields, key)
        if problem:
            return problem
        if all(message.get(key) == value for key, value in new.items()):
            return _tg_error(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message",
            )
        fault, answer = self.act_or_fault(
            lambda: (message.update(new), self.edits.append({**fields, "method": method}))
        )
        return answer or Answer(
            200, {"ok": True, "result": {"message_id": int(fields["message_id"])}}, self.late_if(fault)
        )

    def _delete(self, method: str, fields: dict[str, str]) -> Answer:
        message = self.live(self.chat_of(fields["chat_id"])["id"]).get(int(fields.get("message_id") or 0))
        if message is None:
            return _tg_error(400, "Bad Request: message to delete not found")
        if self.now() - message["date"] > 48 * 3600:
            return _tg_error(400, "Bad Request: message can't be deleted for everyone")
        fault, answer = self.act_or_fault(lambda: (message.update(deleted=True), self.deletes.append(dict(fields))))
        return answer or Answer(200, {"ok": True, "result": True}, after=self.late_if(fault))

    @staticmethod
    def _429(retry: int) -> Answer:
        return _tg_error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)

    POST_ID = "message_id"
    TEXT = ("text", "caption", "media")  # a message, a photo's caption, editMessageMedia

    def target(self, record: dict[str, str]) -> str:
        """A reply names its post in reply_parameters; an edit or a deletion in message_id."""
        if record.get("reply_parameters"):
            return str(json.loads(record["reply_parameters"])["message_id"])
        return record["message_id"]

    def is_check(self, path: str, fields: dict[str, str]) -> bool:
        """getMe, getChat, getChatMember."""
        return path.endswith(("/getMe", "/getChat", "/getChatMember"))


@dataclass
class FakeVK(FakeAPI):
    """api.vk.com/method/…: a community wall, its administrator's user token and its community key."""

    owner_id: str = "-1001"
    #: further walls the token's user manages (a community per department), as negative ids
    walls: set[str] = field(default_factory=set)
    daily_limit: int = 50
    guids: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: groups.getById admin_level of the token's user: 3 administrator, 2 editor, 1 moderator, 0 none
    admin_level: int = 3
    wall: dict[int, dict[str, Any]] = field(default_factory=dict)
    photos: list[dict[str, Any]] = field(default_factory=list)
    next_post: int = 0

    USER: ClassVar[dict[str, Any]] = {"id": 743784474, "first_name": "Иван", "last_name": "Петров"}

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """Answer like api.vk.com: HTTP 200, response or error."""
        if path == "/upload/wall":
            return self._upload(fields)
        method = path.rsplit("/", 1)[-1]
        if not path.startswith("/method/") or method not in self.METHODS:
            return self.error(fields, 3, "Unknown method passed")
        if not fields.get("v"):
            return self.error(fields, 8, "Invalid request: v (version) is required")
        token = fields.get("access_token")
        if token not in (VK_TOKEN, VK_COMMUNITY_KEY):
            return self.error(fields, 5, "User authorization failed: invalid access_token (4).")
        community = token == VK_COMMUNITY_KEY
        if community and method in self.USER_ONLY:
            return self.error(fields, 27, "Group authorization failed: method is unavailable with group auth.")
        return getattr(self, "_" + method.replace(".", "_"))(fields, community)

    METHODS: ClassVar[frozenset[str]] = frozenset({
        "wall.post", "wall.edit", "wall.delete", "wall.createComment", "users.get", "groups.getById",
        "photos.getWallUploadServer", "photos.saveWallPhoto",
    })  # fmt: skip
    #: Methods a community key may not call (dev.vk.com: "user access token" only).
    USER_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"wall.post", "wall.edit", "photos.getWallUploadServer", "photos.saveWallPhoto"}
    )

    def error(self, fields: dict[str, str], code: int, message: str, **extra: Any) -> Answer:
        """VK's error object, with the request's parameters echoed (minus the token)."""
        params = [{"key": key, "value": value} for key, value in fields.items() if key != "access_token"]
        return Answer(200, {"error": {"error_code": code, "error_msg": message, "request_params": params, **extra}})

    def _simple_fault(self, fields: dict[str, str]) -> Answer | None:
        fault = self.peek_fault("rate", "auth", "daily", "captcha")
        simple = {
            "rate": (6, "Too many requests per second"),
            "auth": (5, "User authorization failed: access_token has expired."),
            "daily": (214, "Access to adding post denied: a user can only add 50 posts a day"),
        }
        if fault in simple:
            return self.error(fields, *simple[fault])
        if fault == "captcha":
            sid = "548747100691"
            return self.error(
                fields, 14, "Captcha needed", captcha_sid=sid, captcha_img=f"https://api.vk.com/captcha.php?sid={sid}"
            )
        return None

    POST_ID = "post_id"
    TEXT = ("message",)

    def target(self, record: dict[str, str]) -> str:
        """wall.edit, wall.delete and wall.createComment name the post in post_id."""
        return record["post_id"]

    def is_check(self, path: str, fields: dict[str, str]) -> bool:
        """users.get, groups.getById."""
        return path.endswith(("/users.get", "/groups.getById"))

    def manages(self, owner_id: str) -> bool:
        """Whether the token's user manages the community whose wall is ``owner_id`` (negative)."""
        return owner_id == self.owner_id or owner_id in self.walls

    def _users_get(self, fields: dict[str, str], community: bool) -> Answer:
        return Answer(200, {"response": [] if community else [self.USER]})

    def _groups_getById(self, fields: dict[str, str], community: bool) -> Answer:
        group_id = fields.get("group_id") or fields.get("group_ids") or ""
        if not group_id:
            if not community:
                return self.error(
                    fields, 100, "One of the parameters specified was missing or invalid: group_ids is undefined"
                )
            group_id = self.owner_id.lstrip("-")
        group: dict[str, Any] = {"id": int(group_id), "name": "Администрация", "screen_name": f"club{group_id}"}
        if not community and self.manages(f"-{group_id}"):
            group |= {"is_admin": 1 if self.admin_level else 0}
            if self.admin_level:
                group["admin_level"] = self.admin_level
        return Answer(200, {"response": {"groups": [group], "profiles": []}})

    def _photos_getWallUploadServer(self, fields: dict[str, str], community: bool) -> Answer:
        if not self.manages(f"-{fields.get('group_id')}"):
            return self.error(fields, 203, "Access to group denied")
        url = f"{self.url}/upload/wall?act=do_add&gid={fields['group_id']}&hash=bd9a7f37"
        return Answer(200, {"response": {"album_id": -14, "upload_url": url, "user_id": self.USER["id"]}})

    def _upload(self, fields: dict[str, str]) -> Answer:
        _, content = self.current.files.get("photo", ("", b"")) if self.current else ("", b"")
        if not content.startswith(b"\xff\xd8"):
            return Answer(200, {"server": 856312, "photo": "[]", "hash": "00"})
        photo = json.dumps([{"photo": hashlib.md5(content).hexdigest()[:10] + ":w", "sizes": []}])
        return Answer(200, {"server": 856312, "photo": photo, "hash": hashlib.md5(photo.encode()).hexdigest()})

    def _photos_saveWallPhoto(self, fields: dict[str, str], community: bool) -> Answer:
        if fields.get("photo") in (None, "", "[]"):
            return self.error(fields, 100, "One of the parameters specified was missing or invalid: photo is undefined")
        if fields.get("hash") != hashlib.md5(fields["photo"].encode()).hexdigest():
            return self.error(fields, 121, "Invalid hash")
        owner = -int(fields["group_id"]) if fields.get("group_id") else int(self.owner_id)
        photo = {"id": 457239017 + len(self.photos), "owner_id": owner, "album_id": -14}
        self.photos.append(photo)
        return Answer(200, {"response": [photo]})

    def known_photo(self, attachment: str) -> bool:
        """Whether ``photo<owner>_<id>`` names a saved photo."""
        return any(attachment == f"photo{p['owner_id']}_{p['id']}" for p in self.photos)

    def _check_attachments(self, fields: dict[str, str]) -> Answer | None:
        parts = [part for part in fields.get("attachments", "").split(",") if part]
        links = [part for part in parts if "://" in part]
        if len(links) > 1:
            return self.error(fields, 100, "One of the parameters specified was missing or invalid: too many links")
        for part in parts:
            if part.startswith("photo") and not self.known_photo(part):
                return self.error(fields, 100, f"One of the parameters specified was missing or invalid: {part}")
        return None

    def _wall_post(self, fields: dict[str, str], community: bool) -> Answer:  # noqa: PLR0911 - one return per documented answer
        if not self.manages(fields.get("owner_id", "")) or fields.get("from_group") != "1":
            return self.error(fields, 15, "Access denied")
        if self.admin_level < 2:
            return self.error(fields, 15, "Access denied: no access to call this method")
        if not fields.get("message") and not fields.get("attachments"):
            return self.error(fields, 100, "One of the parameters specified was missing or invalid: message is empty")
        problem = self._check_attachments(fields) or self._simple_fault(fields)
        if problem:
            return problem
        guid = fields.get("guid", "")
        now = self.now()
        if guid and guid in self.guids and now - self.guids[guid][1] < 3600:
            # VK: a repeat with the same guid within an hour is not posted again.
            fault = self.next_fault()
            return Answer(200, {"response": {"post_id": self.guids[guid][0]}}, after=self.late_if(fault))
        if len([post for post in self.posts if now - float(post["_at"]) < 86400]) >= self.daily_limit:
            return self.error(fields, 214, "Access to adding post denied: a user can only add 50 posts a day")
        post = {key: value for key, value in fields.items() if key != "access_token"} | {"_at": str(now)}

        def act() -> None:
            self.next_post += 1
            post["post_id"] = str(self.next_post)
            self.posts.append(post)
            self.wall[self.next_post] = dict(post)
            if guid:
                self.guids[guid] = (self.next_post, now)

        fault, answer = self.act_or_fault(act)
        if answer:
            return answer
        post_id = self.guids[guid][0] if guid else self.next_post
        return Answer(200, {"response": {"post_id": post_id}}, after=self.late_if(fault))

    def _post(self, fields: dict[str, str]) -> dict[str, Any] | None:
        post = self.wall.get(int(fields.get("post_id") or 0))
        if post is None or post.get("deleted") or post["owner_id"] != fields.get("owner_id"):
            return None
        return post

    def _wall_edit(self, fields: dict[str, str], community: bool) -> Answer:
        post = self._post(fields)
        if post is None:
            return self.error(fields, 100, "One of the parameters specified was missing or invalid: post_id is invalid")
        problem = self._check_attachments(fields) or self._simple_fault(fields)
        if problem:
            return problem
        change = {key: fields.get(key, "") for key in ("message", "attachments")}
        fault, answer = self.act_or_fault(
            lambda: (post.update(change), self.edits.append({k: v for k, v in fields.items() if k != "access_token"}))
        )
        return answer or Answer(200, {"response": {"post_id": int(fields["post_id"])}}, after=self.late_if(fault))

    def _wall_delete(self, fields: dict[str, str], community: bool) -> Answer:
        post = self._post(fields)
        if post is None:
            return self.error(fields, 100, "One of the parameters specified was missing or invalid: post_id is invalid")
        problem = self._simple_fault(fields)
        if problem:
            return problem
        fault, answer = self.act_or_fault(
            lambda: (
                post.update(deleted=True),
                self.deletes.append({k: v for k, v in fields.items() if k != "access_token"}),
            )
        )
        return answer or Answer(200, {"response": 1}, after=self.late_if(fault))

    def _wall_createComment(self, fields: dict[str, str], community: bool) -> Answer:
        post = self._post(fields)
        if post is None:
            return self.error(fields, 100, "One of the parameters specified was missing or invalid: post_id is invalid")
        if fields.get("from_group") not in (None, "", fields.get("owner_id", "").lstrip("-")):
            return self.error(fields, 15, "Access denied")
        problem = self._simple_fault(fields)
        if problem:
            return problem
        guid = "reply|" + fields.get("guid", "")
        if fields.get("guid") and guid in self.guids:
            fault = self.next_fault()
            return Answer(200, {"response": {"comment_id": self.guids[guid][0]}}, after=self.late_if(fault))
        record = {k: v for k, v in fields.items() if k != "access_token"}

        def act() -> None:
            self.replies.append(record)
            if fields.get("guid"):
                self.guids[guid] = (len(self.replies), self.now())

        fault, answer = self.act_or_fault(act)
        return answer or Answer(200, {"response": {"comment_id": len(self.replies)}}, after=self.late_if(fault))


def ok_sig(fields: dict[str, str], token: str, secret: str) -> str:
    """OK's documented signature, written independently of crosspost.ok."""
    session_secret = hashlib.md5((token + secret).encode()).hexdigest()
    base = "".join(
        f"{key}={fields[key]}" for key in sorted(fields) if key not in ("sig", "access_token", "session_key")
    )
    return hashlib.md5((base + session_secret).encode()).hexdigest()


@dataclass
class FakeOK(FakeAPI):
    """api.ok.ru/fb.do?method=…: a group, its administrator's token, signed requests."""

    group_id: str = "5000"
    #: further groups the token's user administers (a group per department)
    groups: set[str] = field(default_factory=set)
    #: users.hasAppPermission GROUP_CONTENT for the token
    group_content: bool = True
    #: mediatopic.deleteTopic: None answers it; an OK error code (3, 10) refuses it
    delete_error: int | None = None
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    upload_tokens: dict[str, bytes] = field(default_factory=dict)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """Answer like api.ok.ru: HTTP 200, a result or an error object."""
        if path == "/upload/ok":
            return self._upload()
        method = fields.get("method", "")
        if path != "/fb.do" or method not in self.METHODS:
            return self.error(3, "METHOD : Method does not exist")
        if fields.get("application_key") != OK_APP_KEY:
            return self.error(101, "PARAM_API_KEY : Application key is invalid")
        if fields.get("access_token") != OK_TOKEN:
            return self.error(102, "PARAM_SESSION_EXPIRED : Session expired")
        if fields.get("sig") != ok_sig(fields, OK_TOKEN, OK_SECRET):
            return self.error(104, "PARAM_SIGNATURE : Invalid signature")
        return self.METHODS[method](self, fields)

    POST_ID = "topic_id"
    TEXT = ("comment", "attachment")  # a comment; a topic's text is a block of its attachment

    def target(self, record: dict[str, str]) -> str:
        """mediatopic.deleteTopic names the topic in topic_id, a comment in entityId."""
        return record.get("topic_id") or record["entityId"]

    def is_check(self, path: str, fields: dict[str, str]) -> bool:
        """users.getCurrentUser, users.hasAppPermission."""
        return fields.get("method") in ("users.getCurrentUser", "users.hasAppPermission")

    def administers(self, gid: str) -> bool:
        """Whether the token's user administers group ``gid``."""
        return gid == self.group_id or gid in self.groups

    @staticmethod
    def error(code: int, message: str) -> Answer:
        """OK's error object."""
        return Answer(200, {"error_code": code, "error_msg": message, "error_data": None})

    def _simple_fault(self) -> Answer | None:
        fault = self.peek_fault("rate", "auth", "daily", "captcha", "service")
        simple = {
            "rate": (8, "FLOOD_BLOCKED : Flood blocked"),
            "auth": (102, "PARAM_SESSION_EXPIRED : Session expired"),
            "daily": (11, "LIMIT_REACHED : Method invocation limit reached"),
            "captcha": (7, "ACTION_BLOCKED : Action blocked"),
            "service": (2, "SERVICE : Service temporary unavailable"),
        }
        return self.error(*simple[fault]) if fault else None

    def _current_user(self, fields: dict[str, str]) -> Answer:
        return Answer(200, {"uid": "574829", "first_name": "Мария", "last_name": "Иванова", "name": "Мария Иванова"})

    def _has_permission(self, fields: dict[str, str]) -> Answer:
        return Answer(200, self.group_content if fields.get("ext_perm") == "GROUP_CONTENT" else True)

    def _upload_url(self, fields: dict[str, str]) -> Answer:
        if not self.administers(fields.get("gid", "")):
            return self.error(300, "NOT_FOUND : group not found")
        photo_id = f"ph{len(self.upload_tokens) + 1}"
        url = f"{self.url}/upload/ok?apiToken=fake&photoIds={photo_id}"
        return Answer(
            200, {"expires_ms": int(self.now() * 1000) + 86_400_000, "photo_ids": [photo_id], "upload_url": url}
        )

    def _upload(self) -> Answer:
        query = self.current.query if self.current else {}
        _, content = self.current.files.get("pic1", ("", b"")) if self.current else ("", b"")
        photo_id = query.get("photoIds", "")
        if not content.startswith(b"\xff\xd8") or not photo_id:
            return Answer(400, {"error_code": 100, "error_msg": "PARAM : no image"})
        token = f"tok-{photo_id}-{hashlib.md5(content).hexdigest()[:8]}"
        self.upload_tokens[token] = content
        return Answer(200, {"photos": {photo_id: {"token": token}}})

    def _post(self, fields: dict[str, str]) -> Answer:
        if not self.administers(fields.get("gid", "")) or fields.get("type") != "GROUP_THEME":
            return self.error(10, "PERMISSION_DENIED : not a group administrator")
        try:
            media = json.loads(fields.get("attachment", ""))["media"]
            assert media
        except (ValueError, KeyError, AssertionError):
            return self.error(100, "PARAM : attachment is invalid")
        for block in media:
            if block.get("type") == "photo" and any(p.get("id") not in self.upload_tokens for p in block["list"]):
                return self.error(100, "PARAM : photo token is invalid")
        problem = self._simple_fault()
        if problem:
            return problem
        post = {key: value for key, value in fields.items() if key not in ("access_token", "sig")}
        made: dict[str, str] = {}

        def act() -> None:
            made["id"] = str(9000000000000 + len(self.posts) + 1)
            self.posts.append(post | {"topic_id": made["id"]})
            self.topics[made["id"]] = post

        fault, answer = self.act_or_fault(act)
        return answer or Answer(200, made["id"], after=self.late_if(fault))

    def _delete(self, fields: dict[str, str]) -> Answer:
        if self.delete_error is not None:
            return self.error(self.delete_error, "PERMISSION_DENIED : Permission denied")
        if not self.administers(fields.get("gid", "")):
            return self.error(10, "PERMISSION_DENIED : not a group administrator")
        topic = self.topics.get(fields.get("topic_id", ""))
        if topic is None or topic.get("_deleted"):
            return self.error(300, "NOT_FOUND : Topic not found")
        problem = self._simple_fault()
        if problem:
            return problem
        record = {key: value for key, value in fields.items() if key not in ("access_token", "sig")}
        fault, answer = self.act_or_fault(lambda: (topic.update(_deleted="1"), self.deletes.append(record)))
        return answer or Answer(200, {"success": True}, after=self.late_if(fault))

    def _comment(self, fields: dict[str, str]) -> Answer:
        topic = self.topics.get(fields.get("entityId", ""))
        if fields.get("entityType") != "GROUP_TOPIC" or topic is None or topic.get("_deleted"):
            return self.error(300, "NOT_FOUND : Discussion not found")
        problem = self._simple_fault()
        if problem:
            return problem
        record = {key: value for key, value in fields.items() if key not in ("access_token", "sig")}
        fault, answer = self.act_or_fault(lambda: self.replies.append(record))
        return answer or Answer(200, f"c{len(self.replies)}", after=self.late_if(fault))

    METHODS: ClassVar[dict[str, Any]] = {
        "mediatopic.post": _post,
        "mediatopic.deleteTopic": _delete,
        "discussions.addDiscussionComment": _comment,
        "users.getCurrentUser": _current_user,
        "users.hasAppPermission": _has_permission,
        "photosV2.getUploadUrl": _upload_url,
    }


def _max_error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"code": code, "message": message})


@dataclass
class FakeMAX(FakeAPI):
    """The MAX Bot API (platform-api2.max.ru): a bot that administers channel ``chat_id``."""

    chat_id: int = -71234567890
    #: further channels the bot administers (a channel per department)
    chats: set[int] = field(default_factory=set)
    #: the bot's membership (GET /chats/{id}/members/me): admin with these permissions
    is_admin: bool = True
    permissions: list[str] = field(default_factory=lambda: ["write", "edit", "delete", "read_all_messages"])
    member: bool = True
    #: how many times a new upload answers attachment.not.ready before it is ready
    not_ready: int = 0
    #: the documented limit: at most ``per_second`` messages a second to one chat (0: off)
    per_second: int = 0
    is_bot: bool = True
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, int] = field(default_factory=dict)  # token → answers still "not ready"
    sent_times: list[float] = field(default_factory=list)

    BOT: ClassVar[dict[str, Any]] = {
        "user_id": 590001,
        "first_name": "Администрация",
        "username": "severogorsk_bot",
        "last_activity_time": 0,
    }

    def handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer like the MAX Bot API."""
        incoming = self.current
        if path.startswith("/upload/max"):
            return self._upload(incoming)
        if "access_token" in incoming.query:
            return _max_error(401, "verify.token", "Передача токена через query-параметры больше не поддерживается")
        if incoming.headers.get("authorization") != MAX_TOKEN:
            return _max_error(401, "verify.token", "Invalid access_token")
        body = json.loads(incoming.body.decode("utf-8") or "null") if incoming.body else None
        route = (incoming.method, path)
        if route == ("GET", "/me"):
            return Answer(200, self.BOT | {"is_bot": self.is_bot})
        if incoming.method == "GET" and path.startswith("/chats/"):
            return self._chat(path)
        if route == ("POST", "/uploads"):
            if incoming.query.get("type") not in ("image", "video", "audio", "file"):
                return _max_error(400, "proto.payload", "type: must be one of image, video, audio, file")
            return Answer(200, {"url": f"{self.url}/upload/max?photoIds=p{len(self.uploads) + 1}"})
        if route == ("POST", "/messages"):
            return self._post_message(incoming.query, body or {})
        if route == ("PUT", "/messages"):
            return self._edit(incoming.query, body or {})
        if route == ("DELETE", "/messages"):
            return self._delete(incoming.query)
        return _max_error(404, "not.found", f"Path {path} not found")

    POST_ID = "mid"
    TEXT = ("text",)

    def target(self, record: dict[str, str]) -> str:
        """An edit or a deletion names the message in message_id, a reply in its link (reply_to here)."""
        return record.get("reply_to") or record["message_id"]

    def is_check(self, path: str, fields: dict[str, str]) -> bool:
        """GET /me, GET /chats/…"""
        return path == "/me" or path.startswith("/chats/")

    def administers(self, chat_id: str) -> bool:
        """Whether the bot is in chat ``chat_id`` (the main one or a further one)."""
        return chat_id in {str(self.chat_id), *map(str, self.chats)}

    def _chat(self, path: str) -> Answer:
        parts = path.strip("/").split("/")
        if not self.administers(parts[1]):
            return _max_error(404, "chat.not.found", f"Chat {parts[1]} not found")
        if not self.member:
            return _max_error(403, "chat.denied", "Bot is not a member of the chat")
        if parts[2:] == ["members", "me"]:
            return Answer(
                200,
                self.BOT
                | {
                    "is_bot": True,
                    "is_owner": False,
                    "is_admin": self.is_admin,
                    "permissions": self.permissions if self.is_admin else None,
                    "join_time": 0,
                    "last_access_time": 0,
                    "alias": None,
                },
            )
        chat = {"chat_id": int(parts[1]), "type": "channel", "status": "active", "title": "Администрация города"}
        return Answer(200, chat | {"is_public": True, "participants_count": 1200, "last_event_time": 0})

    def _upload(self, incoming: Incoming) -> Answer:
        _, content = incoming.files.get("data", ("", b""))
        if not content.startswith(b"\xff\xd8"):
            return _max_error(400, "proto.payload", "Unsupported image")
        token = f"phtok-{len(self.uploads) + 1}-{hashlib.md5(content).hexdigest()[:6]}"
        self.uploads[token] = self.not_ready
        return Answer(200, {"photos": {incoming.query.get("photoIds", "p"): {"token": token}}})

    def _check_body(self, body: dict) -> Answer | None:  # noqa: PLR0911 - one return per documented answer
        text = body.get("text") or ""
        if len(text) > 4000:
            return _max_error(400, "proto.payload", "text: size must be between 0 and 4000")
        if body.get("format") not in (None, "html", "markdown"):
            return _max_error(400, "proto.payload", "format: must be markdown or html")
        for attachment in body.get("attachments") or []:
            if attachment.get("type") != "image":
                return _max_error(400, "proto.payload", "attachment type not supported here")
            tokens = [p.get("token") for p in (attachment.get("payload", {}).get("photos") or {}).values()]
            tokens += [attachment["payload"]["token"]] if attachment.get("payload", {}).get("token") else []
            if not tokens or any(token not in self.uploads for token in tokens):
                return _max_error(400, "proto.payload", "attachment: unknown token")
            if any(self.uploads[token] > 0 for token in tokens):
                for token in tokens:
                    self.uploads[token] -= 1
                return _max_error(400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed")
        if not text and not body.get("attachments"):
            return _max_error(400, "proto.payload", "text or attachments required")
        return None

    def _rate_fault(self) -> Answer | None:
        fault = self.peek_fault("rate", "auth", "forbidden")
        if fault == "rate":
            return Answer(
                429, {"code": "too.many.requests", "message": "Too many requests"}, headers={"Retry-After": "1"}
            )
        if fault == "auth":
            return _max_error(401, "verify.token", "Invalid access_token")
        if fault == "forbidden":
            return _max_error(403, "chat.denied", "You are not allowed to write to this chat")
        return None

    def live(self) -> dict[str, dict[str, Any]]:
        """The messages not deleted."""
        return {mid: m for mid, m in self.messages.items() if not m.get("deleted")}

    def _post_message(self, query: dict[str, str], body: dict) -> Answer:  # noqa: PLR0911 - one return per documented answer
        if not self.administers(query.get("chat_id", "")):
            return _max_error(404, "chat.not.found", f"Chat {query.get('chat_id')} not found")
        if not self.member or not self.is_admin or "write" not in self.permissions:
            return _max_error(403, "chat.denied", "You are not allowed to write to this chat")
        problem = self._check_body(body)
        if problem:
            return problem
        link = body.get("link") or {}
        if link and link.get("mid") not in self.live():
            return _max_error(404, "not.found", "Linked message not found")
        now = time.monotonic()
        if self.per_second and len([t for t in self.sent_times if now - t < 1.0]) >= self.per_second:
            return Answer(429, {"code": "too.many.requests", "message": "Too many requests"})
        problem = self._rate_fault()
        if problem:
            return problem
        record = {
            "chat_id": query["chat_id"],
            "text": body.get("text") or "",
            "format": body.get("format") or "",
            "attachments": json.dumps(body.get("attachments") or []),
            "notify": str(body.get("notify", True)).lower(),
            "disable_link_preview": query.get("disable_link_preview", "false"),
        }
        made: dict[str, str] = {}

        def act() -> None:
            made["mid"] = f"mid.{len(self.messages) + 1:016x}"
            self.messages[made["mid"]] = dict(record)
            if link:
                self.replies.append(record | {"reply_to": link["mid"]})
            else:
                self.posts.append(record | {"mid": made["mid"]})

        fault, answer = self.act_or_fault(act)
        if answer:
            return answer
        self.sent_times.append(now)
        message = {
            "recipient": {"chat_id": int(query["chat_id"]), "chat_type": "channel", "user_id": None},
            "timestamp": int(self.now() * 1000),
            "body": {"mid": made["mid"], "seq": len(self.messages), "text": record["text"], "attachments": None},
        }
        return Answer(200, {"message": message}, after=self.late_if(fault))

    def _edit(self, query: dict[str, str], body: dict) -> Answer:
        message = self.live().get(query.get("message_id", ""))
        if message is None:
            return _max_error(404, "not.found", "Message not found")
        problem = self._check_body(body) or self._rate_fault()
        if problem:
            return problem
        change = {"text": body.get("text") or "", "format": body.get("format") or ""}
        if body.get("attachments") is not None:
            change["attachments"] = json.dumps(body["attachments"])
        fault, answer = self.act_or_fault(
            lambda: (message.update(change), self.edits.append(change | {"message_id": query["message_id"]}))
        )
        return answer or Answer(200, {"success": True}, after=self.late_if(fault))

    def _delete(self, query: dict[str, str]) -> Answer:
        message = self.live().get(query.get("message_id", ""))
        if message is None:
            return _max_error(404, "not.found", "Message not found")
        if "delete" not in self.permissions:
            return _max_error(403, "chat.denied", "You are not allowed to delete messages in this chat")
        problem = self._rate_fault()
        if problem:
            return problem
        fault, answer = self.act_or_fault(
            lambda: (message.update(deleted=True), self.deletes.append({"message_id": query["message_id"]}))
        )
        return answer or Answer(200, {"success": True}, after=self.late_if(fault))


#: Each network's fake, by the network's name in crosspost.yml.
FAKES: dict[str, type[FakeAPI]] = {"telegram": FakeTelegram, "vk": FakeVK, "ok": FakeOK, "max": FakeMAX}
#: The channel settings that name each fake's own account (its defaults).
ACCOUNTS: dict[str, dict[str, Any]] = {
    "telegram": {"chat_id": FakeTelegram.chat_id},
    "vk": {"owner_id": int(FakeVK.owner_id)},
    "ok": {"group_id": FakeOK.group_id},
    "max": {"chat_id": FakeMAX.chat_id},
}

#: How many times each network's ``check_token`` ran in this process, however many requests
#: a check makes (count_token_checks() starts the count).
CHECK_CALLS: Counter[str] = Counter()


def count_token_checks(monkeypatch: Any) -> Counter[str]:
    """Count every call of each real poster's check_token in CHECK_CALLS (the method itself runs unchanged)."""
    from ratusha.crosspost.poster import POSTERS, poster_class  # noqa: PLC0415 - the fakes need it for this only

    CHECK_CALLS.clear()
    for network in POSTERS:
        poster = poster_class(network)
        check = poster.check_token

        def counted(self: Any, check: Callable[[Any], Any] = check) -> Any:
            CHECK_CALLS[self.network] += 1
            return check(self)

        monkeypatch.setattr(poster, "check_token", counted)
    return CHECK_CALLS
