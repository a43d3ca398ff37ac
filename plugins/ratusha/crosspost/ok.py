"""OK (Odnoklassniki) group poster: mediatopic.post with a signed request.

Every call is signed (apiok.ru/dev/methods, "Calculating request signature"): the
parameters except the token, sorted by name and joined as ``name=value``, followed by
``md5(access_token + application_secret_key)`` in lower case; ``sig`` is the md5 of that.
OK answers HTTP 200 with the new topic's id as a JSON string, or with
``{"error_code": …, "error_msg": …}``. There is no idempotency key: like Telegram, only a
request OK refused (error 8 flood, 2 service unavailable, a 5xx) is repeated; a timeout
is uncertain and reported. The lead image reaches OK through the link block's card.
"""

from __future__ import annotations

import hashlib
import json

from ratusha.crosspost import format as fmt
from ratusha.crosspost import http
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.poster import HardStop, Outcome, Pause, Poster, Request, Result, json_or_none

#: OK error codes (apiok.ru/dev/errors) by what we do about them.
RETRY_SOON = {2: "service temporarily unavailable", 8: "flood: the method is blocked for a while"}
PAUSE = {11: "method invocation limit reached"}
STOP = {
    7: "action blocked for this user: log in to OK as the group's administrator and confirm",
    9: "blocked by IP address for suspicious activity",
    10: "permission denied: the token needs GROUP_CONTENT and the app must be allowed to post",
    101: "application_key is wrong",
    102: "the session (access_token) has expired: issue a new one",
    103: "the session key (access_token) is wrong",
    104: "the signature is wrong: check the application secret key",
    105: "the secret key for the session is missing",
}


def signature(params: dict[str, str], access_token: str, secret_key: str) -> str:
    """OK's sig for ``params`` (which must not include access_token or sig)."""
    session_secret = hashlib.md5((access_token + secret_key).encode("utf-8")).hexdigest().lower()
    joined = "".join(f"{key}={params[key]}" for key in sorted(params))
    return hashlib.md5((joined + session_secret).encode("utf-8")).hexdigest().lower()


class OKPoster(Poster):
    """Posts topics in one group."""

    network = "ok"

    def prepare(self, item: Item, key: str = "") -> Request:
        """mediatopic.post to the group: a text block and a link block."""
        options = self.channel.options
        text, cut = fmt.plain_text(self.channel, item)
        media: list[dict[str, str]] = [{"type": "text", "text": text}]
        if options.get("attach_link", True) and item.link:
            media.append({"type": "link", "url": item.link})
        params = {
            "method": "mediatopic.post",
            "format": "json",
            "gid": str(options["group_id"]),
            "type": "GROUP_THEME",
            "attachment": json.dumps({"media": media}, ensure_ascii=False),
        }
        return Request("mediatopic.post", params, "cut to fit" if cut else "")

    def send(self, item: Item, key: str = "") -> Result:
        """Sign and send; repeat only what OK refused."""
        request = self.prepare(item, key)
        params = {**request.params, "application_key": self.secrets.get("application_key", "")}
        token = self.secrets.get("token", "")
        params["sig"] = signature(params, token, self.secrets.get("secret_key", ""))
        params["access_token"] = token
        backoff = iter(http.Backoff(tries=self.channel.retries, base=self.channel.backoff).delays())
        url = f"{self.channel.api_base}/fb.do"
        while True:
            try:
                answer = http.request("POST", url, params, timeout=self.channel.timeout)
            except http.NotSent as problem:
                error = str(problem)
            except http.Uncertain as problem:
                return Result(Outcome.UNCERTAIN, error=str(problem), requests=[request])
            else:
                body = answer.json()
                if answer.status == 200 and isinstance(body, str | int) and str(body):
                    return Result(Outcome.SENT, remote_id=str(body), requests=[request])
                failure = json_or_none(body)
                if failure is not None and "error_code" in failure:
                    code = int(failure.get("error_code") or 0)
                    error = f"OK error {code}: {failure.get('error_msg', '')}"
                    if code in STOP:
                        raise HardStop(f"{error} — {STOP[code]}")
                    if code in PAUSE:
                        raise Pause(f"{error} — {PAUSE[code]}")
                    if code not in RETRY_SOON:
                        return Result(Outcome.FAILED, error=error, requests=[request])
                elif answer.status in (500, 502, 503):
                    error = f"HTTP {answer.status}"
                elif answer.status >= 500:
                    return Result(Outcome.UNCERTAIN, error=f"HTTP {answer.status}", requests=[request])
                else:
                    return Result(Outcome.FAILED, error=f"HTTP {answer.status}: unexpected answer", requests=[request])
            delay = next(backoff, None)
            if delay is None:
                raise Pause(f"{error} — still refused after {self.channel.retries} tries", failure=True)
            self.sleep(delay)
