"""What every network's poster shares: outcomes, stops, and the one retry loop.

A poster turns an item into the exact request its API expects (:meth:`Poster.prepare`,
also what ``--dry-run`` prints) and sends it (:meth:`Poster.send`); it also edits,
deletes and answers a post it made (:meth:`Poster.edit`, :meth:`Poster.delete`,
:meth:`Poster.reply`) and checks its token with the network's own who-am-I call
(:meth:`Poster.check_token`). Each ends in one of four outcomes: sent, failed (the API
said no: nothing changed, try again on a later run), uncertain (sent, but no answer: it
may or may not have happened) or refused (the network will never do it: record it, never
retry). Errors that no retry can fix (a bad token, a captcha) raise :class:`HardStop`;
limits that last longer than a run may wait raise :class:`Pause`. Both are raised only
when the API *answered* that it did not act, so the caller can put the work back as
pending without any risk of a duplicate.

Every network goes through :meth:`Poster.exchange`, the one retry loop: each network's
module only says what an answer means (a :class:`Judgement`), and the loop decides, the
same way for all, what is repeated. A request is repeated when it certainly was not
acted on — a connection that failed before the request was sent, a rate limit (429,
``retry_after``, flood control) or an error the API documents as "did nothing, try again"
(502/503 from the front, VK 1/10, OK 2/8) — and a request that may have reached the
server is repeated only when the network's own idempotency makes that safe (VK's
``guid``, edits that set the same content, deletes, reads).
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from ratusha.crosspost import http
from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.http import SECRETS

#: How many rate-limit answers in a row one request may get before the channel pauses.
MAX_RATE_LIMITS = 10
#: The largest lead image fetched for upload (the networks' own limits are 10–50 MB).
MAX_IMAGE_BYTES = 20 * 1024 * 1024


class Outcome(StrEnum):
    """How a send, edit, delete or reply ended."""

    SENT = "sent"  # done (posted / edited / deleted / replied)
    FAILED = "failed"  # the API said no; nothing changed; may be retried on a later run
    UNCERTAIN = "uncertain"  # sent, no answer: may or may not have happened
    REFUSED = "refused"  # the network will never do this: record it, never retry


@dataclass
class TokenCheck:
    """Who a token is, as the network's own who-am-I call says."""

    network: str
    kind: str  # "bot", "user", … as the network names it
    name: str  # who the token is ("@severogorsk_bot", "Иван Петров", …)
    detail: str = ""  # e.g. "administrator of club123456"

    def show(self) -> str:
        """One line for people."""
        return f"{self.network}: {self.kind} {self.name}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Request:
    """One API call as it goes over the wire, minus the secrets (added when sent)."""

    method: str
    params: dict[str, str]
    note: str = ""

    def show(self) -> str:
        """Render readably and without secrets, for --dry-run and logs."""
        lines = [f"{self.method}" + (f"  ({self.note})" if self.note else "")]
        for key, value in self.params.items():
            value = SECRETS.redact(value)
            if "\n" in value:
                lines.append(f"  {key}: |")
                lines.extend(f"    {line}" for line in value.split("\n"))
            else:
                lines.append(f"  {key}: {value}")
        return "\n".join(lines)


@dataclass
class Result:
    """An outcome, with the network's id of the post when there is one.

    ``remote_id`` is opaque to the caller: it holds everything edit, delete and reply
    need later (a JSON object). An edit may return a new one (a changed photo); when it
    is not empty it replaces the stored one.
    """

    outcome: Outcome
    remote_id: str = ""
    error: str = ""
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.error = SECRETS.redact(self.error)


class HardStop(Exception):
    """Stop this channel now (auth, captcha, wrong chat): a person must act. Nothing was done."""

    def __init__(self, message: str) -> None:
        super().__init__(SECRETS.redact(message))


class Pause(Exception):
    """Stop this channel until a later run (daily limit, long rate limit, outage). Nothing was done.

    The rest of the queue waits too, so that posts keep their order. ``failure`` says the
    cause was a fault (the API down, rate limits that would not end), reported with exit 1,
    rather than a limit working as intended (exit 0).
    """

    def __init__(self, message: str, failure: bool = False) -> None:
        super().__init__(SECRETS.redact(message))
        self.failure = failure


class Verdict(StrEnum):
    """What one HTTP answer means, as the network's module reads it."""

    OK = "ok"  # done; Judgement.value holds the API's result
    RATE = "rate"  # a rate limit: wait Judgement.wait seconds and repeat
    RETRY = "retry"  # the API says it did nothing and asks to try again: back off, repeat
    UNSURE = "unsure"  # it may have acted (504, a cut answer): repeat only if idempotent
    FAILED = "failed"  # a refusal about this request; nothing changed
    REFUSED = "refused"  # the network will never do this
    STOP = "stop"  # a person must act (token, rights, captcha)
    PAUSE = "pause"  # a limit that outlasts the run


@dataclass
class Judgement:
    """The network module's reading of one answer, and the loop's final word."""

    verdict: Verdict
    value: Any = None
    error: str = ""
    wait: float = 0.0
    code: int | str | None = None  # the network's own error code, for callers that care
    failure: bool = False  # for PAUSE: a fault (exit 1) rather than a limit at work

    @property
    def outcome(self) -> Outcome:
        """The Outcome of a final judgement (OK, FAILED, REFUSED or UNSURE)."""
        return {
            Verdict.OK: Outcome.SENT,
            Verdict.FAILED: Outcome.FAILED,
            Verdict.REFUSED: Outcome.REFUSED,
        }.get(self.verdict, Outcome.UNCERTAIN)


def by_code(
    code: int, error: str, stop: Mapping[int, str], pause: Mapping[int, str], retry_soon: Mapping[int, str]
) -> Judgement:
    """Judge a network's error code by its tables: a stop, then a pause, then a quick retry, else a failure."""
    if code in stop:
        return Judgement(Verdict.STOP, error=f"{error} — {stop[code]}", code=code)
    if code in pause:
        return Judgement(Verdict.PAUSE, error=f"{error} — {pause[code]}", code=code)
    if code in retry_soon:
        return Judgement(Verdict.RETRY, error=error, code=code)
    return Judgement(Verdict.FAILED, error=error, code=code)


def refused(reason: str, request: Request | None = None) -> Result:
    """Make a REFUSED result: what the network cannot do, said once."""
    return Result(Outcome.REFUSED, error=reason, requests=[request] if request else [])


def encode_ref(**fields: object) -> str:
    """Make a remote_id: the fields a later edit, delete or reply needs, as compact JSON."""
    return json.dumps({k: v for k, v in fields.items() if v not in (None, "")}, ensure_ascii=False, sort_keys=True)


def decode_ref(remote_id: str) -> dict[str, Any]:
    """Read a remote_id; a bare id (recorded before remote ids were JSON) becomes {"id": …}."""
    text = (remote_id or "").strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict):
            return value
    return {"id": text} if text else {}


class Poster:
    """Base class: one instance per channel and run."""

    network: ClassVar[str] = ""
    #: The network's name for people, in messages.
    label: ClassVar[str] = ""
    can_edit: ClassVar[bool] = False
    can_delete: ClassVar[bool] = False
    can_reply: ClassVar[bool] = False
    #: Seconds after posting during which the network accepts an edit (None = no limit);
    #: a channel option ``edit_window`` may only lower it.
    edit_window: ClassVar[float | None] = None
    #: The channel settings this network reads (besides the generic ones in config.py).
    option_keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        channel: Channel,
        secrets: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.channel = channel
        self.secrets = secrets or {}
        self.sleep = sleep
        for value in self.secrets.values():
            SECRETS.add(value)

    @classmethod
    def parse_options(cls, channel: Channel, settings: dict, where: str, problems: list[str]) -> None:
        """Read this network's settings into ``channel`` (options, secret_env, api_base)."""
        raise NotImplementedError

    def check_token(self) -> TokenCheck:
        """Ask the network who the token is; HardStop for a bad or wrong-kind token."""
        raise NotImplementedError

    def prepare(self, item: Item, key: str = "") -> Request:
        """Build the request that would post ``item``; ``key`` is the item's idempotency key."""
        raise NotImplementedError

    def send(self, item: Item, key: str = "") -> Result:
        """Post ``item`` once, retrying only what certainly was not posted."""
        raise NotImplementedError

    def edit(self, item: Item, remote_id: str) -> Result:
        """Replace the post's text (and image) with the corrected item."""
        return refused(f"{self.label} posts cannot be edited through its API")

    def delete(self, remote_id: str) -> Result:
        """Remove the post; a post that is already gone counts as deleted."""
        return refused(f"{self.label} posts cannot be deleted through its API")

    def reply(self, remote_id: str, text: str) -> Result:
        """Answer the post (a comment or a message linked to it) with plain ``text``."""
        return refused(f"{self.label} posts cannot be answered through its API")

    # The one retry loop.

    def exchange(
        self,
        send: Callable[[], http.Response],
        judge: Callable[[http.Response], Judgement],
        *,
        idempotent: bool,
        what: str,
    ) -> Judgement:
        """Send until the answer is final; return it (OK, FAILED, REFUSED or UNSURE).

        ``idempotent`` says that repeating a request that may have reached the server
        cannot do anything twice. Raises HardStop and Pause as the judgement says, and
        Pause(failure=True) when retries or rate-limit waits run out.
        """
        delays = iter(http.Backoff(tries=self.channel.retries, base=self.channel.backoff).delays())
        rate_limited = 0
        unsure = ""
        while True:
            try:
                answer = send()
            except http.NotSent as error:
                judgement = Judgement(Verdict.RETRY, error=str(error))
            except http.Uncertain as error:
                judgement = Judgement(Verdict.UNSURE, error=str(error))
            else:
                judgement = judge(answer)
            verdict = judgement.verdict
            if verdict in (Verdict.OK, Verdict.FAILED, Verdict.REFUSED):
                return judgement
            if verdict is Verdict.STOP:
                raise HardStop(f"{what}: {judgement.error}")
            if verdict is Verdict.PAUSE:
                raise Pause(f"{what}: {judgement.error}", failure=judgement.failure)
            if verdict is Verdict.RATE:
                rate_limited += 1
                if rate_limited > MAX_RATE_LIMITS:
                    raise Pause(f"{what}: {judgement.error}, {rate_limited} times in a row", failure=True)
                self.wait(judgement.wait, f"{what}: {judgement.error}")
                continue
            if verdict is Verdict.UNSURE:
                if not idempotent:
                    return judgement
                unsure = judgement.error
            delay = next(delays, None)
            if delay is None:
                if unsure:  # it may have happened; an idempotent repeat on a later run is safe
                    return Judgement(Verdict.UNSURE, error=unsure)
                raise Pause(f"{what}: {judgement.error} (after {self.channel.retries} tries)", failure=True)
            self.sleep(delay)

    def wait(self, seconds: float, why: str) -> None:
        """Sleep for a rate limit, or pause the channel if the wait is longer than max_wait."""
        if seconds > self.channel.max_wait:
            raise Pause(f"{why}: asked to wait {seconds:g} s, more than max_wait {self.channel.max_wait:g} s")
        self.sleep(seconds)

    def fetch_image(self, url: str) -> tuple[bytes, str, str] | None:
        """Download the lead image for upload: (bytes, file name, type), or None if it cannot be had.

        A missing image never stops a post: the caller falls back to the link card.
        """
        if not url.startswith(("http://", "https://")):
            return None

        def judge(answer: http.Response) -> Judgement:
            if answer.status == 200 and answer.body:
                return Judgement(Verdict.OK, value=answer)
            if answer.status in (429, 502, 503):
                return Judgement(Verdict.RETRY, error=f"HTTP {answer.status}")
            return Judgement(Verdict.FAILED, error=f"HTTP {answer.status}")

        try:
            judgement = self.exchange(
                lambda: http.request("GET", url, timeout=self.channel.timeout),
                judge,
                idempotent=True,
                what=f"lead image {http.safe_url(url)}",
            )
        except (Pause, HardStop):
            return None
        if judgement.verdict is not Verdict.OK or len(judgement.value.body) > MAX_IMAGE_BYTES:
            return None
        answer: http.Response = judgement.value
        kind = answer.header("Content-Type") or "image/jpeg"
        name = url.rsplit("/", 1)[-1].split("?", 1)[0] or "image.jpg"
        return answer.body, name, kind.split(";", 1)[0].strip()

    def lead_image(self, item: Item) -> tuple[bytes, str, str] | None:
        """Return the item's lead image to upload; None if it has none, the channel posts none, or it cannot be had."""
        if not item.image or not self.channel.options.get("photo", True):
            return None
        return self.fetch_image(item.image)

    def upload(
        self,
        url: str,
        field: str,
        image: tuple[bytes, str, str],
        judge: Callable[[http.Response], Judgement],
        what: str,
        **request: Any,
    ) -> Judgement:
        """POST a fetched image as form field ``field`` to the upload URL the network gave.

        An upload posts nothing, so it is repeated freely; ``request`` adds http.request's
        arguments (headers, ca_file).
        """
        content, filename, kind = image
        return self.exchange(
            lambda: http.request(
                "POST", url, timeout=self.channel.timeout, files={field: (filename, content, kind)}, **request
            ),
            judge,
            idempotent=True,
            what=what,
        )


def json_or_none(value: Any) -> dict | None:
    """Return the value if it is a JSON object, else None."""
    return value if isinstance(value, dict) else None


#: network → "module:Class", imported on first use (config.py needs the classes' option
#: parsers, and the poster modules import config.py).
POSTERS = {
    "telegram": "ratusha.crosspost.telegram:TelegramPoster",
    "vk": "ratusha.crosspost.vk:VKPoster",
    "ok": "ratusha.crosspost.ok:OKPoster",
    "max": "ratusha.crosspost.max:MAXPoster",
}


def poster_class(network: str) -> type[Poster]:
    """Return the Poster subclass of ``network`` (KeyError for an unknown one)."""
    module, _, name = POSTERS[network].partition(":")
    return getattr(importlib.import_module(module), name)
