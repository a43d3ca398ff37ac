"""The web editor: Decap CMS over the same Markdown files, configured from the schema.

Editors who know git barely get a form in the browser (``invoke edit``), and the form can
only write what the build accepts, because its configuration is generated from
:mod:`.schema`: every type and field, the required ones required, departments and issuers
as choices from the registry in ``content/departments/``, the choices of act types and
statuses, images uploaded into ``content/images/`` under sanitised names, a Russian
interface. Decap's own app (``node_modules/decap-cms/dist``) is served as it is, never from
a CDN. Why Decap and not Sveltia CMS: README, «Web editor».

The admin app is not part of the residents' site unless ``RATUSHA_EDITOR_PUBLISH`` is set;
then the build writes it to ``/admin/`` with the backend of ``RATUSHA_EDITOR_BACKEND``
(the city's GitLab or Gitea/Forgejo).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ratusha.core.acts import ACT_STATUSES
from ratusha.core.errors import ContentError
from ratusha.core.law import CATEGORIES
from ratusha.core.settings import Setting
from ratusha.core.slugs import slugify

from .schema import CONTENT_TYPES, ContentType, Field

__all__ = [
    "DEFAULTS",
    "REVIEW",
    "STATUSES",
    "admin_files",
    "departments",
    "editor_config",
    "run_editor",
    "schema_fields",
]

DEFAULTS = {
    "RATUSHA_EDITOR_PUBLISH": Setting(
        False,
        "write the web editor (Decap CMS) to `/admin/` of the built site; off: the residents' site has no admin app",
    ),
    "RATUSHA_EDITOR_BACKEND": Setting(
        None,
        "the published editor's Decap backend, e.g. `{'name': 'gitlab', 'repo': 'city/portal', 'base_url': "
        "'https://git.city.ru', 'app_id': '…'}` (README, «Web editor»); required with RATUSHA_EDITOR_PUBLISH",
    ),
}

#: The statuses an item can have; ``review`` waits for a second pair of eyes («второй взгляд»).
REVIEW = "review"
STATUSES = {"published": "Опубликовать", REVIEW: "На проверку", "draft": "Черновик"}

#: The project's checkout (``plugins/ratusha/content_model/`` is three levels below it).
ROOT = Path(__file__).resolve().parents[3]
#: Where the published editor goes in the site.
ADMIN_FOLDER = "admin"
#: Where Decap's app is, relative to the project (installed by ``npm ci``).
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
DECAP_SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"

#: Russian labels of the fields, shown in the form.
LABELS = {
    "title": "Заголовок",
    "summary": "Краткое содержание",
    "image": "Фотография",
    "image_alt": "Что изображено на фотографии",
    "teaser": "Текст для соцсетей",
    "hashtags": "Хештеги",
    "no_crosspost": "Не публиковать в соцсетях",
    "withdrawn": "Снято с сайта",
    "date": "Дата публикации",
    "id": "Постоянный идентификатор",
    "department": "Подразделение",
    "urgent": "Срочное сообщение (баннер)",
    "urgent_until": "Баннер до",
    "pinned": "Закрепить на главной",
    "tags": "Теги",
    "act_type": "Вид акта",
    "number": "Номер",
    "adopted": "Дата принятия",
    "act_status": "Статус акта",
    "issuer": "Принявший орган",
    "signed_by": "Подписал",
    "published_in": "Где опубликован",
    "published_on": "Дата официального опубликования",
    "published_issue": "Номер выпуска",
    "in_force_from": "Вступает в силу",
    "register_number": "Номер в регистре МНПА",
    "normative": "Нормативный акт",
    "lost_force": "Утратил силу",
    "amends": "Изменяет акты",
    "repeals": "Отменяет акты",
    "invalidated_by": "Решение суда или прокурора",
    "attachments": "Файлы",
    "starts": "Начало",
    "ends": "Окончание",
    "place": "Место",
    "question": "Вопрос жителя",
    "asked_by": "Кто спросил",
    "short_title": "Краткое название",
    "parent": "Вышестоящее подразделение",
    "head": "Руководитель",
    "contacts": "Контакты",
    "order": "Порядок в списке",
    "social": "Аккаунты в соцсетях",
    "covers": "Что публикует страница (8-ФЗ, ст. 13)",
}

COLLECTION_LABELS = {
    "department": ("Подразделения", "Подразделение"),
    "news": ("Новости", "Новость"),
    "legal_act": ("Документы", "Документ"),
    "announcement": ("Анонсы", "Анонс"),
    "answer": ("Глава в ответе", "Ответ главы"),
    "page": ("Страницы", "Страница"),
}

#: A file name for a new dated item: the date and time (a title in Cyrillic gives no Latin name
#: in Decap; the page's address is still the title's transliteration, made by the build).
DATED_SLUG = "{{year}}-{{month}}-{{day}}-{{hour}}{{minute}}{{second}}"
LATIN = r"^[a-z0-9][a-z0-9-]*$"


def schema_fields(ctype: ContentType) -> tuple[Field, ...]:
    """Return every field of a type as the schema has them, each name once (its own, then new-file ones)."""
    seen: dict[str, Field] = {}
    for spec in (*ctype.all_fields, *ctype.new_fields):
        seen.setdefault(spec.name, spec)
    return tuple(seen.values())


def _front_matter(path: Path) -> dict[str, Any]:
    """Return the YAML header of a Markdown file ({} when it has none or it does not parse)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    header = text.split("\n---", 1)[0].removeprefix("---")
    with contextlib.suppress(yaml.YAMLError):
        data = yaml.safe_load(header)
        return data if isinstance(data, dict) else {}
    return {}


def departments(content: Path) -> list[tuple[str, str]]:
    """Return the registry as (file name, title) pairs, by title: the choices of department fields."""
    found = []
    for path in sorted((content / "departments").glob("*.md")):
        title = _front_matter(path).get("title") or path.stem
        found.append((path.stem, str(title)))
    return sorted(found, key=lambda pair: pair[1])


def _datetime(label: str, timezone: str, date_only: bool = False) -> dict[str, Any]:
    fmt = "YYYY-MM-DD" if date_only else "YYYY-MM-DD HH:mm"
    widget: dict[str, Any] = {"widget": "datetime", "format": fmt, "date_format": "DD.MM.YYYY", "picker_utc": False}
    widget["time_format"] = False if date_only else "HH:mm"
    if not date_only:
        widget["hint"] = f"Местное время муниципалитета ({timezone})"
    return widget


def _widget(spec: Field, ctype: ContentType, registry: list[dict[str, str]], timezone: str) -> dict[str, Any]:  # noqa: PLR0911
    """Return Decap's widget settings for one schema field (one branch per kind of the schema)."""
    kind = spec.kind
    text = {"summary", "teaser", "question", "invalidated_by"}
    if kind == "text":
        return {"widget": "text" if spec.name in text else "string"}
    if kind == "datetime":
        return _datetime(LABELS.get(spec.name, spec.name), timezone)
    if kind == "date":
        return _datetime(LABELS.get(spec.name, spec.name), timezone, date_only=True)
    if kind == "choice":
        return {"widget": "select", "options": list(spec.choices)}
    if kind == "department":
        return {"widget": "select", "options": registry}
    if kind == "id":
        # Filled in with a random UUID on the first save (index.html): feeds and social
        # networks know an item by it, so no editor ever types or changes it.
        return {"widget": "hidden"}
    if kind == "image":
        folder = f"/{{content}}/images/{ctype.folder}"
        return {"widget": "image", "media_folder": folder, "public_folder": f"images/{ctype.folder}"}
    if kind == "flag":
        return {"widget": "boolean", "default": False}
    if kind == "number":
        return {"widget": "number", "value_type": "int"}
    if kind in ("hashtags", "acts"):
        return {"widget": "list"}
    if kind == "register_number":
        return {"widget": "string", "pattern": [r"^RU\d{12,20}$", "RU и 12–20 цифр"]}
    if kind == "covers":
        return {"widget": "select", "multiple": True, "options": sorted(CATEGORIES)}
    objects = {
        "person": (("name", "ФИО"), ("position", "Должность")),
        "contacts": (("phone", "Телефон"), ("email", "Электронная почта"), ("address", "Адрес"), ("hours", "Часы")),
        "asked_by": (("name", "Имя"), ("district", "Район")),
        "withdrawn": (("date", "Дата"), ("reason", "Причина")),
        "lost_force": (("date", "Дата"), ("by", "Каким актом (ключ)"), ("decision", "Решение суда")),
    }
    if kind in objects:
        sub = [{"label": label, "name": name, "widget": "string", "required": False} for name, label in objects[kind]]
        if kind in ("withdrawn", "lost_force"):
            sub[0] = {"label": "Дата", "name": "date", **_datetime("Дата", timezone, kind == "lost_force")}
            sub[0]["required"] = False
        return {"widget": "object", "collapsed": True, "fields": sub}
    if kind == "attachments":
        file = {"label": "Файл", "name": "file", "widget": "file"}
        file.update(media_folder=f"/{{content}}/files/{ctype.folder}", public_folder=f"files/{ctype.folder}")
        return {"widget": "list", "fields": [file, {"label": "Название", "name": "title", "widget": "string"}]}
    if kind == "social":
        sub = [
            {"label": "Сеть", "name": "network", "widget": "select", "options": ["telegram", "vk", "ok", "max"]},
            {"label": "Адрес", "name": "url", "widget": "string"},
            {"label": "Идентификатор", "name": "id", "widget": "string", "required": False},
        ]
        return {"widget": "list", "fields": sub}
    raise ValueError(f"no widget for the field kind {kind!r} ({spec.name})")


def _field(spec: Field, ctype: ContentType, registry: list[dict[str, str]], timezone: str) -> dict[str, Any]:
    entry = {"label": LABELS.get(spec.name, spec.name), "name": spec.name, **_widget(spec, ctype, registry, timezone)}
    entry["required"] = spec.required and spec.kind != "id"
    if spec.hint and "{" not in spec.hint and "hint" not in entry:
        entry["hint"] = spec.hint
    if spec.name == "act_status":
        entry["default"] = next(iter(ACT_STATUSES))
    return entry


def _collection(ctype: ContentType, content: str, registry: list[dict[str, str]], timezone: str) -> dict[str, Any]:
    label, singular = COLLECTION_LABELS[ctype.name]
    fields = [_field(spec, ctype, registry, timezone) for spec in schema_fields(ctype)]
    collection: dict[str, Any] = {
        "name": ctype.name,
        "label": label,
        "label_singular": singular,
        "folder": f"{content}/{ctype.folder}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "summary": "{{title}}",
    }
    if ctype.dated:
        collection.update(slug=DATED_SLUG, sortable_fields=["date", "title"])
        collection["view_filters"] = [
            {"label": label, "field": "status", "pattern": status}
            for status, label in STATUSES.items()
            if status != "published"
        ]
    else:
        # The file name is the page's address (/departments/<name>/): an editor gives it in Latin.
        fields.insert(
            1,
            {
                "label": "Адрес (латиницей)",
                "name": "slug",
                "widget": "string",
                "pattern": [LATIN, "латиница, цифры, дефис"],
            },
        )
        collection.update(slug="{{slug}}", identifier_field="slug")
    fields.append(
        {
            "label": "Статус",
            "name": "status",
            "widget": "select",
            "options": [{"label": label, "value": value} for value, label in STATUSES.items()],
            "default": REVIEW,
            "hint": "«На проверку» — материал увидит проверяющий; опубликует его он",
        }
    )
    fields.append({"label": "Текст", "name": "body", "widget": "markdown"})
    for entry in fields:  # the content folder, relative to the repository
        for key in ("media_folder",):
            if key in entry:
                entry[key] = entry[key].format(content=content)
        for sub in entry.get("fields", []):
            if "media_folder" in sub:
                sub["media_folder"] = sub["media_folder"].format(content=content)
    collection["fields"] = fields
    return collection


def editor_config(
    content: Path,
    repository: Path,
    timezone: str,
    backend: dict[str, Any] | None = None,
    local_backend: str | None = None,
) -> dict[str, Any]:
    """Return Decap CMS's configuration for the content folder, generated from the schema.

    ``repository`` is the git checkout the backend writes into (paths are relative to it);
    ``local_backend`` the address of decap-server's API for ``invoke edit``.
    """
    folder = content.resolve().relative_to(repository.resolve()).as_posix()
    registry = [{"label": title, "value": stem} for stem, title in departments(content)]
    config: dict[str, Any] = {
        "backend": backend or {"name": "git-gateway", "branch": "main"},
        "locale": "ru",
        "media_folder": f"{folder}/images",
        "public_folder": "images",
        # Uploaded files get names of Latin letters, digits and hyphens; the build
        # (ratusha.images) publishes any other name under a transliterated one.
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_collection(ctype, folder, registry, timezone) for ctype in CONTENT_TYPES],
    }
    if local_backend:
        config["local_backend"] = {"url": local_backend, "allowed_hosts": ["127.0.0.1", "localhost"]}
    return config


#: Every Russian letter as the build's slugs spell it (ratusha.core.slugs), for the page's script.
LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

INDEX_HTML = """<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Редактор сайта</title>
</head>
<body>
<script src="decap-cms.js"></script>
<script src="ratusha-editor.js"></script>
</body>
</html>
"""


EDITOR_JS = """// A new item gets its permanent id on its first save (feeds and social networks know it by it).
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const data = entry.get("data");
    return data.get("id") || !data.has("date") ? data : data.set("id", crypto.randomUUID());
  },
});
// A photo straight from a camera, "Фото катка 1.JPG", is uploaded as "foto-katka-1.jpg": the
// letters as the build transliterates them (ГОСТ Р 7.0.34), before Decap sees the file.
const LATIN = __LETTERS__;
function safeName(name) {
  const dot = name.lastIndexOf(".");
  const stem = (dot > 0 ? name.slice(0, dot) : name).toLowerCase();
  const ext = (dot > 0 ? name.slice(dot + 1) : "").toLowerCase().replace(/^jpeg$/, "jpg");
  const latin = [...stem].map((c) => (c in LATIN ? LATIN[c] : c)).join("");
  const slug = latin.normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return (slug || "file") + (ext ? "." + ext.replace(/[^a-z0-9]/g, "") : "");
}
window.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.files.length) return;
  if ([...input.files].every((f) => f.name === safeName(f.name))) return;
  const renamed = new DataTransfer();
  for (const file of input.files) {
    renamed.items.add(new File([file], safeName(file.name), { type: file.type, lastModified: file.lastModified }));
  }
  input.files = renamed.files;
}, true);
"""


def editor_js() -> str:
    """Return the admin page's script: the two things Decap does not do by itself (ids, safe names).

    A file of its own, not inline, so that a Content-Security-Policy without 'unsafe-inline'
    scripts still lets it run.
    """
    letters = {c: slugify(c) if c not in "ьъ" else "" for c in LETTERS}
    return EDITOR_JS.replace("__LETTERS__", json.dumps(letters, ensure_ascii=False))


def admin_files(project: Path, config: dict[str, Any]) -> dict[str, Path | bytes]:
    """Return the admin app's files by name: Decap's own scripts and the generated index and config."""
    dist = project / DECAP_DIST
    if not (dist / "decap-cms.js").is_file():
        raise FileNotFoundError(f"{dist / 'decap-cms.js'}: нет Decap CMS, выполните npm ci / run npm ci")
    files: dict[str, Path | bytes] = {p.name: p for p in sorted(dist.glob("*decap-cms.js"))}
    files["index.html"] = INDEX_HTML.encode()
    files["ratusha-editor.js"] = editor_js().encode()
    files["config.yml"] = yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode()
    return files


def write_admin(output: Path, files: dict[str, Path | bytes]) -> None:
    """Write the admin app into ``output`` (a folder of the built site)."""
    output.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        if isinstance(source, bytes):
            (output / name).write_bytes(source)
        else:
            shutil.copyfile(source, output / name)


def publish(settings: dict[str, Any], content: str, output: str) -> None:
    """Write the editor to ``/admin/`` of the site being built (RATUSHA_EDITOR_PUBLISH).

    Its backend is the city's git host (RATUSHA_EDITOR_BACKEND); paths are relative to the
    folder that holds the content folder, the repository's root.
    """
    backend = settings.get("RATUSHA_EDITOR_BACKEND")
    if not backend or not isinstance(backend, dict) or not backend.get("name"):
        raise ContentError(
            "pelicanconf.py",
            "RATUSHA_EDITOR_PUBLISH требует RATUSHA_EDITOR_BACKEND (например, {'name': 'gitlab', 'repo': …}) / "
            "the published editor needs a backend",
            field="RATUSHA_EDITOR_BACKEND",
        )
    folder = Path(content)
    config = editor_config(folder, folder.parent, str(settings.get("TIMEZONE") or "UTC"), backend=backend)
    write_admin(Path(output) / ADMIN_FOLDER, admin_files(ROOT, config))


class _AdminHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the admin folder; quiet, and never cached (the config changes with the registry)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _wait_for(host: str, port: int, process: subprocess.Popen, patience: float = 60) -> None:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"decap-server stopped with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"decap-server did not start on {host}:{port}")


@contextlib.contextmanager
def run_editor(
    project: Path,
    content: Path,
    repository: Path,
    timezone: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    workdir: Path | None = None,
) -> Iterator[str]:
    """Serve the editor on ``host:port`` and decap-server on the repository; yield the editor's address.

    decap-server (Decap's local backend, ``MODE=fs``) reads and writes the files of the
    working tree; committing them stays the editor's step (docs/editors-guide.md).
    """
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node: не найден Node.js / Node.js is needed for decap-server")
    api_port = _free_port(host)
    env = {**os.environ, "PORT": str(api_port), "BIND_HOST": host, "MODE": "fs", "LOG_LEVEL": "warn"}
    env["GIT_REPO_DIRECTORY"] = str(repository.resolve())
    server = subprocess.Popen([node, str(project / DECAP_SERVER)], env=env, cwd=repository)
    admin = workdir or Path(repository) / "cache" / "editor"
    httpd = None
    try:
        _wait_for(host, api_port, server)
        config = editor_config(content, repository, timezone, local_backend=f"http://{host}:{api_port}/api/v1")
        write_admin(admin / "admin", admin_files(project, config))
        handler = functools.partial(_AdminHandler, directory=str(admin))
        httpd = http.server.ThreadingHTTPServer((host, port), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield f"http://{host}:{httpd.server_address[1]}/admin/"
    finally:
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def serve_editor(project: Path, content: Path, settings_file: Path, host: str, port: int) -> None:
    """``invoke edit``: serve the editor on the repository until Ctrl+C, printing its address."""
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(str(settings_file))
    # A stop by signal (kill, a service manager) also stops decap-server, as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    timezone = str(settings.get("TIMEZONE") or "UTC")
    with contextlib.suppress(Exception):  # the municipality's zone, as the build reads it
        timezone = str(yaml.safe_load((content / "municipality.yml").read_text(encoding="utf-8"))["timezone"])
    with run_editor(
        project, content, project, timezone, host=host, port=port, workdir=project / "cache" / "editor"
    ) as url:
        print(f"Редактор / editor: {url}  (Ctrl+C — остановить / to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


def config_json(config: dict[str, Any]) -> str:
    """Return the configuration as JSON (for tests and debugging)."""
    return json.dumps(config, ensure_ascii=False, indent=1)


if __name__ == "__main__":  # pragma: no cover - python -m ratusha.content_model.webeditor CONTENT TZ
    print(config_json(editor_config(Path(sys.argv[1]), Path.cwd(), sys.argv[2])))
