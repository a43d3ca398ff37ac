"""Every old address of an imported portal answers 301 with its new one from the shipped nginx configuration.

The old sites of tests/fixtures/import (Gosweb, 1C-Bitrix, WordPress) are imported into one
content folder, built, and served by nginx with deploy/nginx/ratusha.conf's maps, as in
tests/browser/test_redirects_nginx.py; Bitrix's ``detail.php?ID=…`` addresses included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from import_fixtures import run_import, serve, wxr_copy

from ratusha.testing import build, copy_fixture

from .test_nginx import fetch, redirects_nginx
from .test_redirects_nginx import fetch_raw


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The three old sites imported and built; return the output and {old address: new address}."""
    folder = tmp_path_factory.mktemp("imported")
    content = copy_fixture(folder)
    for name in ("gosweb", "bitrix", "wordpress"):
        with serve(name, folder) as site:
            source = {
                "gosweb": ["--sitemap", site.base, "--layout", "gosweb"],
                "bitrix": ["--sitemap", site.base + "/sitemap.xml", "--layout", "bitrix"],
                "wordpress": ["--wxr", str(wxr_copy(site, folder))],
            }[name]
            code, _ = run_import(content, *source, tmp_path=folder)
            assert code == 0

    def entries() -> set[tuple[str, str]]:
        lines = (content / "addresses.txt").read_text(encoding="utf-8").splitlines()
        return {tuple(line.split("\t", 1)) for line in lines if line.startswith("import-")}

    old = {address: key for key, address in entries()}  # what the importer wrote: the old addresses
    output = build(content, folder / "output")

    def page(address: str) -> bool:
        target = output / address.lstrip("/") / "index.html"
        return address.endswith("/") and target.exists() and "Страница перенесена" not in target.read_text("utf-8")

    live = {key: address for key, address in entries() if page(address)}  # where the build put each item
    expected = {address: live[key] for address, key in old.items() if live[key] != address}
    # Gosweb 5 items, Bitrix 4, WordPress 3 (6 addresses, /kontakty/ unchanged): 14 old addresses
    assert len(expected) == 14 and any("?ID=" in address for address in expected)
    return output, expected


@pytest.fixture(scope="module")
def nginx_url(imported_site: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx with ratusha.conf's http level (its maps) and the redirects snippet, as shipped."""
    yield from redirects_nginx(tmp_path_factory.mktemp("nginx-import"), imported_site[0])


def _quoted(address: str) -> str:
    from urllib.parse import quote  # noqa: PLC0415

    path, _, query = address.partition("?")
    return quote(path) + (f"?{query}" if query else "")


def test_every_old_address_redirects_to_its_item(nginx_url: str, imported_site: tuple[Path, dict[str, str]]) -> None:
    _, expected = imported_site
    for old, new in sorted(expected.items()):
        status, headers, _ = fetch_raw(nginx_url + _quoted(old))
        assert status == 301, old
        assert headers["location"].endswith(_quoted(new)) or headers["location"].endswith(new), (
            old,
            headers["location"],
        )
        status, _, body = fetch(nginx_url + new)
        assert status == 200 and b"<h1" in body, new


def test_query_addresses_are_told_apart(nginx_url: str, imported_site: tuple[Path, dict[str, str]]) -> None:
    _, expected = imported_site
    first, second = expected["/news/detail.php?ID=101"], expected["/news/detail.php?ID=102"]
    assert first != second
    assert fetch_raw(nginx_url + "/news/detail.php?ID=101")[1]["location"].endswith(first)
    assert fetch_raw(nginx_url + "/news/detail.php?ID=102")[1]["location"].endswith(second)
    assert fetch_raw(nginx_url + "/news/detail.php?ID=999")[0] == 404  # never imported: not sent anywhere
    # an address without a query still redirects when a link adds one (a tracking parameter)
    status, headers, _ = fetch_raw(nginx_url + "/press-tsentr/novosti/remont-kotelnoj.html?utm_source=vk")
    assert status == 301 and headers["location"].endswith(expected["/press-tsentr/novosti/remont-kotelnoj.html"])
