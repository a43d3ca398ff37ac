"""Fake Telegram, VK and OK APIs on 127.0.0.1 that answer as the documented APIs do.

Each fake runs an HTTP server in a thread, records every accepted post, and plays a
queue of faults, one per incoming post request (``None`` for a normal answer):

- ``rate``: the network's rate-limit answer (Telegram 429 + retry_after, VK error 6, OK error 8)
- ``5xx``: HTTP 502 from the front, nothing posted
- ``timeout-before``: no answer until the client has given up, nothing posted
- ``timeout-after``: the post is made, the answer comes too late (the client's "uncertain")
- ``auth`` / ``captcha`` / ``daily``: the network's authorisation, captcha and daily-limit errors
- ``kill-before`` / ``kill-after``: SIGKILL the client process (``kill_pid``) before or after
  the post is made, to test crashes between sending and recording.

Formats follow the documentation: Telegram ``{"ok": false, "error_code", "description",
"parameters": {"retry_after"}}``; VK HTTP 200 with ``{"error": {"error_code", "error_msg"}}``
and wall.post's ``guid`` deduplication for an hour; OK HTTP 200 with the topic id as a JSON
string or ``{"error_code", "error_msg", "error_data"}``, and the md5 request signature.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TELEGRAM_TOKEN = "123456:AAH-telegram-SECRET-token"
VK_TOKEN = "vk1.a.SECRET-community-key"
OK_TOKEN = "tkn1-SECRET-ok-access-token"
OK_APP_KEY = "CBAFAKEAPPKEY"
OK_SECRET = "OKSECRETAPPLICATIONKEY"


@dataclass
class Answer:
    """What the handler sends back."""

    status: int
    body: Any
    after: str = ""  # "kill" or "sleep"


@dataclass
class FakeAPI:
    """Base: an HTTP server on 127.0.0.1:0 recording posts and playing faults."""

    late: float = 2.0  # how long a "timeout" answer is held back
    posts: list[dict[str, str]] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    faults: deque = field(default_factory=deque)
    kill_pid: int | None = None

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    fields = {key: str(value) for key, value in json.loads(raw or "{}").items()}
                else:
                    fields = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                fake.reply(self, urllib.parse.urlsplit(self.path).path, fields)

            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                fake.reply(self, parts.path, dict(urllib.parse.parse_qsl(parts.query)))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """The base URL to put in the channel's api_base."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()

    def reply(self, handler: BaseHTTPRequestHandler, path: str, fields: dict[str, str]) -> None:
        """Answer one request, applying the next fault if it is a post."""
        with self.lock:
            self.requests.append((path, fields))
            answer = self.handle(path, fields)
        if answer.after == "sleep":
            time.sleep(self.late)
        self._send(handler, answer)

    def _send(self, handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        data = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up or was killed

    def next_fault(self) -> str | None:
        """The fault for this post request, if any."""
        return self.faults.popleft() if self.faults else None

    def kill(self) -> None:
        """SIGKILL the client under test."""
        if self.kill_pid:
            os.kill(self.kill_pid, signal.SIGKILL)
            time.sleep(0.2)

    def post_or_fault(self, fields: dict[str, str], post: dict[str, str]) -> tuple[str | None, Answer | None]:
        """Apply a generic fault; record the post when the fault lets it through."""
        fault = self.next_fault()
        if fault == "5xx":
            return fault, Answer(502, {"error": "Bad Gateway"})
        if fault == "timeout-before":
            return fault, Answer(504, {"error": "Gateway Timeout"}, after="sleep")
        if fault == "kill-before":
            self.kill()
            return fault, Answer(500, {})
        if fault in (None, "timeout-after", "kill-after"):
            self.posts.append(post)
            if fault == "kill-after":
                self.kill()
        return fault, None

    def count(self, needle: str) -> int:
        """How many recorded posts mention ``needle`` (an item's link)."""
        return sum(any(needle in value for value in post.values()) for post in self.posts)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:
        """The network-specific answer."""
        raise NotImplementedError


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


@dataclass
class FakeTelegram(FakeAPI):
    """The Bot API: /bot<token>/sendMessage and /sendPhoto."""

    chat_id: str = "@test_channel"
    #: a real limit: at most ``per_window`` posts in ``window`` seconds, then 429
    per_window: int = 0
    window: float = 1.0
    sent_times: list[float] = field(default_factory=list)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer like api.telegram.org."""
        _, _, rest = path.partition("/bot")
        token, _, method = rest.partition("/")
        if token != TELEGRAM_TOKEN:
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if method not in ("sendMessage", "sendPhoto"):
            return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if fields.get("chat_id") != self.chat_id:
            return Answer(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        key = "caption" if method == "sendPhoto" else "text"
        parser = _Visible()
        parser.feed(fields.get(key, ""))
        parser.close()
        if fields.get("parse_mode") == "HTML" and parser.error:
            description = f"Bad Request: can't parse entities: {parser.error}"
            return Answer(400, {"ok": False, "error_code": 400, "description": description})
        limit = 1024 if key == "caption" else 4096
        if len(parser.text.encode("utf-16-le")) // 2 > limit:
            description = (
                "Bad Request: message caption is too long" if key == "caption" else "Bad Request: message is too long"
            )
            return Answer(400, {"ok": False, "error_code": 400, "description": description})
        if key == "text" and not parser.text.strip():
            return Answer(400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})
        if method == "sendPhoto" and "broken" in fields.get("photo", ""):
            description = "Bad Request: wrong file identifier/HTTP URL specified"
            return Answer(400, {"ok": False, "error_code": 400, "description": description})
        now = time.monotonic()
        recent = [moment for moment in self.sent_times if now - moment < self.window]
        if self.per_window and len(recent) >= self.per_window:
            retry = max(1, round(self.window - (now - recent[0]) + 0.5))
            return self._429(retry)
        fault = self.faults[0] if self.faults else None
        if fault == "rate":
            self.faults.popleft()
            return self._429(1)
        if fault == "auth":
            self.faults.popleft()
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if fault == "forbidden":
            self.faults.popleft()
            description = "Forbidden: bot is not a member of the channel chat"
            return Answer(403, {"ok": False, "error_code": 403, "description": description})
        fault, answer = self.post_or_fault(fields, {**fields, "method": method})
        if answer:
            return answer
        self.sent_times.append(now)
        message = {
            "message_id": len(self.posts),
            "sender_chat": {"id": -1001234567890, "title": "Test", "type": "channel"},
            "chat": {"id": -1001234567890, "title": "Test", "type": "channel", "username": self.chat_id[1:]},
            "date": int(time.time()),
            key: parser.text,
        }
        return Answer(200, {"ok": True, "result": message}, after="sleep" if fault == "timeout-after" else "")

    @staticmethod
    def _429(retry: int) -> Answer:
        description = f"Too Many Requests: retry after {retry}"
        return Answer(
            429, {"ok": False, "error_code": 429, "description": description, "parameters": {"retry_after": retry}}
        )


@dataclass
class FakeVK(FakeAPI):
    """api.vk.com/method/wall.post with a community key."""

    owner_id: str = "-1001"
    daily_limit: int = 50
    guids: dict[str, tuple[int, float]] = field(default_factory=dict)

    def handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer like api.vk.com: HTTP 200, response or error."""
        params = [{"key": key, "value": value} for key, value in fields.items() if key != "access_token"]
        params.append({"key": "method", "value": path.rsplit("/", 1)[-1]})

        def error(code: int, message: str, **extra: Any) -> Answer:
            return Answer(200, {"error": {"error_code": code, "error_msg": message, "request_params": params, **extra}})

        if path != "/method/wall.post":
            return error(3, "Unknown method passed")
        if not fields.get("v"):
            return error(8, "Invalid request: v (version) is required")
        if fields.get("access_token") != VK_TOKEN:
            return error(5, "User authorization failed: invalid access_token (4).")
        if fields.get("owner_id") != self.owner_id or fields.get("from_group") != "1":
            return error(15, "Access denied")
        if not fields.get("message") and not fields.get("attachments"):
            return error(100, "One of the parameters specified was missing or invalid: message is empty")
        fault = self.faults[0] if self.faults else None
        simple = {
            "rate": (6, "Too many requests per second"),
            "auth": (5, "User authorization failed: access_token has expired."),
            "daily": (214, "Access to adding post denied: a user can only add 50 posts a day"),
        }
        if fault in simple:
            self.faults.popleft()
            return error(*simple[fault])
        if fault == "captcha":
            self.faults.popleft()
            return error(
                14,
                "Captcha needed",
                captcha_sid="548747100691",
                captcha_img="https://api.vk.com/captcha.php?sid=548747100691",
            )
        guid = fields.get("guid", "")
        now = time.time()
        if guid and guid in self.guids and now - self.guids[guid][1] < 3600:
            # VK: a repeat with the same guid within an hour is not posted again.
            fault = self.next_fault()
            return Answer(
                200, {"response": {"post_id": self.guids[guid][0]}}, after="sleep" if fault == "timeout-after" else ""
            )
        if len([post for post in self.posts if now - float(post["_at"]) < 86400]) >= self.daily_limit:
            return error(214, "Access to adding post denied: a user can only add 50 posts a day")
        post = {key: value for key, value in fields.items() if key != "access_token"} | {"_at": str(now)}
        fault, answer = self.post_or_fault(fields, post)
        if answer:
            return answer
        post_id = len(self.posts)
        if guid:
            self.guids[guid] = (post_id, now)
        return Answer(200, {"response": {"post_id": post_id}}, after="sleep" if fault == "timeout-after" else "")


def ok_sig(fields: dict[str, str], token: str, secret: str) -> str:
    """OK's documented signature, written independently of crosspost.ok."""
    session_secret = hashlib.md5((token + secret).encode()).hexdigest()
    base = "".join(
        f"{key}={fields[key]}" for key in sorted(fields) if key not in ("sig", "access_token", "session_key")
    )
    return hashlib.md5((base + session_secret).encode()).hexdigest()


@dataclass
class FakeOK(FakeAPI):
    """api.ok.ru/fb.do?method=mediatopic.post."""

    group_id: str = "5000"

    def handle(self, path: str, fields: dict[str, str]) -> Answer:  # noqa: PLR0911 - one return per documented answer
        """Answer like api.ok.ru: HTTP 200, a topic id or an error object."""

        def error(code: int, message: str) -> Answer:
            return Answer(200, {"error_code": code, "error_msg": message, "error_data": None})

        if path != "/fb.do" or fields.get("method") != "mediatopic.post":
            return error(3, "METHOD : Method does not exist")
        if fields.get("application_key") != OK_APP_KEY:
            return error(101, "PARAM_API_KEY : Application key is invalid")
        if fields.get("access_token") != OK_TOKEN:
            return error(102, "PARAM_SESSION_EXPIRED : Session expired")
        if fields.get("sig") != ok_sig(fields, OK_TOKEN, OK_SECRET):
            return error(104, "PARAM_SIGNATURE : Invalid signature")
        if fields.get("gid") != self.group_id or fields.get("type") != "GROUP_THEME":
            return error(10, "PERMISSION_DENIED : not a group administrator")
        try:
            media = json.loads(fields.get("attachment", ""))["media"]
            assert media
        except (ValueError, KeyError, AssertionError):
            return error(100, "PARAM : attachment is invalid")
        fault = self.faults[0] if self.faults else None
        simple = {
            "rate": (8, "FLOOD_BLOCKED : Flood blocked"),
            "auth": (102, "PARAM_SESSION_EXPIRED : Session expired"),
            "daily": (11, "LIMIT_REACHED : Method invocation limit reached"),
            "captcha": (7, "ACTION_BLOCKED : Action blocked"),
            "service": (2, "SERVICE : Service temporary unavailable"),
        }
        if fault in simple:
            self.faults.popleft()
            return error(*simple[fault])
        post = {key: value for key, value in fields.items() if key not in ("access_token", "sig")}
        fault, answer = self.post_or_fault(fields, post)
        if answer:
            return answer
        return Answer(200, str(9000000000000 + len(self.posts)), after="sleep" if fault == "timeout-after" else "")
