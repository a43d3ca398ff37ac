"""Deterministic corpus of a large city's portal, written three ways: Ratusha, bare Pelican, Hugo.

Two shapes: ``city`` (below) and ``news``: plain news items with Russian text, 40
departments and a handful of static pages, no acts, announcements or answers (a shape
the project's templates were not tuned for, as issue 15 asks).

A benchmark is only worth what its content is: this writes N items in the proportions a
city administration publishes (news ~70 %, legal acts ~12 % with amendment chains,
announcements ~8 %, «Глава в ответе» ~5 %, static pages), 462 departments in three levels,
Russian text of 150-400 words, tags with a long tail, and a few shared images and PDF
files referenced by many items. The same seed gives the same bytes, so runs on two machines
measure the same site. The bodies are identical in the three corpora; only the front matter
differs (YAML for Ratusha and Hugo, Pelican's ``Key: value`` header for bare Pelican).

Usage: python -m bench.corpus OUT --items 10000 [--seed 2026] [--shape city|news]
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import random
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import texts

#: The moment the benchmark builds "as of": every item is dated before it.
BUILD_TIME = "2026-11-24T12:00:00"
LAST_DAY = datetime.datetime(2026, 11, 20, 18, 0)
TZ_OFFSET = "+06:00"  # Asia/Omsk
#: A large city's press service publishes about this many items a day, all types together.
ITEMS_PER_DAY = 15
DEPARTMENTS = 462
#: The corpus shapes (see the module's docstring).
SHAPES = ("city", "news")
NEWS_DEPARTMENTS = 40
NEWS_PAGES = 5
#: Shares of the dated types; static pages are a bounded number, news take the rest.
SHARES = {"legal_act": 0.12, "announcement": 0.08, "answer": 0.05}
IMAGE_COUNT = 8
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")
PDF_COUNT = 6
ACT_TYPES = {
    "постановление": 0.55,
    "распоряжение": 0.25,
    "решение": 0.08,
    "приказ": 0.06,
    "регламент": 0.04,
    "программа": 0.02,
}


@dataclass
class Item:
    """One generated item: front-matter fields, body and where it goes."""

    kind: str  # department, news, legal_act, announcement, answer, page
    stem: str
    title: str
    body: str
    date: datetime.datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)


FOLDERS = {
    "department": "departments",
    "news": "news",
    "legal_act": "acts",
    "announcement": "announcements",
    "answer": "answers",
    "page": "pages",
}
CATEGORIES = {
    "news": "Новости",
    "legal_act": "Документы",
    "announcement": "Анонсы",
    "answer": "Глава в ответе",
    "page": "Страницы",
    "department": "Структура",
}


def counts(n: int, shape: str = "city") -> dict[str, int]:
    """Split ``n`` items into types; pages are clamped, as a city has hundreds, not thousands."""
    if shape == "news":
        return {"legal_act": 0, "announcement": 0, "answer": 0, "page": NEWS_PAGES, "news": n - NEWS_PAGES}
    result = {kind: round(n * share) for kind, share in SHARES.items()}
    result["page"] = max(10, min(300, round(n * 0.02)))
    result["news"] = n - sum(result.values())
    return result


class Writer:
    """Generates the items of one corpus from one random.Random."""

    def __init__(self, seed: int, shape: str = "city") -> None:
        self.shape = shape
        self.rng = random.Random(seed)
        self.titles: set[str] = set()
        self.tags = list(texts.TAGS)
        self.tags += [f"улица {s}" for s in texts.STREETS]
        self.tags += [f"школа № {i}" for i in range(1, 61)]
        self.tags += [f"маршрут № {i}" for i in range(1, 81)]
        self.tags += [f"детский сад № {i}" for i in range(1, 81)]

    # Text --------------------------------------------------------------------------

    def fill(self, template: str) -> str:
        """Fill the slots of a phrase template."""
        rng = self.rng
        return template.format(
            n=rng.randint(2, 180),
            street=rng.choice(texts.STREETS),
            district=rng.choice(texts.DISTRICTS),
            month=rng.choice(texts.MONTHS),
            day=rng.randint(1, 28),
            person=self.person(),
        )

    def person(self) -> str:
        """Return a full name with patronymic."""
        rng = self.rng
        return f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.PATRONYMICS)} {rng.choice(texts.SURNAMES)}"

    def sentence(self) -> str:
        """Return one sentence of 8-25 words."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return self.fill(rng.choice(texts.QUOTES))
        if roll < 0.3:
            return self.fill(rng.choice(texts.ADDITIONS))
        parts = [rng.choice(texts.SUBJECTS), rng.choice(texts.VERBS), self.fill(rng.choice(texts.OBJECTS))]
        for _ in range(rng.choice((0, 1, 1, 2))):
            parts.append(self.fill(rng.choice(texts.CIRCUMSTANCES)))
        return " ".join(parts) + "."

    def body(self, low: int = 150, high: int = 400) -> str:
        """Return Markdown of ``low``-``high`` words: paragraphs, sometimes a heading and a list."""
        rng = self.rng
        target = rng.randint(low, high)
        blocks: list[str] = []
        words = 0
        while words < target:
            roll = rng.random()
            if roll < 0.08 and blocks:
                blocks.append("## " + rng.choice(texts.HEADINGS))
                words += 2
            elif roll < 0.16 and blocks:
                items = [self.fill(rng.choice(texts.LIST_ITEMS)) for _ in range(rng.randint(3, 5))]
                blocks.append("\n".join(f"- {item};" for item in items))
                words += sum(len(i.split()) for i in items)
            else:
                paragraph = " ".join(self.sentence() for _ in range(rng.randint(2, 5)))
                if rng.random() < 0.15:
                    paragraph = paragraph.replace("Администрация города", "**Администрация города**", 1)
                blocks.append(paragraph)
                words += len(paragraph.split())
        return "\n\n".join(blocks) + "\n"

    def title(self, templates: tuple[str, ...], fallback: str = "") -> str:
        """Return a title no other item has (slugs come from titles, and must not collide)."""
        for _ in range(20):
            title = self.fill(self.rng.choice(templates))
            if title.lower() not in self.titles:
                break
        else:
            title = f"{title} ({fallback})" if fallback else title
            if title.lower() in self.titles:
                title = f"{title}, сообщение {len(self.titles)}"
        self.titles.add(title.lower())
        return title

    def uid(self) -> str:
        """Return a deterministic UUID4."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def pick_tags(self) -> list[str]:
        """Return 1-4 tags, frequent ones more often (a long tail, as real tags have)."""
        rng = self.rng
        chosen: list[str] = []
        for _ in range(rng.randint(1, 4)):
            index = min(int(rng.paretovariate(1.0)) - 1, len(self.tags) - 1)
            tag = self.tags[index] if rng.random() < 0.7 else rng.choice(self.tags)
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    # Items -------------------------------------------------------------------------

    def departments(self) -> list[Item]:
        """Return 462 departments: the administration, 15 departments, 60 offices, 386 sections."""
        rng = self.rng
        items: list[Item] = []

        def add(stem: str, title: str, parent: str | None, order: int) -> None:
            fields: dict[str, Any] = {
                "head": {"name": self.person(), "position": rng.choice(texts.POSITIONS)},
                "contacts": {
                    "phone": f"+7 (3812) {rng.randint(20, 79)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                    "email": f"{stem}@bench.example.ru",
                    "address": f"г. Бенчмарск, ул. {rng.choice(texts.STREETS)}, д. {rng.randint(1, 120)}",
                    "hours": "вторник, 14:00–17:00; пятница, 10:00–12:00",
                },
                "order": order,
            }
            if parent:
                fields["parent"] = parent
            items.append(Item("department", stem, title, self.body(60, 160), fields=fields))

        add("administraciya", "Администрация города Бенчмарска", None, 1)
        if self.shape == "news":  # one flat level under the administration
            for i in range(1, NEWS_DEPARTMENTS):
                add(f"otdel-{i}", f"Отдел {texts.DEPARTMENT_FUNCTIONS[i % 20]} № {i}", "administraciya", i)
            return items
        level1 = [f"departament-{i}" for i in range(1, 16)]
        for i, stem in enumerate(level1, 1):
            add(stem, f"Департамент {texts.DEPARTMENT_FUNCTIONS[i % 20]} № {i}", "administraciya", i)
        level2 = []
        for i in range(1, 61):
            stem = f"upravlenie-{i}"
            level2.append(stem)
            title = f"Управление {texts.DEPARTMENT_FUNCTIONS[i % 20]} № {i}"
            add(stem, title, level1[(i - 1) % 15], i)
        for i in range(1, DEPARTMENTS - 1 - 15 - 60 + 1):
            title = f"Отдел {texts.DEPARTMENT_FUNCTIONS[rng.randrange(20)]} № {i}"
            add(f"otdel-{i}", title, level2[(i - 1) % 60], i)
        return items

    def dated(self, n: int, departments: list[str]) -> list[Item]:
        """Return the dated items, oldest first, spread over ``n / ITEMS_PER_DAY`` days."""
        rng = self.rng
        plan = counts(n, self.shape)
        kinds = [k for k in ("news", "legal_act", "announcement", "answer") for _ in range(plan[k])]
        rng.shuffle(kinds)
        span = datetime.timedelta(days=max(30, len(kinds) / ITEMS_PER_DAY))
        start = LAST_DAY - span
        step = span / max(1, len(kinds))
        # A few departments publish most: weights fall as 1/rank.
        weights = [1 / (rank + 1) for rank in range(len(departments))]
        acts: list[Item] = []
        counters: dict[tuple[str, int], int] = {}
        items = []
        for index, kind in enumerate(kinds):
            date = (start + step * index).replace(second=0, microsecond=0)
            date = date.replace(minute=date.minute // 5 * 5)
            department = rng.choices(departments, weights)[0]
            item = getattr(self, f"_{kind}")(date, department, acts, counters)
            items.append(item)
        return items

    def _news(self, date: datetime.datetime, department: str, *_: Any) -> Item:
        rng = self.rng
        title = self.title(texts.NEWS_TITLES)
        fields: dict[str, Any] = {"department": department}
        if rng.random() < 0.4:
            image = rng.randrange(IMAGE_COUNT)
            fields["image"] = f"images/bench/photo-{image}.jpg"
            fields["image_alt"] = f"Фотография к новости: {title}"
        if rng.random() < 0.1:
            fields["teaser"] = title + ". Подробности на сайте."
        return Item(
            "news", f"{date:%Y-%m-%d}-{len(self.titles):06d}", title, self.body(), date, fields, self.pick_tags()
        )

    def _legal_act(
        self, date: datetime.datetime, department: str, acts: list[Item], counters: dict[tuple[str, int], int]
    ) -> Item:
        rng = self.rng
        act_type = rng.choices(list(ACT_TYPES), list(ACT_TYPES.values()))[0]
        adopted = (date - datetime.timedelta(days=rng.randint(0, 6))).date()
        counters[act_type, adopted.year] = number = counters.get((act_type, adopted.year), 0) + rng.randint(1, 3)
        number_text = f"{number}-р" if act_type == "распоряжение" else str(number)
        key = _act_key(act_type, number_text, adopted.year)
        fields: dict[str, Any] = {
            "act_type": act_type,
            "number": number_text,
            "adopted": adopted.isoformat(),
            "act_status": "проект" if rng.random() < 0.03 else "действует",
            "issuer": department if rng.random() < 0.6 else "administraciya",
            "signed_by": "Глава города А. В. Сидоров",
            "published_in": f"газета «Бенчмарский вестник» № {rng.randint(1, 52)}",
            "published_on": (adopted + datetime.timedelta(days=rng.randint(1, 10))).isoformat(),
            "attachments": [
                {"file": f"files/bench/document-{rng.randrange(PDF_COUNT)}.pdf", "title": "Текст документа (PDF)"}
            ],
        }
        in_force = [a for a in acts[-400:] if a.fields["act_status"] == "действует"]
        title = self.fill(rng.choice(texts.ACT_SUBJECTS))
        if in_force and fields["act_status"] == "действует":
            roll = rng.random()
            if roll < 0.35:  # amends a recent act, itself perhaps an amendment: chains form
                target = rng.choice(in_force[-60:])
                fields["amends"] = [target.fields["key"]]
                title = f"О внесении изменений в {target.fields['act_type']} № {target.fields['number']}"
            elif roll < 0.40:
                target = rng.choice(in_force)
                target.fields["act_status"] = "утратил силу"
                fields["repeals"] = [target.fields["key"]]
                title = f"О признании утратившим силу акта № {target.fields['number']} ({target.fields['act_type']})"
        fields["key"] = key
        item = Item("legal_act", key, f"{title} ({number_text})", self.body(200, 450), date, fields, self.pick_tags())
        acts.append(item)
        return item

    def _announcement(self, date: datetime.datetime, department: str, *_: Any) -> Item:
        rng = self.rng
        starts = date + datetime.timedelta(days=rng.randint(2, 30), hours=rng.randint(0, 8))
        fields = {
            "starts": f"{starts:%Y-%m-%d %H}:00",
            "ends": f"{starts + datetime.timedelta(hours=rng.randint(1, 6)):%Y-%m-%d %H}:00",
            "place": rng.choice(texts.PLACES),
            "department": department,
        }
        title = self.title(texts.ANNOUNCEMENT_TITLES, f"{starts:%d.%m.%Y}")
        return Item("announcement", f"{date:%Y-%m-%d}-{len(self.titles):06d}", title, self.body(), date, fields)

    def _answer(self, date: datetime.datetime, department: str, *_: Any) -> Item:
        rng = self.rng
        question = self.title(texts.QUESTIONS)
        fields = {
            "question": question + " " + self.sentence(),
            "asked_by": {"name": rng.choice(texts.FIRST_NAMES), "district": rng.choice(texts.DISTRICT_NAMES)},
            "department": department,
        }
        stem = f"{date:%Y-%m-%d}-{len(self.titles):06d}"
        if ", сообщение " in question:  # answers' URLs have no date: a repeated question needs its own slug
            fields["slug"] = f"vopros-{stem}"
        return Item("answer", stem, question, self.body(), date, fields)

    def pages(self, n: int) -> list[Item]:
        """Return the static pages; the first eight have an ``order`` (the footer menu)."""
        items = []
        for i in range(counts(n, self.shape)["page"]):
            title = self.title(texts.PAGE_TITLES, str(i + 1))
            fields = {"order": i + 1} if i < 8 else {}
            items.append(Item("page", f"stranica-{i + 1}", title, self.body(200, 600), fields=fields))
        return items


def _act_key(act_type: str, number: str, year: int) -> str:
    """Return the act key Ratusha derives (content_model.checks.act_key) for the types used here."""
    latin = {
        "постановление": "postanovlenie",
        "распоряжение": "rasporyazhenie",
        "решение": "reshenie",
        "приказ": "prikaz",
        "регламент": "reglament",
        "программа": "programma",
    }[act_type]
    return f"{latin}-{number.replace('-р', '-r')}-{year}"


# Output -------------------------------------------------------------------------------


def _yaml_scalar(value: Any) -> str:
    """Quote a scalar for YAML front matter (always double-quoted unless a number)."""
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if _DATE.match(str(value)):  # dates unquoted, as editors write them
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _yaml(fields: dict[str, Any]) -> str:
    """Write flat front matter; nested values as JSON flow style, which is valid YAML."""
    lines = []
    for key, value in fields.items():
        if isinstance(value, dict | list):
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    return "\n".join(lines)


def ratusha_text(item: Item, uid: str | None) -> str:
    """Return the file Ratusha reads: YAML front matter as docs/content-model.md specifies."""
    fields: dict[str, Any] = {"title": item.title}
    if item.date is not None:
        fields["date"] = f"{item.date:%Y-%m-%d %H:%M}"
        fields["id"] = uid
    fields.update({k: v for k, v in item.fields.items() if k != "key"})
    if item.tags:
        fields["tags"] = item.tags
    return f"---\n{_yaml(fields)}\n---\n{item.body}"


def pelican_text(item: Item, seq: int) -> str:
    """Return the same body with Pelican's own Markdown metadata header."""
    lines = [f"Title: {item.title}"]
    if item.date is not None:
        lines.append(f"Date: {item.date:%Y-%m-%d %H:%M}")
        lines.append(f"Category: {CATEGORIES[item.kind]}")
    if item.tags:
        lines.append(f"Tags: {', '.join(item.tags)}")
    lines.append(f"Slug: {item.kind.replace('_', '-')}-{seq:06d}")
    return "\n".join(lines) + "\n\n" + item.body


def hugo_text(item: Item, seq: int) -> str:
    """Return the same body with Hugo front matter."""
    fields: dict[str, Any] = {"title": item.title}
    if item.date is not None:
        fields["date"] = f"{item.date:%Y-%m-%dT%H:%M:%S}{TZ_OFFSET}"
    fields["slug"] = f"{item.kind.replace('_', '-')}-{seq:06d}"
    fields["categories"] = [CATEGORIES[item.kind]]
    if item.tags:
        fields["tags"] = item.tags
    department = item.fields.get("department") or item.fields.get("issuer")
    if department:
        fields["departments"] = [department]
    return f"---\n{_yaml(fields)}\n---\n{item.body}"


MUNICIPALITY = """\
# Generated by bench/corpus.py: a city of a million for the benchmark.
name: Администрация города Бенчмарска
short_name: Бенчмарск
kind: городской округ
region: Бенчмарская область
site_url: https://bench.example.ru
timezone: Asia/Omsk
coat_of_arms: images/coat-of-arms.svg
head:
  name: Андрей Викторович Сидоров
  position: Глава города Бенчмарска
contacts:
  address: 644000, г. Бенчмарск, ул. Ленина, д. 1
  phone: +7 (3812) 20-00-00
  email: admin@bench.example.ru
  hours: понедельник — пятница, 9:00–18:00
social:
  - network: telegram
    url: https://t.me/bench_admin
  - network: vk
    url: https://vk.com/bench_admin
colors:
  primary: "#0b4a8b"
  accent: "#c8102e"
"""
COAT_OF_ARMS = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120" width="100" height="120">'
    '<path d="M5 5h90v60c0 30-45 50-45 50S5 95 5 65z" fill="#0b4a8b"/>'
    '<circle cx="50" cy="50" r="20" fill="#f2c200"/></svg>\n'
)


def _image(rng: random.Random) -> bytes:
    """Return a 1600×1000 JPEG of about 60-120 KB (a photo's worth of detail, made up)."""
    from PIL import Image, ImageDraw  # noqa: PLC0415 (only the generator needs Pillow)

    picture = Image.new("RGB", (1600, 1000), tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(picture)
    for _ in range(300):
        x, y = rng.randrange(1600), rng.randrange(1000)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(10, 160), y + rng.randrange(10, 160)), fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _pdf(rng: random.Random, index: int) -> bytes:
    """Return a valid one-page PDF of about 30 KB."""
    lines = " ".join(f"({rng.getrandbits(64):016x}) Tj T*" for _ in range(1500))
    stream = f"BT /F1 8 Tf 20 800 Td 9 TL (Document {index}) Tj T* {lines} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


HUGO_CONFIG = """\
baseURL = "https://bench.example.ru/"
languageCode = "ru"
title = "Администрация города Бенчмарска"
timeZone = "Asia/Omsk"
themesDir = "{themes}"
theme = "hugo-theme"
disableKinds = ["404"]

[pagination]
  pagerSize = 20

[services.rss]
  limit = 50

[taxonomies]
  tag = "tags"
  category = "categories"
  department = "departments"
"""

PELICAN_CONFIG = """\
# Bare Pelican 4.12 for the benchmark: its default theme, no plugins, the same Markdown.
PATH = "content"
SITENAME = "Администрация города Бенчмарска"
SITEURL = ""
TIMEZONE = "Asia/Omsk"
DEFAULT_LANG = "ru"
PLUGINS = []  # explicit: otherwise every installed pelican.plugins.* package loads
# As a person would configure it for such a site: the default theme's menu would list
# every page (hundreds of departments) and category on each of thousands of pages.
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
# Its content cache, for rebuilds (the benchmark empties CACHE_PATH before a full build).
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
ARTICLE_PATHS = ["news", "acts", "announcements", "answers"]
PAGE_PATHS = ["pages", "departments"]
STATIC_PATHS = ["images", "files"]
# Bounded lists, as Ratusha's: without pagination the index would list every article.
DEFAULT_PAGINATION = 20
# Directory-style pagination, as Ratusha's: Pelican's default writes page 2 of the tag
# "школа № 3" to shkola-no-32.html, over the tag "школа № 32", and the build stops.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
"""


def generate(out: Path, n: int, seed: int = 2026, shape: str = "city") -> dict[str, Any]:
    """Write ``out``/ratusha, ``out``/pelican and ``out``/hugo for ``n`` items; return a manifest."""
    if shape not in SHAPES:
        raise ValueError(f"unknown corpus shape {shape!r}: one of {', '.join(SHAPES)}")
    writer = Writer(seed, shape)
    departments = writer.departments()
    dated = writer.dated(n, [d.stem for d in departments])
    pages = writer.pages(n)
    items = departments + dated + pages
    shutil.rmtree(out, ignore_errors=True)
    ratusha, pelican, hugo = out / "ratusha", out / "pelican" / "content", out / "hugo"
    assets_rng = random.Random(seed + 1)
    images = [_image(assets_rng) for _ in range(IMAGE_COUNT)]
    pdfs = [_pdf(assets_rng, i) for i in range(PDF_COUNT)]
    for root, image_dir, file_dir in (
        (ratusha, ratusha / "images" / "bench", ratusha / "files" / "bench"),
        (pelican, pelican / "images" / "bench", pelican / "files" / "bench"),
        (hugo, hugo / "static" / "images" / "bench", hugo / "static" / "files" / "bench"),
    ):
        image_dir.mkdir(parents=True)
        file_dir.mkdir(parents=True)
        for i, data in enumerate(images):
            (image_dir / f"photo-{i}.jpg").write_bytes(data)
        for i, data in enumerate(pdfs):
            (file_dir / f"document-{i}.pdf").write_bytes(data)
        for folder in FOLDERS.values():
            target = root / ("content" if root == hugo else "") / folder
            target.mkdir(parents=True, exist_ok=True)
    (ratusha / "municipality.yml").write_text(MUNICIPALITY, encoding="utf-8")
    (ratusha / "images" / "coat-of-arms.svg").write_text(COAT_OF_ARMS, encoding="utf-8")
    (out / "pelican" / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    themes = Path(__file__).resolve().parent
    (hugo / "hugo.toml").write_text(HUGO_CONFIG.format(themes=themes), encoding="utf-8")
    uid_rng = random.Random(seed + 2)
    for seq, item in enumerate(items):
        folder = FOLDERS[item.kind]
        uid = str(uuid.UUID(int=uid_rng.getrandbits(128), version=4)) if item.date else None
        name = f"{item.stem}.md"
        (ratusha / folder / name).write_text(ratusha_text(item, uid), encoding="utf-8")
        (pelican / folder / name).write_text(pelican_text(item, seq), encoding="utf-8")
        (hugo / "content" / folder / name).write_text(hugo_text(item, seq), encoding="utf-8")
    news = [i for i in dated if i.kind == "news"]
    manifest = {
        "items": n,
        "shape": shape,
        "seed": seed,
        "counts": {kind: sum(1 for i in items if i.kind == kind) for kind in FOLDERS},
        "words": sum(len(i.body.split()) for i in items),
        "acts_amending": sum(1 for i in dated if "amends" in i.fields),
        "acts_repealing": sum(1 for i in dated if "repeals" in i.fields),
        "tags": len({t for i in items for t in i.tags}),
        "edit_target": f"news/{news[len(news) // 2].stem}.md",
        # The newest news item: on the news list's first page and in the site's feeds, so the
        # preview scenario can see those follow an edit.
        "newest_news": f"news/{news[-1].stem}.md",
        "build_time": BUILD_TIME,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def edit_item(ratusha: Path, relative: str) -> None:
    """Change one sentence of one item's body, as an editor fixing a typo does."""
    path = ratusha / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nИсправлено: уточнены сроки работ.\n", encoding="utf-8")


def add_item(ratusha: Path, seed: int = 2026) -> Path:
    """Add one news item, newest of all (it shifts every list page, as a real new item does)."""
    writer = Writer(seed + 99)
    date = LAST_DAY + datetime.timedelta(hours=1)
    item = Item(
        "news",
        f"{date:%Y-%m-%d}-novaya",
        "Новая новость для проверки пересборки",
        writer.body(),
        date,
        {"department": "otdel-12"},
        ["благоустройство"],
    )
    path = ratusha / "news" / f"{item.stem}.md"
    path.write_text(ratusha_text(item, writer.uid()), encoding="utf-8")
    return path


def main() -> None:
    """Command line: write a corpus and print its manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--shape", choices=SHAPES, default="city")
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.items, args.seed, args.shape), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
