"""Hostile or careless content: raw HTML is limited to an allow-list, values are escaped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from ratusha.core.errors import BuildStopped, ContentError
from ratusha.front_matter.sanitize import sanitize
from support import FIXTURE, build, page

NEWS = "news/2026-11-20-remont.md"


@pytest.mark.parametrize(
    ("raw", "kept", "gone"),
    [
        ("<script>alert(1)</script><p>текст</p>", "<p>текст</p>", "alert"),
        ('<p onclick="steal()">текст</p>', "<p>текст</p>", "onclick"),
        ('<a href="javascript:alert(1)">ссылка</a>', "<a>ссылка</a>", "javascript"),
        ('<img src="data:image/png;base64,AAAA" alt="x">', '<img alt="x">', "data:"),
        ('<p style="position:fixed">текст</p>', "<p>текст</p>", "style"),
        ("<style>body{display:none}</style>текст", "текст", "display"),
        ('<iframe src="https://rutube.ru/play/embed/1"></iframe>текст', "текст", "iframe"),
        ('<form action="https://evil.example/"><input name="p"></form>текст', "текст", "form"),
        (
            '<a href="/documents/" title="Реестр" onclick="javascript:void(0)">реестр</a>',
            '<a href="/documents/" title="Реестр">реестр</a>',
            "javascript",
        ),
        (
            '<table><tr><th scope="col">Год</th></tr></table><script>steal()</script>',
            '<th scope="col">Год</th>',
            "script",
        ),
    ],
)
def test_raw_html_is_limited_to_the_allow_list(raw: str, kept: str, gone: str) -> None:
    assert gone in raw  # else the case proves nothing
    cleaned = sanitize(raw)
    assert kept in cleaned
    assert gone not in cleaned


def test_video_embeds_only_from_configured_hosts() -> None:
    rutube = '<iframe src="https://rutube.ru/play/embed/1" title="Видео"></iframe>'
    assert "<iframe" in sanitize(rutube, ["rutube.ru"])
    assert "<iframe" not in sanitize('<iframe src="https://evil.example/x"></iframe>', ["rutube.ru"])
    assert "<iframe" not in sanitize('<iframe src="http://rutube.ru/play/embed/1"></iframe>', ["rutube.ru"])


HOSTILE = '<script>alert("x")</script> «Кавычки» & "двойные" </script><!-- ' + "'"


def test_front_matter_values_are_escaped_in_pages_json_ld_and_feeds(fixture_content: Path, tmp_path: Path) -> None:
    path = fixture_content / NEWS
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Капитальный ремонт школы № 5", f"title: {json.dumps(HOSTILE, ensure_ascii=False)}\nslug: hostile"
    )
    text = text.replace(
        "summary: В школе № 5 завершён капитальный ремонт.", f"summary: {json.dumps(HOSTILE, ensure_ascii=False)}"
    )
    path.write_text(text + "\n<script>alert(2)</script>\n<img src=x onerror=alert(3)>\n", encoding="utf-8")
    output = build(fixture_content, tmp_path / "output")
    raw = (output / "news/2026/11/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw
    assert "onerror" not in raw
    tree = page(output, "/news/2026/11/hostile/")
    assert tree.xpath("string(//h1)") == HOSTILE
    assert [s for s in tree.xpath("//script[not(@src)]/@type")] == ["application/ld+json"] * 2
    data = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["headline"] == HOSTILE[:110]
    feed = feedparser.parse((output / "rss.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.link.endswith("/hostile/"))
    assert entry.title == HOSTILE
    assert "<script" not in entry.content[0].value
    for page_path in output.rglob("*.html"):
        scripts = html.fromstring(page_path.read_bytes()).xpath("//script[not(@src)][not(@type='application/ld+json')]")
        assert scripts == [], page_path


# Property-based: random front matter and Markdown never crash the checker or the build.

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False), st.text(max_size=40),
    st.dates().map(str), st.sampled_from(["2026-11-20 10:30", "zhkh", "постановление", "[a, b]", "{x: 1}", ":", "- -", "'", '"', "|", "*a", "&a", "!!binary x"]),
)  # fmt: skip
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
fields = st.sampled_from(
    [
        "title",
        "date",
        "id",
        "department",
        "tags",
        "image",
        "image_alt",
        "summary",
        "teaser",
        "hashtags",
        "no_crosspost",
        "pinned",
        "urgent",
        "urgent_until",
        "status",
        "slug",
        "unknown",
    ]
)
markdown = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


def front_matter_text(values: dict) -> str:
    lines = []
    for key, value in values.items():
        rendered = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
        lines.append(f"{key}: {rendered}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(values=st.dictionaries(fields, yaml_values, max_size=8), body=markdown)
def test_random_content_gives_a_clear_error_or_a_site(
    values: dict, body: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    (content / "news" / "random.md").write_text(front_matter_text(values) + body, encoding="utf-8")
    try:
        build(content, root / "output")
    except BuildStopped as stopped:
        assert stopped.problems and all(":" in str(p) for p in stopped.problems)
        assert not (root / "output").exists()
    except ContentError as problem:
        assert str(problem)
    else:
        assert (root / "output" / "index.html").is_file()
