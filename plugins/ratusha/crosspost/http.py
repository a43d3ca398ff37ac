"""HTTP for the posters and the feed reader: stdlib urllib, secrets redacted everywhere.

Why urllib and not requests/httpx: the posters need to know *where* a request failed,
not just that it did. urllib raises ``URLError`` while it connects and writes the request
(the API cannot have acted on it: safe to send again) and a bare ``OSError`` while it
waits for the answer (the API may have acted on it: the outcome is uncertain). That split
is the whole basis of the retry policy, so it is made explicit here as two exceptions,
:class:`NotSent` and :class:`Uncertain`, and no dependency is needed.

This module never retries by itself: a POST to Telegram, OK or MAX is not idempotent, so
the one retry loop, :meth:`ratusha.crosspost.poster.Poster.exchange`, decides with what
each network's module says about its answers.
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

USER_AGENT = "Ratusha-crosspost/1.0 (+https://github.com/ratusha)"
REDACTED = "***"


class Secrets:
    """Every token and key in use, so that any text can be scrubbed before it is shown."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the networks' threads add and redact at once
        self._values: set[str] = set()
        #: the secrets longest first (one may contain another), sorted again only after add() brings a new one
        self._longest_first: list[str] | None = []

    def add(self, value: str | None) -> None:
        """Remember a secret (and its URL-encoded forms, as it appears in query strings)."""
        if value and len(value) >= 4:
            forms = {value, urllib.parse.quote(value, safe=""), urllib.parse.quote_plus(value)}
            with self._lock:
                if not forms <= self._values:
                    self._values |= forms
                    self._longest_first = None

    def redact(self, text: object) -> str:
        """Return ``text`` as a string with every known secret replaced by ***."""
        result = str(text)
        if not result:
            return result  # most channels' reports say nothing
        with self._lock:
            if self._longest_first is None:
                self._longest_first = sorted(self._values, key=len, reverse=True)
            longest_first = self._longest_first
        for value in longest_first:
            result = result.replace(value, REDACTED)
        return result

    def clear(self) -> None:
        """Forget all secrets (tests)."""
        with self._lock:
            self._values.clear()
            self._longest_first = []


SECRETS = Secrets()


class RedactingFilter(logging.Filter):
    """A logging filter that removes secrets from every record, whoever logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, so that arguments cannot leak a token."""
        message = record.getMessage()
        record.msg = SECRETS.redact(message)
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are rendered from exc_info later: pre-render it redacted.
            record.exc_text = SECRETS.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class TransportError(Exception):
    """A request that got no HTTP answer; the message is already redacted."""

    def __init__(self, message: str) -> None:
        super().__init__(SECRETS.redact(message))


class NotSent(TransportError):
    """The request never reached the API (DNS, refused, reset while connecting or writing)."""


class Uncertain(TransportError):
    """The request was sent but no answer came (read timeout, reset while waiting)."""


@dataclass
class Response:
    """An HTTP answer, whatever its status."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """Return a header's value, whatever the case of its name as the server sent it ('' if absent)."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), "")

    def json(self) -> Any:
        """Decode the body as JSON; None if it is not JSON (a proxy's HTML error page)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def safe_url(url: str) -> str:
    """Return the URL without its query string and with secrets redacted, for messages."""
    parts = urllib.parse.urlsplit(url)
    return SECRETS.redact(urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


def request(
    method: str,
    url: str,
    fields: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
    *,
    json_body: Any = None,
    files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ca_file: str = "",
) -> Response:
    """Send one request; raise NotSent or Uncertain when no answer comes.

    The body is ``json_body`` as JSON, or ``files`` (name → (filename, bytes, type)) and
    ``fields`` as multipart/form-data, or ``fields`` form-encoded (POST/PUT only; a GET or
    DELETE carries its parameters in the URL). ``ca_file`` adds a CA bundle to trust, for
    APIs whose certificate chains to a national root (MAX: the Russian Trusted Root CA).
    """
    data, content_type = _body(method, fields, json_body, files)
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("User-Agent", USER_AGENT)
    if content_type:
        req.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    context = ssl.create_default_context(cafile=ca_file) if ca_file and url.startswith("https:") else None
    try:
        # urllib wraps in URLError every OSError raised while connecting and sending; what
        # fails after that (waiting for or reading the answer) comes out unwrapped.
        with urllib.request.urlopen(req, timeout=timeout, context=context) as answer:
            body = _read(answer, method, url)
            return Response(answer.status, body, dict(answer.headers.items()))
    except urllib.error.HTTPError as error:
        try:
            body = error.read()
        except (OSError, http.client.HTTPException):
            body = b""
        return Response(error.code, body, dict(error.headers.items()) if error.headers else {})
    except urllib.error.URLError as error:
        raise NotSent(f"{method} {safe_url(url)}: could not send: {error.reason}") from None
    except TimeoutError as error:
        raise Uncertain(f"{method} {safe_url(url)}: sent, no answer in {timeout:g} s: {error}") from None
    except (OSError, http.client.HTTPException) as error:
        raise Uncertain(f"{method} {safe_url(url)}: sent, connection lost before the answer: {error!r}") from None


def _body(
    method: str,
    fields: Mapping[str, str] | None,
    json_body: Any,
    files: Mapping[str, tuple[str, bytes, str]] | None,
) -> tuple[bytes | None, str]:
    if json_body is not None:
        return json.dumps(json_body, ensure_ascii=False).encode("utf-8"), "application/json"
    if files:
        boundary = f"ratusha-{uuid.uuid4().hex}"
        parts: list[bytes] = []
        for name, value in (fields or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, kind) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return b"".join(parts), f"multipart/form-data; boundary={boundary}"
    if method in ("POST", "PUT"):
        return urllib.parse.urlencode(fields or {}).encode("utf-8"), ""
    return None, ""


def with_query(url: str, params: Mapping[str, object]) -> str:
    """``url`` with ``params`` appended to its query string."""
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode({k: str(v) for k, v in params.items()})


def _read(answer: http.client.HTTPResponse, method: str, url: str) -> bytes:
    try:
        return answer.read()
    except (OSError, http.client.HTTPException) as error:
        raise Uncertain(f"{method} {safe_url(url)}: answer cut short: {error!r}") from None


@dataclass
class Backoff:
    """Delays between retries of requests that certainly failed: base, base*2, … up to cap."""

    tries: int = 4
    base: float = 1.0
    cap: float = 30.0

    def delays(self) -> Iterator[float]:
        """One delay before each retry; ``tries - 1`` of them."""
        for attempt in range(max(self.tries - 1, 0)):
            yield min(self.base * (2**attempt), self.cap)
