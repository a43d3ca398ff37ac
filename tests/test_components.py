"""Components alone, as GOV.UK Frontend tests them: every example of every component.

Each folder of theme/templates/components/ holds one macro (``macro.html``) and its
parameters and examples as data (``<name>.yaml``; theme/templates/components/README.md).
Every example is rendered with the theme's own Jinja environment, made as the build makes
it: Pelican's ``Generator``, to which the plugins' ``generator_init`` receivers add their
filters and globals (``ru_date`` and the other date filters, ``asset()``, ``absolute_url``).

Each rendering must be well-formed (lxml), valid (the Nu HTML Checker, all examples in one
run) and accessible where markup can show it (links and buttons have a name, landmarks a
label, images an alt, fields a label); what the example passes must come out (its links,
texts, classes and attributes). The macro may read only the parameters its YAML declares,
every declared parameter must be read, and every example must give the required ones.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import Environment, meta, nodes
from lxml import etree, html
from pelican import Pelican
from pelican.settings import read_settings

from ratusha.core.plugin import start
from support import FIXTURE, ROOT, vnu

COMPONENTS = ROOT / "theme" / "templates" / "components"
#: Every folder is a component: one without its YAML (or its macro) fails.
NAMES = sorted(path.name for path in COMPONENTS.iterdir() if path.is_dir())
#: The parameter types of the YAML files, and what a value of each must be.
TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "array": list,
    "object": dict,
    "date": datetime.date,  # a date, or a datetime (a subclass), as YAML timestamps load
}
#: Keys of the parameters whose values are addresses that the rendering must link to.
LINK_KEYS = re.compile(r"^(href|.+_href|url|action)$")
#: Keys of the string parameters that do not come out as they are: summary is cut to 240
#: characters; html comes out as markup (checked by its text).
NOT_SHOWN_WHOLE = {"summary", "html"}
#: Names a Jinja ``params.<name>`` finds on the dict itself, not among its keys.
DICT_ATTRIBUTES = {name for name in dir(dict) if not name.startswith("_")}


def spec(name: str) -> dict[str, Any] | None:
    """The component's YAML, or None when it has none."""
    path = COMPONENTS / name / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def examples() -> list[Any]:
    """Every example of every component, as test parameters."""
    return [
        pytest.param(name, example, id=f"{name}: {example.get('name')}")
        for name in NAMES
        for example in (spec(name) or {}).get("examples") or []
    ]


def example(name: str, title: str) -> dict[str, Any]:
    """The options of one example, by its name."""
    found = [e for e in spec(name)["examples"] if e["name"] == title]
    assert found, f"{name}.yaml has no example {title!r}"
    return found[0]["options"]


def declared(params: list[dict[str, Any]], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every parameter by its path: ``items``, ``items[].href``, ``asked_by.name``."""
    paths = {}
    for param in params:
        path = prefix + param["name"]
        paths[path] = param
        if "params" in param:
            paths.update(declared(param["params"], path + ("[]." if param["type"] == "array" else ".")))
    return paths


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    """The theme's Jinja environment, made by Pelican and the project's plugins as in a build."""
    folder = tmp_path_factory.mktemp("components")
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(FIXTURE),
            "OUTPUT_PATH": str(folder / "output"),
            "CACHE_PATH": str(folder / "cache"),
            "RATUSHA_MUNICIPALITY": str(FIXTURE / "municipality.yml"),
        },
    )
    pelican = Pelican(settings)  # registers the plugins and sends `initialized`
    services = start(pelican)  # the run's build, as a build begins: its generator puts it in the context
    context = pelican.settings.copy()
    generator = services(
        context=context,
        settings=pelican.settings,
        path=pelican.path,
        theme=pelican.theme,
        output_path=pelican.output_path,
    )  # sends `generator_init`, where the plugins add their filters and globals
    return generator.env


def render(env: Environment, name: str, params: Any) -> str:
    """The component's macro called with ``params``, as a page template calls it."""
    source = f'{{% from "components/{name}/macro.html" import {name} %}}{{{{ {name}(params) }}}}'
    return env.from_string(source).render(params=params)


def page(name: str, example: dict[str, Any], rendering: str) -> str:
    """A whole HTML page around one rendering, in <head> or <body> as the YAML says."""
    head = rendering if (spec(name) or {}).get("placement") == "head" else ""
    body = "" if head else rendering
    title = f"{name}: {example['name']}"
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_escape(title)}</title>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse(document: str) -> tuple[html.HtmlElement, list[str]]:
    """The page parsed by lxml (libxml2's HTML5 tokenizer), with the errors it reported."""
    parser = html.HTMLParser()
    root = etree.fromstring(document, parser)
    return root, [f"{error.line}:{error.column}: {error.message}" for error in parser.error_log]


def closes_what_it_opens(rendering: str) -> bool:
    """Whether an element after the rendering is the body's child, not inside something left open.

    The HTML parser closes open elements at the end of <body> without an error, so lxml's log
    alone would not tell.
    """
    document = html.document_fromstring(
        f'<!DOCTYPE html><html><body>{rendering}<span id="r-after"></span></body></html>'
    )
    return document.get_element_by_id("r-after").getparent().tag == "body"


def root_element(rendering: str) -> html.HtmlElement:
    """The component's outermost element (its first)."""
    return next(e for e in html.fragments_fromstring(rendering) if isinstance(e, html.HtmlElement))


def text_of(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def values(options: Any, wanted: Callable[[str], bool]) -> Iterator[Any]:
    """Every plain value whose key is ``wanted``, at any depth of the options but attributes."""
    if isinstance(options, dict):
        for key, value in options.items():
            if key == "attributes":
                continue
            if wanted(key) and not isinstance(value, dict | list):
                yield value
            yield from values(value, wanted)
    elif isinstance(options, list):
        for value in options:
            yield from values(value, wanted)


def accessible_name(element: html.HtmlElement, document: html.HtmlElement) -> str:
    """The accessible name as a screen reader would compute it, for the cases components use."""
    if (label := element.get("aria-label") or "").strip():
        return label
    if ids := element.get("aria-labelledby"):
        return " ".join(text_of(e) for i in ids.split() for e in document.xpath("//*[@id=$id]", id=i))
    images = " ".join(img.get("alt", "") for img in element.iter("img"))
    return (text_of(element) + " " + images).strip()


def accessibility_problems(document: html.HtmlElement) -> list[str]:
    """What the markup alone shows to be inaccessible."""
    problems = []
    ids = [e.get("id") for e in document.iter() if isinstance(e, html.HtmlElement) and e.get("id")]
    problems += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for element in document.xpath("//a[@href] | //button"):
        if not accessible_name(element, document):
            problems.append(f"<{element.tag}> without text or aria-label")
    for element in document.xpath("//img[not(@alt)]"):
        problems.append(f"<img src={element.get('src')!r}> without alt")
    # Landmarks and groups say what they are: each <nav>, <aside> and <section> (a region
    # only when labelled, and then announced by its label), and role=region/group. The one
    # search landmark of a page is named by its role alone.
    for element in document.xpath("//nav | //aside | //section | //*[@role='region' or @role='group']"):
        if not accessible_name(element, document) or not (element.get("aria-label") or element.get("aria-labelledby")):
            problems.append(f"<{element.tag} class={element.get('class')!r}> without a label")
    for element in document.xpath("//fieldset"):
        legend = element.find("legend")
        if legend is None or not text_of(legend):
            problems.append("<fieldset> without a legend")
    fields = "//input[not(@type='hidden' or @type='submit' or @type='button')] | //select | //textarea"
    for element in document.xpath(fields):
        labels = document.xpath("//label[@for=$id]", id=element.get("id") or "") + list(element.iterancestors("label"))
        if not element.get("aria-label") and not any(text_of(label) for label in labels):
            problems.append(f"<{element.tag} name={element.get('name')!r}> without a label")
    for attribute in ("aria-labelledby", "aria-describedby", "aria-controls", "for"):
        for element in document.xpath(f"//*[@{attribute}]"):
            problems += [f"{attribute}={i!r} names no element" for i in element.get(attribute).split() if i not in ids]
    return problems


# --- the folder of each component ---------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_component_has_its_macro_and_its_yaml(env: Environment, name: str) -> None:
    assert (COMPONENTS / name / "macro.html").exists(), f"{name}/macro.html is missing"
    data = spec(name)
    assert data is not None, f"{name}/{name}.yaml is missing: every component declares its parameters and examples"
    exported = {
        key for key in env.get_template(f"components/{name}/macro.html").module.__dict__ if not key.startswith("_")
    }
    assert exported == {name}, f"macro.html must define one public macro named after its folder, {name}()"
    assert isinstance(data.get("params"), list)
    for param in declared(data["params"]).values():
        assert set(param) >= {"name", "type", "required", "description"}, param
        assert param["type"] in TYPES, f"{param['name']}: type {param['type']!r} is not one of {sorted(TYPES)}"
        assert isinstance(param["required"], bool) and param["description"].strip()
    assert data.get("examples"), f"{name}.yaml has no examples"
    titles = [e.get("name") for e in data["examples"]]
    assert len(set(titles)) == len(titles) and all(titles), f"examples need unique names: {titles}"
    assert all(isinstance(e.get("options"), dict) for e in data["examples"])


def check_values(options: dict[str, Any], params: list[dict[str, Any]], where: str) -> list[str]:
    """Every required parameter is there, none is unknown, each value has its declared type."""
    problems = []
    known = {p["name"]: p for p in params}
    problems += [f"{where}{key}: not declared" for key in options if key not in known]
    for name, param in known.items():
        if name not in options or options[name] is None:
            if param["required"]:
                problems.append(f"{where}{name}: required")
            continue
        value, kind = options[name], TYPES[param["type"]]
        if not isinstance(value, kind) or (param["type"] == "integer" and isinstance(value, bool)):
            problems.append(f"{where}{name}: {value!r} is not {param['type']}")
        elif "params" in param and param["type"] == "array":
            for index, entry in enumerate(value):
                problems += check_values(entry, param["params"], f"{where}{name}[{index}].")
        elif "params" in param:
            problems += check_values(value, param["params"], f"{where}{name}.")
    return problems


@pytest.mark.parametrize(("name", "example"), examples())
def test_example_gives_the_required_parameters_with_their_types(name: str, example: dict[str, Any]) -> None:
    assert check_values(example["options"], spec(name)["params"], "") == []


# --- what the macro reads -------------------------------------------------------------


class Recorder(dict):
    """A macro's parameters that note the path of every key the macro reads, there or not."""

    def __init__(self, data: dict[str, Any], params: dict[str, dict[str, Any]], path: str, reads: set[str]) -> None:
        super().__init__(data)
        self._recorder = (params, path, reads)

    def __getitem__(self, key: str) -> Any:
        params, path, reads = self._recorder
        reads.add(path + str(key))
        return recording(super().__getitem__(key), params.get(key), path + str(key), reads)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        _, path, reads = self._recorder
        reads.add(path + str(key))
        return super().__contains__(key)


def recording(value: Any, param: dict[str, Any] | None, path: str, reads: set[str]) -> Any:
    """``value``, recording the reads of its keys where the YAML declares them (free-form maps stay as they are)."""
    nested = (param or {}).get("params")
    if nested is None:
        return value
    fields = {p["name"]: p for p in nested}
    if isinstance(value, list):
        return [Recorder(v, fields, f"{path}[].", reads) if isinstance(v, dict) else v for v in value]
    if isinstance(value, dict):
        return Recorder(value, fields, f"{path}.", reads)
    return value


def source_problems(env: Environment, name: str) -> tuple[set[str], list[str]]:
    """The top-level parameters the macro's source reads, and what in it cannot be allowed."""
    tree = env.parse((COMPONENTS / name / "macro.html").read_text(encoding="utf-8"))
    reads: set[str] = set()
    problems = []
    # A component reads its parameters and the environment's globals, nothing else: a page
    # variable such as SITEURL is not there when a macro is imported without context.
    unknown = meta.find_undeclared_variables(tree) - set(env.globals)
    problems += [f"reads {variable!r}, which is not a parameter" for variable in sorted(unknown)]

    def visit(node: nodes.Node, parent: nodes.Node | None) -> None:
        if isinstance(node, nodes.Name) and node.name == "params" and node.ctx == "load":
            if isinstance(parent, nodes.Getattr) and parent.node is node:
                reads.add(parent.attr)
            elif isinstance(parent, nodes.Getitem) and parent.node is node and isinstance(parent.arg, nodes.Const):
                reads.add(parent.arg.value)
            else:
                problems.append(f"line {node.lineno}: params used whole, not read by name")
        called = isinstance(parent, nodes.Call) and parent.node is node
        if isinstance(node, nodes.Getattr) and node.attr in DICT_ATTRIBUTES and not called:
            problems.append(f"line {node.lineno}: .{node.attr} is the dict's method; write ['{node.attr}']")
        # The one way to insert HTML is a parameter named html (as GOV.UK Frontend's).
        if isinstance(node, nodes.Filter) and node.name == "safe":
            target = node.node
            key = getattr(target, "attr", None) or getattr(getattr(target, "arg", None), "value", None)
            if key != "html":
                problems.append(f"line {node.lineno}: | safe on something other than an html parameter")
        for child in node.iter_child_nodes():
            visit(child, node)

    for macro in tree.find_all(nodes.Macro):
        visit(macro, None)
    return reads, problems


@pytest.mark.parametrize("name", NAMES)
def test_macro_reads_exactly_the_declared_parameters(env: Environment, name: str) -> None:
    data = spec(name)
    assert data is not None, f"{name}/{name}.yaml is missing"
    paths = declared(data["params"])
    top = {param["name"] for param in data["params"]}
    reads, problems = source_problems(env, name)
    assert problems == []
    assert reads - top == set(), "the macro reads parameters its YAML does not declare"
    assert top - reads == set(), "the YAML declares parameters the macro never reads"
    # Nested keys are read as the examples render: with every example together, each key
    # read is declared, and each declared one is read (so the examples cover them all).
    seen: set[str] = set()
    fields = {param["name"]: param for param in data["params"]}
    for entry in data["examples"]:
        render(env, name, Recorder(entry["options"], fields, "", seen))
    assert seen - set(paths) == set(), "the macro reads keys its YAML does not declare"
    assert set(paths) - seen == set(), "declared keys that no example makes the macro read"


# --- each example rendered -------------------------------------------------------------


@pytest.mark.parametrize(("name", "example"), examples())
def test_example_renders_well_formed_accessible_html(env: Environment, name: str, example: dict[str, Any]) -> None:
    options = example["options"]
    rendering = render(env, name, options)
    if example.get("renders_nothing"):
        assert rendering.strip() == ""
        return
    assert rendering.strip(), "the example renders nothing (mark it renders_nothing: true if it should)"
    document, errors = parse(page(name, example, rendering))
    assert errors == [], rendering
    assert closes_what_it_opens(rendering), "the rendering leaves an element open"
    assert accessibility_problems(document) == [], rendering

    # What the example passes comes out: its addresses as links (and nothing else linked) …
    links = {
        e.get("href") or e.get("action")
        for e in document.xpath("//a[@href] | //link[@href][@rel='alternate'] | //form[@action]")
    }
    markup = [html.fragment_fromstring(v, create_parent="div") for v in values(options, "html".__eq__) if v]
    wanted = {str(value) for value in values(options, LINK_KEYS.match)} | {
        link for fragment in markup for link in fragment.xpath("//a/@href")
    }
    assert wanted - links == set(), "addresses the example passes that are not linked"
    assert {link for link in links - wanted if not link.startswith(("tel:", "mailto:"))} == set(), "links from nowhere"
    # … every string it passes as text or in an attribute, escaped (an example with "<b>"
    # shows "<b>"; unescaped, it would be a tag) …
    shown = text_of(document) + " " + " ".join(str(v) for e in document.iter() for v in e.attrib.values())
    for text in values(options, lambda key: key not in NOT_SHOWN_WHOLE):
        if isinstance(text, str):
            assert " ".join(text.split()) in shown, f"{text!r} is not shown"
    for fragment in markup:  # html comes out as markup: its text is shown, not its tags
        assert text_of(fragment) in shown, f"the html {text_of(fragment)!r} is not shown"
    # … its heading level, classes and attributes on the component's own element.
    if level := options.get("heading_level"):
        assert document.xpath(f"//h{level}"), f"no <h{level}>"
    # (The component's own element is its outermost, or the one its YAML names, such as the
    # <ul> of act_list after its heading: the one element that has all the classes.)
    root = root_element(rendering)
    if extras := (options.get("classes") or "").split():
        owners = [e for e in document.find("body").iter() if set(extras) <= set(e.classes)]
        assert len(owners) == 1, f"classes {extras} are not on one element"
        root = owners[0]
    for attribute, value in (options.get("attributes") or {}).items():
        if value is None or value is False:
            assert attribute not in root.attrib
        else:
            assert root.get(attribute) == ("" if value is True else str(value)), attribute


INVALID = '<!DOCTYPE html>\n<html lang="ru"><head><title>x</title></head><body><p><div></span></body></html>\n'


def test_every_example_is_valid_html(env: Environment, tmp_path: Path) -> None:
    """All the examples' pages in one run of the Nu HTML Checker (one JVM start)."""
    count = 0
    for param in examples():
        name, entry = param.values
        if entry.get("renders_nothing"):
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", f"{name}--{entry['name']}".lower())
        (tmp_path / f"{slug}.html").write_text(page(name, entry, render(env, name, entry["options"])), encoding="utf-8")
        count += 1
    assert count >= len(NAMES)
    # A page known to be invalid shows that the checker ran and reports what it finds.
    (tmp_path / "known-invalid.html").write_text(INVALID, encoding="utf-8")
    result = vnu(tmp_path, "--format", "gnu")
    errors = [line for line in (result.stdout + result.stderr).splitlines() if ": error:" in line]
    assert any("known-invalid.html" in line for line in errors), result.stdout + result.stderr
    assert [line for line in errors if "known-invalid.html" not in line] == []


# --- each component's own behaviour (GOV.UK's template.test.js) --------------------------


def fragment(env: Environment, name: str, options: dict[str, Any]) -> html.HtmlElement:
    """A rendering parsed into a <div>, for queries."""
    return html.fragment_fromstring(render(env, name, options), create_parent="div")


def test_breadcrumbs_mark_the_last_item_as_the_current_page(env: Environment) -> None:
    crumbs = fragment(env, "breadcrumbs", example("breadcrumbs", "default"))
    items = crumbs.xpath("//li[@class='r-breadcrumbs__item']")
    assert len(items) == 3
    assert items[-1].xpath("./span[@aria-current='page']")
    assert not items[-1].xpath(".//a") and all(item.xpath("./a[@class='r-breadcrumbs__link']") for item in items[:-1])
    assert crumbs.xpath("//nav/ol")


def test_breadcrumbs_never_link_the_current_page(env: Environment) -> None:
    options = example("breadcrumbs", "one level")
    linked = {"items": [*options["items"][:-1], {**options["items"][-1], "href": "/news/"}]}
    crumbs = fragment(env, "breadcrumbs", linked)
    assert crumbs.xpath("//a/@href") == ["/"]
    assert crumbs.xpath("//span[@aria-current='page']/text()") == ["Новости"]


def test_breadcrumbs_escape_their_text(env: Environment) -> None:
    rendering = render(env, "breadcrumbs", example("breadcrumbs", "html as text"))
    assert "&lt;b&gt;Главная&lt;/b&gt;" in rendering and "<b>" not in rendering


def test_pagination_shows_the_current_page_as_text_and_numbers_with_names(env: Environment) -> None:
    nav = fragment(env, "pagination", example("pagination", "default"))
    assert nav.xpath("//nav/@aria-label") == ["Страницы новостей"]
    current = nav.xpath("//*[@aria-current='page']")
    assert [(e.tag, e.text) for e in current] == [("span", "5")]
    numbered = nav.xpath("//a[not(@rel)]")
    assert [a.get("aria-label") for a in numbered] == [f"Страница {a.text}" for a in numbered]
    assert [a.text for a in numbered] == ["1", "3", "4", "6", "7", "40"]
    assert len(nav.xpath("//span[@class='r-pagination__gap']")) == 2
    assert nav.xpath("//a[@rel='prev']/@href") == ["/news/page/4/"] and nav.xpath("//a[@rel='next']/@href") == [
        "/news/page/6/"
    ]


def test_pagination_has_no_previous_on_the_first_page_and_a_default_label(env: Environment) -> None:
    first = fragment(env, "pagination", example("pagination", "first page"))
    assert not first.xpath("//a[@rel='prev']") and first.xpath("//a[@rel='next']")
    last = fragment(env, "pagination", example("pagination", "last page, default label"))
    assert not last.xpath("//a[@rel='next']") and last.xpath("//nav/@aria-label") == ["Страницы"]


@pytest.mark.parametrize(
    ("title", "modifier"),
    [
        ("default", "active"),
        ("draft", "draft"),
        ("suspended", "suspended"),
        ("repealed", "inactive"),
        ("invalidated by a court", "inactive"),
    ],
)
def test_act_status_has_a_modifier_and_says_the_status_in_text(env: Environment, title: str, modifier: str) -> None:
    options = example("act_status", title)
    label = root_element(render(env, "act_status", options))
    assert label.classes == {"r-status", f"r-status--{modifier}"}
    assert label.text == options["status"]


def test_act_card_shows_its_status_with_act_status(env: Environment) -> None:
    card = fragment(env, "act_card", example("act_card", "draft under an h2"))
    assert card.xpath("//h3/a/text()") == ["Решение от 13.11.2026 № П-52"]
    assert card.xpath("//span[@class='r-status r-status--draft']/text()") == ["проект"]
    assert "· Городской Совет" in text_of(card)
    assert "·" not in text_of(fragment(env, "act_card", example("act_card", "without issuer")))


def test_news_card_image_is_decorative_sized_and_lazy(env: Environment) -> None:
    options = example("news_card", "with image")
    card = fragment(env, "news_card", options)
    (image,) = card.xpath("//img")
    assert image.get("alt") == ""  # the headline beside it names the item
    assert (image.get("width"), image.get("height")) == ("1600", "1067")
    assert image.get("loading") == "lazy" and image.get("srcset") == options["image"]["srcset"] and image.get("sizes")
    assert "r-card--with-image" in card.xpath("//article")[0].classes
    plain = fragment(env, "news_card", example("news_card", "image without variants")).xpath("//img")[0]
    assert plain.get("srcset") is None and plain.get("sizes") is None


def test_news_card_summary_is_cut_and_optional(env: Environment) -> None:
    options = example("news_card", "long summary")
    summary = fragment(env, "news_card", options).xpath("//div[@class='r-card__summary']")[0].text
    assert len(options["summary"]) > 240 and len(summary) <= 240 and summary.endswith("...")
    pinned = fragment(env, "news_card", example("news_card", "pinned, without summary, under an h2"))
    assert not pinned.xpath("//div[@class='r-card__summary']")
    assert pinned.xpath("//p[@class='r-card__pinned']/text()") == ["Закреплено"]
    assert not fragment(env, "news_card", example("news_card", "default")).xpath("//p[@class='r-card__pinned']")


def test_dates_are_russian_and_machine_readable(env: Environment) -> None:
    time = fragment(env, "date", example("date", "with time")).xpath("//time")[0]
    assert (time.get("datetime"), time.text) == ("2026-12-05T11:00:00+06:00", "5 декабря 2026, 11:00")
    day = fragment(env, "date", example("date", "default")).xpath("//time")[0]
    assert (day.get("datetime"), day.text) == ("2026-11-24", "24 ноября 2026")


def test_contacts_phone_is_a_tel_link_of_digits(env: Environment) -> None:
    contacts = fragment(env, "contacts", example("contacts", "default"))
    assert contacts.xpath("//a[starts-with(@href, 'tel:')]/@href") == ["tel:+73812200000"]
    assert contacts.xpath("//dt/text()") == ["Адрес", "Телефон", "Электронная почта", "Часы приёма"]
    assert fragment(env, "contacts", example("contacts", "phone only")).xpath("//dt/text()") == ["Телефон"]


def test_urgent_banner_is_a_labelled_region_not_an_alert(env: Environment) -> None:
    banner = fragment(env, "urgent_banner", example("urgent_banner", "default"))
    (section,) = banner.xpath("//section")
    assert section.get("role") is None and section.get("aria-live") is None
    assert banner.xpath(f"//*[@id='{section.get('aria-labelledby')}']/text()") == ["Срочное сообщение"]
    assert "(актуально до 30 ноября 2026, 18:00)" in text_of(banner)


def test_search_form_labels_its_field_and_keeps_the_query(env: Environment) -> None:
    options = example("search_form", "with a query")
    form = fragment(env, "search_form", options)
    field = form.xpath("//input[@name='q']")[0]
    assert form.xpath(f"//label[@for='{field.get('id')}']/text()") == ["Поиск по сайту"]
    assert field.get("value") == options["value"] and form.xpath("//form/@method") == ["get"]
    page_form = fragment(env, "search_form", example("search_form", "on the search page"))
    assert page_form.xpath("//form/@id") == ["search-form"] and page_form.xpath("//input/@id") == ["search-query"]


def test_search_meta_is_hidden_and_kept_out_of_the_index(env: Environment) -> None:
    spans = fragment(env, "search_meta", example("search_meta", "default")).xpath("//span")
    assert len(spans) == 3
    assert all(span.get("hidden") is not None and span.get("data-search-ignore") is not None for span in spans)
    assert [span.text for span in spans] == ["Новости", "Молодёжная политика", "18 ноября 2026"]


def test_feed_links_say_what_they_are(env: Environment) -> None:
    feeds = fragment(env, "feed_link", example("feed_link", "with calendar"))
    assert [(a.text, a.get("type")) for a in feeds.xpath("//a")] == [
        ("RSS", "application/rss+xml"),
        ("Atom", "application/atom+xml"),
        ("календарь (.ics)", "text/calendar"),
    ]
    assert text_of(fragment(env, "feed_link", example("feed_link", "default text"))).startswith(
        "Подписаться на обновления:"
    )
    head = fragment(env, "feed_alternates", example("feed_alternates", "default"))
    assert head.xpath("//link/@title") == ["Северогорск: все материалы (RSS)", "Северогорск: все материалы (Atom)"]


def test_attachments_give_type_format_and_size(env: Environment) -> None:
    files = fragment(env, "attachments", example("attachments", "default"))
    link = files.xpath("//a")[0]
    assert link.get("type") == "application/pdf" and link.get("download") is not None
    assert files.xpath("//span[@class='r-files__meta']/text()") == ["(PDF, 30 КБ)", "(DOCX, 1,2 МБ)"]


def test_social_links_are_the_sites_own_accounts(env: Environment) -> None:
    links = fragment(env, "social_links", example("social_links", "default")).xpath("//a")
    assert [a.get("rel") for a in links] == ["me", "me"]


def test_vi_panel_groups_each_setting_and_starts_closed(env: Environment) -> None:
    panel = fragment(env, "vi_panel", example("vi_panel", "default"))
    toggle = panel.xpath("//button[@id='vi-toggle']")[0]
    assert toggle.get("aria-expanded") == "false" and panel.xpath(f"//*[@id='{toggle.get('aria-controls')}']/@hidden")
    groups = panel.xpath("//fieldset")
    assert len(groups) == 6
    for group in groups:
        names = {radio.get("name") for radio in group.xpath(".//input[@type='radio']")}
        assert len(names) == 1 and len(group.xpath(".//input[@checked]")) == 1
