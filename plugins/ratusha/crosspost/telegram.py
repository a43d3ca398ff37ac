"""Telegram channel poster: Bot API sendMessage / sendPhoto in HTML parse mode.

The Bot API has no idempotency key, so a request is repeated only when Telegram said it
did not act on it: 429 (wait ``parameters.retry_after``), 500/502/503 (with backoff) or a
failure to connect. A request that timed out after being sent, or a 504 from the gateway,
is *uncertain*: resending it could post twice, so by default it is reported, not resent
(``on_timeout: resend`` to resend it once on the next run).
"""

from __future__ import annotations

from ratusha.crosspost import format as fmt
from ratusha.crosspost import http
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.poster import HardStop, Outcome, Pause, Poster, Request, Result, json_or_none

#: Answers to sendPhoto that mean "this photo", not "this post": send it as text instead.
PHOTO_PROBLEMS = ("photo", "image", "url", "file", "web page content", "dimensions")
MAX_RATE_LIMITS = 10


class TelegramPoster(Poster):
    """Posts to one channel as its bot administrator."""

    network = "telegram"

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
            if not options.get("link_preview", True):
                params["link_preview_options"] = '{"is_disabled": true}'
        if options.get("silent"):
            params["disable_notification"] = "true"
        note = "cut to fit" if cut else ""
        return Request("sendPhoto" if photo else "sendMessage", params, note)

    def send(self, item: Item, key: str = "") -> Result:
        """Send; on a 400 about the photo, fall back to a text message (nothing was posted)."""
        request = self.prepare(item, key)
        result = self._call(request)
        photo_refused = request.method == "sendPhoto" and result.error.startswith("400")
        if (
            result.outcome is Outcome.FAILED
            and photo_refused
            and any(word in result.error.lower() for word in PHOTO_PROBLEMS)
        ):
            fallback = self.prepare(item, key, photo=False)
            result = self._call(fallback)
            result.requests.insert(0, request)
        return result

    def _call(self, request: Request) -> Result:
        url = f"{self.channel.api_base}/bot{self.secrets.get('token', '')}/{request.method}"
        backoff = iter(http.Backoff(tries=self.channel.retries, base=self.channel.backoff).delays())
        rate_limited = 0
        while True:
            try:
                answer = http.request("POST", url, request.params, timeout=self.channel.timeout)
            except http.NotSent as error:
                delay = next(backoff, None)
                if delay is None:
                    raise Pause(f"Telegram unreachable: {error}", failure=True) from None
                self.sleep(delay)
                continue
            except http.Uncertain as error:
                return Result(Outcome.UNCERTAIN, error=str(error), requests=[request])
            body = json_or_none(answer.json()) or {}
            if body.get("ok") is True:
                message_id = (body.get("result") or {}).get("message_id", "")
                return Result(Outcome.SENT, remote_id=str(message_id), requests=[request])
            code = int(body.get("error_code") or answer.status)
            description = str(body.get("description") or f"HTTP {answer.status}")
            error = f"{code} {description}"
            if code == 429:
                rate_limited += 1
                parameters = body.get("parameters") or {}
                retry_after = float(parameters.get("retry_after") or answer.headers.get("Retry-After") or 5)
                if rate_limited > MAX_RATE_LIMITS:
                    raise Pause(f"Telegram: {error}, {rate_limited} times in a row", failure=True)
                self.wait(retry_after, "Telegram 429 Too Many Requests")
                continue
            if code == 401:
                raise HardStop(f"Telegram: {error}: the bot token is wrong or revoked; set the token variable anew")
            if code == 403:
                raise HardStop(
                    f"Telegram: {error}: make the bot an administrator of {request.params['chat_id']} "
                    "with the right to post messages"
                )
            if code == 400 and ("chat not found" in description.lower() or body.get("parameters")):
                raise HardStop(f"Telegram: {error}: check chat_id ({request.params['chat_id']}) in the config")
            if code in (500, 502, 503):  # the API answered that it failed: safe to repeat
                delay = next(backoff, None)
                if delay is None:
                    raise Pause(f"Telegram: {error} after {self.channel.retries} tries", failure=True)
                self.sleep(delay)
                continue
            if code == 504:
                return Result(Outcome.UNCERTAIN, error=error, requests=[request])
            return Result(Outcome.FAILED, error=error, requests=[request])
