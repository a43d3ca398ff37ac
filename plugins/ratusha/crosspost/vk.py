"""VK community wall poster: wall.post as the community, with a link attachment.

VK answers HTTP 200 with either ``{"response": …}`` or ``{"error": {"error_code": …}}``.
wall.post takes a ``guid``: a repeat with the same guid within about an hour is not
posted again, so here — unlike Telegram and OK — a request that timed out, got a 5xx or
was interrupted by a crash is simply sent again with the same guid, which gives exactly
once. The guid is derived from the item's own guid and the wall, so it is the same in
every run. A community key can post text and a link; VK builds the card (title, image)
from the page's Open Graph tags. Uploading a photo would need a user token, which a
municipality should not keep on a server, so the lead image reaches VK through the card.
"""

from __future__ import annotations

import hashlib

from ratusha.crosspost import format as fmt
from ratusha.crosspost import http
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.poster import HardStop, Outcome, Pause, Poster, Request, Result, json_or_none

#: VK error codes (dev.vk.com/reference/errors) by what we do about them.
RETRY_SOON = {1: "unknown error", 6: "too many requests per second", 10: "internal server error"}
PAUSE = {
    9: "flood control: too many identical actions",
    29: "the method's rate limit is reached",
    214: "posting denied: the daily limit of 50 posts is reached, or the wall is closed",
}
STOP = {
    5: "authorisation failed: the access key is wrong, expired or revoked",
    7: "no permission: the key needs the 'wall' right",
    14: "captcha needed: VK asks for a captcha; post once by hand and run again later",
    15: "access denied: the key may not post on this wall",
    17: "validation required: open the validation link as the key's owner",
    27: "this method is unavailable with the key's type (a community key with the 'wall' right is needed)",
    28: "the application's key is not accepted here",
    200: "access to the album denied",
    203: "access to the community denied",
}


def vk_guid(owner_id: int, item_guid: str) -> str:
    """Derive the wall.post guid for an item: stable across runs, distinct per wall."""
    return hashlib.sha256(f"{owner_id}|{item_guid}".encode()).hexdigest()[:32]


class VKPoster(Poster):
    """Posts on one community wall."""

    network = "vk"

    def prepare(self, item: Item, key: str = "") -> Request:
        """wall.post from the community, plain text, the item's link attached."""
        options = self.channel.options
        text, cut = fmt.plain_text(self.channel, item)
        params = {
            "owner_id": str(options["owner_id"]),
            "from_group": "1",
            "message": text,
            "guid": key or vk_guid(options["owner_id"], item.guid),
            "v": str(options["api_version"]),
        }
        if options.get("attach_link", True) and item.link:
            params["attachments"] = item.link
        return Request("wall.post", params, "cut to fit" if cut else "")

    def send(self, item: Item, key: str = "") -> Result:
        """Send; repeat with the same guid after timeouts and 5xx (VK drops the repeat)."""
        request = self.prepare(item, key)
        url = f"{self.channel.api_base}/{request.method}"
        fields = {**request.params, "access_token": self.secrets.get("token", "")}
        backoff = iter(http.Backoff(tries=self.channel.retries, base=self.channel.backoff).delays())
        error = ""
        uncertain = False
        while True:
            try:
                answer = http.request("POST", url, fields, timeout=self.channel.timeout)
            except http.NotSent as problem:
                error = str(problem)
            except http.Uncertain as problem:
                error, uncertain = str(problem), True
            else:
                body = json_or_none(answer.json())
                if body is not None and isinstance(body.get("response"), dict):
                    post_id = body["response"].get("post_id", "")
                    return Result(Outcome.SENT, remote_id=str(post_id), requests=[request])
                failure = json_or_none(body.get("error")) if body else None
                if failure is None:  # a proxy's page or a 5xx: with the guid, repeating is safe
                    error = f"HTTP {answer.status}: no VK answer"
                else:
                    code = int(failure.get("error_code") or 0)
                    error = f"VK error {code}: {failure.get('error_msg', '')}"
                    if code in STOP:
                        raise HardStop(f"{error} — {STOP[code]}")
                    if code in PAUSE:
                        raise Pause(f"{error} — {PAUSE[code]}")
                    if code not in RETRY_SOON:
                        return Result(Outcome.FAILED, error=error, requests=[request])
            delay = next(backoff, None)
            if delay is None:
                if uncertain:  # resent with the same guid on the next run
                    return Result(Outcome.UNCERTAIN, error=error, requests=[request])
                raise Pause(f"{error} after {self.channel.retries} tries", failure=True)
            self.sleep(delay)
