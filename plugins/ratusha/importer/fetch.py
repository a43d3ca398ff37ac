"""Polite fetching from an old portal: one connection, a delay, robots.txt, a bound on pages.

httpx (https://www.python-httpx.org/advanced/resource-limits/: ``Limits(max_connections=1)``)
keeps one connection to the site, reused; Protego (Scrapy's robots.txt parser, which
follows RFC 9309 and Google's extensions, https://github.com/scrapy/protego) answers
``can_fetch`` and ``crawl_delay``; a Crawl-delay longer than ours is honoured.
"""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass, field

import httpx
from protego import Protego

__all__ = ["USER_AGENT", "Fetcher", "Refused"]

USER_AGENT = "RatushaImporter/1.0 (+https://github.com/ratusha; archive import)"


class Refused(Exception):
    """The address was not fetched: robots.txt forbids it, the bound is reached, or HTTP failed."""


@dataclass
class Fetcher:
    """An HTTP client for one import: every request through it is polite by construction."""

    delay: float = 1.0
    max_requests: int = 5000
    timeout: float = 30.0
    requests: int = 0
    _robots: dict[str, Protego | None] = field(default_factory=dict)
    _last: float = 0.0
    _client: httpx.Client | None = None

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            timeout=self.timeout,
            follow_redirects=True,
        )

    def close(self) -> None:
        """Close the connection."""
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait(self, pause: float) -> None:
        elapsed = time.monotonic() - self._last
        if self._last and elapsed < pause:
            time.sleep(pause - elapsed)
        self._last = time.monotonic()

    def _rules(self, address: str) -> Protego | None:
        parts = urllib.parse.urlsplit(address)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = None
            try:
                response = self._request(origin + "/robots.txt")
            except httpx.HTTPError:
                response = None
            # RFC 9309 §2.3.1: a robots.txt that does not exist (4xx) allows everything.
            if response is not None and response.status_code == 200:
                self._robots[origin] = Protego.parse(response.text)
        return self._robots[origin]

    def _request(self, address: str) -> httpx.Response:
        assert self._client is not None
        rules = self._robots.get(self._origin(address))
        pause = max(self.delay, (rules.crawl_delay(USER_AGENT) or 0) if rules else 0)
        self._wait(pause)
        self.requests += 1
        return self._client.get(address)

    @staticmethod
    def _origin(address: str) -> str:
        parts = urllib.parse.urlsplit(address)
        return f"{parts.scheme}://{parts.netloc}"

    def allowed(self, address: str) -> bool:
        """Whether robots.txt lets us fetch ``address``."""
        rules = self._rules(address)
        return rules is None or rules.can_fetch(address, USER_AGENT)

    def sitemaps(self, address: str) -> list[str]:
        """Return the sitemaps robots.txt names for ``address``'s site."""
        rules = self._rules(address)
        return list(rules.sitemaps) if rules else []

    def get(self, address: str) -> httpx.Response:
        """Fetch ``address`` politely; raise Refused when it is not allowed or fails."""
        if self.requests >= self.max_requests:
            raise Refused(f"достигнут предел запросов ({self.max_requests}) / request bound reached")
        if not self.allowed(address):
            raise Refused("запрещено robots.txt / disallowed by robots.txt")
        try:
            response = self._request(address)
        except httpx.HTTPError as error:
            raise Refused(f"ошибка HTTP / HTTP error: {error}") from None
        if response.status_code != 200:
            raise Refused(f"ответ {response.status_code} / status {response.status_code}")
        return response
