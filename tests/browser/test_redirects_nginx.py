"""A renamed item's old address answers 301 from the shipped nginx configuration."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ratusha.testing import build, copy_fixture, edit
from support import PATIENCE

from .test_nginx import fetch, redirects_nginx

OLD = "/news/2026/11/kapitalnyj-remont-shkoly-5/"
NEW = "/news/2026/11/shkola-5-otremontirovana/"


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built, its school news renamed, and built again."""
    folder = tmp_path_factory.mktemp("renamed")
    content = copy_fixture(folder)
    build(content, folder / "output")
    edit(
        content / "news" / "2026-11-20-remont.md",
        "title: Капитальный ремонт школы № 5",
        "title: Школа № 5 отремонтирована",
    )
    return build(content, folder / "output")


@pytest.fixture(scope="module")
def nginx_url(renamed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx with ratusha.conf's map and the redirects snippet before ratusha-site.conf, as shipped."""
    yield from redirects_nginx(tmp_path_factory.mktemp("nginx-redirects"), renamed_site)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let a test see the 301 itself."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_old_address_answers_301_with_the_new_one(nginx_url: str) -> None:
    for old in (OLD, OLD + "index.html", OLD.rstrip("/")):
        status, headers, _ = fetch_raw(nginx_url + old)
        assert status == 301, old
        assert headers["location"].endswith(NEW), old
    status, _, body = fetch(nginx_url + NEW)
    assert status == 200 and "Школа № 5 отремонтирована".encode() in body


def test_live_addresses_are_not_redirected(nginx_url: str) -> None:
    for path in ("/", "/news/", "/news/2026/11/otopitelnyj-sezon-idyot-shtatno/"):
        assert fetch_raw(nginx_url + path)[0] == 200, path
    assert fetch_raw(nginx_url + "/no/such/page/")[0] == 404


def fetch_raw(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=PATIENCE) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()
