"""Open data sets read back as a consumer reads them, their dates, the open data page, appeals."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from ratusha.core.acts import VERSION_FILES
from ratusha.core.slugs import slugify
from ratusha.testing import build, edit, page

BASE = "https://test.example.ru"
SETS = ("2500000001-legal-acts", "2500000001-departments", "2500000001-events")
DATA = re.compile(r"^data-(\d{8})-structure-(\d{8})$")


def local(output: Path, url: str) -> Path:
    """Return the output file an absolute URL of the site names."""
    assert url.startswith(BASE + "/"), url
    path = output / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "UTF-8 without a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def passport(output: Path, identifier: str) -> dict[str, str]:
    rows = read_csv(output / "opendata" / identifier / "meta.csv")
    assert rows[0] == ["property", "value"]
    return dict(rows[1:])


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def valid(value: object, fmt: str) -> bool:  # noqa: PLR0911
    """Whether a JSON value has the format its structure file states."""
    if fmt == "date":
        return value is None or bool(datetime.date.fromisoformat(value))
    if fmt == "datetime":
        return value is None or datetime.datetime.fromisoformat(value).tzinfo is not None
    if fmt == "url":
        return isinstance(value, str) and value.startswith(BASE + "/")
    if fmt == "integer":
        return value is None or isinstance(value, int)
    if fmt == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if fmt == "versions":
        return isinstance(value, list) and len(value) >= 1 and all(valid(v["date"], "date") for v in value)
    return value is None or isinstance(value, str)


def read_set(output: Path, identifier: str) -> tuple[list[dict], list[dict]]:
    """Read one set as a consumer would: register → passport → structure → data, CSV and JSON alike."""
    meta = passport(output, identifier)
    assert meta["standardversion"] == "http://opendata.gosmonitor.ru/standard/3.0"
    assert meta["identifier"] == identifier
    data_names = [k for k in meta if DATA.match(k)]
    assert len(data_names) == 1, meta
    data_date, structure_date = DATA.match(data_names[0]).groups()
    assert meta["modified"] == data_date
    structure = read_csv(local(output, meta[f"structure-{structure_date}"]))
    assert structure[0] == ["field name", "english description", "russian description", "format"]
    fields = [(name, fmt) for name, _en, ru, fmt in structure[1:] if ru]
    csv_rows = read_csv(local(output, meta[data_names[0]]))
    assert csv_rows[0] == [name for name, _ in fields], "the header is the structure's fields, in order"
    assert all(len(row) == len(fields) for row in csv_rows[1:])
    from_csv = [dict(zip(csv_rows[0], row, strict=True)) for row in csv_rows[1:]]

    meta_json = json.loads((output / "opendata" / identifier / "meta.json").read_text(encoding="utf-8"))
    assert meta_json["modified"] == data_date
    from_json = json.loads(local(output, meta_json["data"][0]["source"]).read_text(encoding="utf-8"))
    schema = json.loads(local(output, meta_json["structure"][0]["source"]).read_text(encoding="utf-8"))
    assert list(schema["items"]["properties"]) == [name for name, _ in fields]
    assert len(from_json) == len(from_csv)
    for row_json, row_csv in zip(from_json, from_csv, strict=True):
        assert list(row_json) == [name for name, _ in fields]
        for name, fmt in fields:
            value = row_json[name]
            assert valid(value, fmt), (identifier, name, value)
            if fmt == "versions":
                assert row_csv[name] == "; ".join(f"{v['date']} {v['url']}" for v in value)
            elif fmt == "list":
                assert row_csv[name] == "; ".join(value)
            else:
                assert row_csv[name] == ("" if value is None else str(value)), (identifier, name)
    return from_json, from_csv


def test_the_register_lists_every_set_in_csv_and_json(fixture_site: Path) -> None:
    rows = read_csv(fixture_site / "opendata" / "list.csv")
    assert rows[0] == ["property", "title", "value", "format"]
    assert rows[1][0] == "standardversion"
    assert [r[0] for r in rows[2:]] == list(SETS)
    assert all(local(fixture_site, r[2]).is_file() for r in rows[2:])
    listing = json.loads((fixture_site / "opendata" / "list.json").read_text(encoding="utf-8"))
    assert [m["identifier"] for m in listing["meta"]] == list(SETS)
    assert all(local(fixture_site, m["link"]).is_file() for m in listing["meta"])


def test_the_acts_set_is_the_registry(fixture_site: Path) -> None:
    """Every published act is a row with its details, its links and at least its original version."""
    acts, _ = read_set(fixture_site, "2500000001-legal-acts")
    content = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "site" / "content" / "acts"
    expected = {}
    for path in content.glob("*.md"):
        if path.match(VERSION_FILES):  # a consolidated version of an act, not an act
            continue
        meta = front_matter(path)
        if meta.get("status") != "draft":
            expected[slugify(f"{meta['act_type']} {meta['number']} {meta['adopted'].year}")] = meta
    by_key = {row["key"]: row for row in acts}
    assert set(by_key) == set(expected)
    for key, meta in expected.items():
        row = by_key[key]
        assert (row["title"], row["number"], row["status"]) == (meta["title"], str(meta["number"]), meta["act_status"])
        assert row["adopted"] == meta["adopted"].isoformat()
        assert row["amends"] == list(meta.get("amends") or [])
        assert row["repeals"] == list(meta.get("repeals") or [])
        assert any(v["original"] for v in row["versions"])
        act_page = page(fixture_site, urlsplit(row["url"]).path)
        assert act_page.xpath("string(//h1)").strip() == meta["title"]
    for row in acts:  # the reverse links agree with the forward ones
        for target in row["amends"]:
            assert row["key"] in by_key[target]["amended_by"]
        for target in row["repeals"]:
            assert row["key"] in by_key[target]["repealed_by"]


def test_the_departments_set_has_contacts_and_reception_hours(fixture_site: Path) -> None:
    departments, _ = read_set(fixture_site, "2500000001-departments")
    directory = json.loads((fixture_site / "departments" / "index.json").read_text(encoding="utf-8"))
    assert [d["slug"] for d in departments] == [d["slug"] for d in directory["departments"]]
    zhkh = next(d for d in departments if d["slug"] == "zhkh")
    assert (zhkh["phone"], zhkh["hours"], zhkh["parent"]) == (
        "+7 (4232) 00-00-01",
        "вт, чт 10:00–12:00",
        "administraciya",
    )


def test_the_events_set_has_every_announcement(fixture_site: Path) -> None:
    events, _ = read_set(fixture_site, "2500000001-events")
    announcements = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "site" / "content" / "announcements"
    assert sorted(e["id"] for e in events) == sorted(str(front_matter(p)["id"]) for p in announcements.glob("*.md"))
    assert all(local(fixture_site, e["url"]).is_file() for e in events)


def opendata_files(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted((output / "opendata").rglob("*")) if p.is_file()}


def test_dates_change_only_when_the_data_changes(fixture_content: Path, tmp_path: Path) -> None:
    """A data file is named after the last day an item of its set changed, from the content alone."""
    output = tmp_path / "output"
    build(fixture_content, output)
    first = opendata_files(output)
    assert passport(output, SETS[0])["modified"] == "20260211", "the newest act's date"
    assert passport(output, SETS[0])["created"] == "20240110", "the oldest act's date"
    build(fixture_content, output, RATUSHA_BUILD_TIME="2026-11-30T12:00:00")
    assert opendata_files(output) == first, "a rebuild a week later changes nothing"

    edit(
        fixture_content / "acts" / "postanovlenie-10-2025.md",
        "date: 2025-03-02",
        "date: 2025-03-02\nmodified: 2026-11-28",
    )
    edit(
        fixture_content / "acts" / "postanovlenie-20-2026.md",
        "amends: [postanovlenie-10-2025]",
        "amends: [postanovlenie-10-2025, rasporyazhenie-5-r-2024]",
    )
    build(fixture_content, output, RATUSHA_BUILD_TIME="2026-11-30T12:00:00")
    assert passport(output, SETS[0])["modified"] == "20261128"
    assert passport(output, SETS[0])["created"] == "20240110"
    assert passport(output, SETS[1]) == passport_of(first, SETS[1]), "the other sets keep their dates"
    names = opendata_files(output)
    assert f"opendata/{SETS[0]}/data-20261128-structure-20261201.csv" in names
    assert not any(name.startswith(f"opendata/{SETS[0]}/data-20260211") for name in names)
    acts, _ = read_set(output, SETS[0])  # a list of two in one CSV cell
    assert next(a for a in acts if a["key"] == "postanovlenie-20-2026")["amends"] == [
        "postanovlenie-10-2025",
        "rasporyazhenie-5-r-2024",
    ]


def passport_of(files: dict[str, bytes], identifier: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(files[f"opendata/{identifier}/meta.csv"].decode(), newline="")))
    return dict(rows[1:])


def test_the_open_data_page_lists_what_is_there(fixture_content: Path, tmp_path: Path) -> None:
    (fixture_content / "pages" / "opendata.md").write_text(
        "---\ntitle: Открытые данные\nslug: opendata\ntemplate: open_data\n---\nУсловия использования.\n",
        encoding="utf-8",
    )
    output = build(fixture_content, tmp_path / "output")
    html = page(output, "/opendata/")
    links = [href for href in html.xpath("//main//a/@href") if href.startswith("/opendata/")]
    assert links and all((output / href.lstrip("/")).is_file() for href in links)
    for identifier in SETS:
        meta = passport(output, identifier)
        data = next(k for k in meta if DATA.match(k))
        assert f"/opendata/{identifier}/{data}.csv" in links
        assert f"/opendata/{identifier}/{data}.json" in links
        assert meta["title"] in html.text_content()
    assert "/opendata/list.csv" in links


def test_appeals_page_links_to_the_platform_and_loads_nothing_from_it(fixture_content: Path, tmp_path: Path) -> None:
    widget = "https://pos.gosuslugi.ru/form/?opaId=123456"
    with open(fixture_content / "municipality.yml", "a", encoding="utf-8") as handle:
        handle.write(f"feedback_widget: {widget}\n")
    (fixture_content / "pages" / "appeals.md").write_text(
        "---\ntitle: Обращения граждан\nslug: appeals\ntemplate: appeals\n---\nПорядок.\n", encoding="utf-8"
    )
    output = build(fixture_content, tmp_path / "output")
    html = page(output, "/appeals/")
    assert widget in html.xpath("//main//a/@href"), "without JavaScript: a plain link to the form"
    box = html.xpath("//*[@data-appeal-widget]")[0]
    assert box.get("hidden") is not None, "the button shows only where the script runs"
    assert (box.get("data-script"), box.get("data-form"), box.get("data-id")) == (
        "https://pos.gosuslugi.ru/bin/script.min.js",
        "https://pos.gosuslugi.ru/form",
        "123456",
    )
    sources = html.xpath("//script/@src") + html.xpath("//link/@href") + html.xpath("//img/@src")
    assert not [s for s in sources if "gosuslugi" in s], "no request to the platform before the resident asks"
    assert widget in page(output, "/").xpath("//footer//a/@href")


def test_a_feedback_widget_that_is_not_a_web_address_stops_the_build(fixture_content: Path, tmp_path: Path) -> None:
    with open(fixture_content / "municipality.yml", "a", encoding="utf-8") as handle:
        handle.write("feedback_widget: pos.gosuslugi.ru/form\n")
    with pytest.raises(Exception, match="feedback_widget"):
        build(fixture_content, tmp_path / "output")
