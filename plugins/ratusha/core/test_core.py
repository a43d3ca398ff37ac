"""The core alone: the finish pipeline, the build's services, read-only settings, the swap."""

from __future__ import annotations

import types
from pathlib import Path

import jinja2
import pytest

from ratusha.core import pipeline
from ratusha.core.build import Build
from ratusha.core.output import Staging
from ratusha.core.plugin import Environment, cache_bytecode, end, start, use_environment
from ratusha.core.sections import SECTIONS, resolve_sections
from ratusha.core.site import public_url


def settings(tmp_path: Path, **extra) -> dict:
    return {
        "TIMEZONE": "Asia/Omsk",
        "OUTPUT_PATH": str(tmp_path / "output"),
        "CACHE_PATH": str(tmp_path / "cache"),
        **extra,
    }


def test_steps_run_in_the_stated_order_and_only_for_enabled_plugins(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_steps", {})
    ran = []
    for name in reversed(pipeline.FINISH + pipeline.AFTER_SWAP):  # registered in the wrong order on purpose
        pipeline.add_step(name, lambda build, name=name: ran.append(name), plugin=f"p.{name}")
    enabled = [f"p.{name}" for name in pipeline.FINISH + pipeline.AFTER_SWAP if name != "search"]
    build = types.SimpleNamespace(settings={"PLUGINS": enabled})
    pipeline.finish(build)
    assert ran == [name for name in pipeline.FINISH + pipeline.AFTER_SWAP if name != "search"]


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError, match="unknown finish step"):
        pipeline.add_step("minify", lambda build: None, plugin="x")


def test_the_staging_folder_replaces_the_output_only_on_swap(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("old")
    staging = Staging(str(output))
    assert staging.prepare() == str(output)
    (Path(staging.staging) / "index.html").write_text("new")
    assert (output / "index.html").read_text() == "old", "nothing is published before the swap"
    staging.swap()
    assert (output / "index.html").read_text() == "new"
    assert (tmp_path / "output.old" / "index.html").read_text() == "old", "the replaced site is kept aside"
    staging.prepare()  # the next build deletes it
    staging._wait_for_cleanup()
    assert not (tmp_path / "output.old").exists()


def test_a_build_found_in_the_context_and_a_clear_error_without_the_core(tmp_path):
    build = Build(settings(tmp_path, RATUSHA_BUILD_TIME="2026-11-24T12:00:00"), Staging(str(tmp_path / "output")))
    assert Build.of({Build.CONTEXT_KEY: build}) is build
    assert build.now.isoformat() == "2026-11-24T12:00:00+06:00"
    assert build.previous is None, "no site to replace on the first build"
    with pytest.raises(RuntimeError, match=r"ratusha\.core is not in PLUGINS"):
        Build.of({})


def test_a_setting_changed_during_the_build_stops_it(tmp_path):
    pelican = types.SimpleNamespace(output_path=str(tmp_path / "output"), settings=settings(tmp_path, PLUGINS=[]))
    start(pelican)
    pelican.settings["OUTPUT_PATH"] = "elsewhere"  # what atomic_output used to do
    with pytest.raises(RuntimeError, match="settings changed during the build: OUTPUT_PATH"):
        end(pelican)


def test_a_section_moves_with_one_setting():
    sections = resolve_sections({"news": {"url": "novosti/"}})
    assert sections["news"].url == "novosti/"
    assert sections["news"].item_url == "novosti/{date:%Y}/{date:%m}/{slug}/"
    assert sections["legal_act"] == SECTIONS["legal_act"]
    with pytest.raises(ValueError, match="unknown section"):
        resolve_sections({"blog": {"url": "blog/"}})
    with pytest.raises(ValueError, match="cannot change context_key"):
        resolve_sections({"news": {"context_key": "x"}})


def test_the_public_url_has_one_rule():
    municipality = {"site_url": "https://town.example.ru"}
    assert public_url({"SITEURL": "", "MUNICIPALITY": municipality}) == "https://town.example.ru"
    assert public_url({"SITEURL": "https://cdn.example.ru/", "MUNICIPALITY": municipality}) == "https://cdn.example.ru"
    assert (
        public_url(
            {"RATUSHA_PUBLIC_URL": "https://a.example/", "SITEURL": "https://b.example", "MUNICIPALITY": municipality}
        )
        == "https://a.example"
    )


def test_templates_read_a_dicts_keys_as_jinja_does():
    """The faster look-up of ``value.key`` on a dict gives what Jinja's own gives, case by case."""

    class Data(dict):
        colour = "attribute"

    source = (
        "{{ d.title }}|{{ d.missing is defined }}|{{ d.items() | list | length }}|{{ d.get('title') }}|"
        "{{ sub.colour }}|{{ sub.title }}|{{ obj.real }}|{{ d.missing.deeper is defined }}"
    )
    values = {"d": {"title": "Заголовок", "items": [1, 2, 3]}, "sub": Data(title="t", colour="key"), "obj": 5}
    ours = Environment(undefined=jinja2.ChainableUndefined).from_string(source).render(**values)
    jinjas = jinja2.Environment(undefined=jinja2.ChainableUndefined).from_string(source).render(**values)
    assert ours == jinjas == "Заголовок|False|2|Заголовок|attribute|t|5|False"
    strict = Environment(undefined=jinja2.StrictUndefined).from_string("{{ d.missing }}")
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        strict.render(d={})
    generator = types.SimpleNamespace(env=jinja2.Environment())
    use_environment(generator)
    assert type(generator.env) is Environment


def test_imported_macros_see_the_globals_as_jinja_gives_them():
    """Template globals as a plain dict: an imported macro file sees the environment's globals and the template's own."""
    loader = jinja2.DictLoader({
        "macros.html": "{% macro shout(x) %}{{ x | upper }}{{ SITE }}{% endmacro %}",
        "page.html": "{% from 'macros.html' import shout %}{{ shout(word) }}|{{ SITE }}|{{ OWN }}",
    })  # fmt: skip
    rendered = {}
    for kind in (jinja2.Environment, Environment):
        env = kind(loader=loader)
        env.globals["SITE"] = "@site"
        page = env.get_template("page.html", globals={"OWN": "own"})
        rendered[kind] = [page.render(word=w) for w in ("да", "нет")]
    assert rendered[Environment] == rendered[jinja2.Environment] == ["ДА@site|@site|own", "НЕТ@site|@site|own"]
    assert type(Environment().make_globals(None)) is dict


def test_each_template_is_compiled_once_for_every_generator(tmp_path, monkeypatch):
    """Generators' environments share compiled templates; an edited template is compiled again."""
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("{{ title }}", encoding="utf-8")
    compiled = []
    compile_source = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment, "compile", lambda env, *a, **k: compiled.append(a) or compile_source(env, *a, **k)
    )

    def render() -> str:
        loader = jinja2.FileSystemLoader(str(tmp_path / "templates"))
        generator = types.SimpleNamespace(
            env=jinja2.Environment(loader=loader), settings={"CACHE_PATH": str(tmp_path / "cache")}
        )
        cache_bytecode(generator)
        return generator.env.get_template("page.html").render(title="Новости")

    assert [render(), render(), render()] == ["Новости"] * 3
    assert len(compiled) == 1
    page.write_text("<h1>{{ title }}</h1>", encoding="utf-8")
    assert render() == "<h1>Новости</h1>" and len(compiled) == 2
    assert list((tmp_path / "cache" / "jinja").iterdir())
