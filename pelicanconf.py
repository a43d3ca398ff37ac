"""Pelican settings for Ratusha. Thin on purpose: behaviour lives in plugins/ and theme/.

The municipality (name, time zone, contacts, social accounts, colours …) is not set here
but read from its data file by the municipality plugin; switch municipalities with the
environment variable RATUSHA_MUNICIPALITY (a path to another data file).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"
# None: content/municipality.yml; a relative path is taken from this folder (plugins/ratusha/municipality).
RATUSHA_MUNICIPALITY = os.environ.get("RATUSHA_MUNICIPALITY")
SITEURL = ""
RELATIVE_URLS = False
DEFAULT_LANG = "ru"
TIMEZONE = "UTC"  # replaced by the municipality's time zone (plugins/municipality)

# Plugins are modules of the ratusha package (plugins/ratusha/), installed by `make`.
PLUGIN_PATHS = []
# Listed explicitly, as the order matters: the core first (it starts each run's build,
# which the others use), then the reader and the municipality, which the content model
# needs. What happens after the pages are written runs in the order the core's finish
# pipeline states (plugins/ratusha/core/pipeline.py), whatever the order here.
PLUGINS = [
    "ratusha.core",
    "ratusha.front_matter",
    "ratusha.municipality",
    "ratusha.ru_dates",
    "ratusha.content_model",
    "ratusha.departments",
    "ratusha.legal_acts",
    "ratusha.listings",
    "ratusha.images",
    "ratusha.feeds",
    "ratusha.structured_data",
    "ratusha.open_data",
    "ratusha.redirects",
    "ratusha.sitemap",
    "ratusha.assets",
    "ratusha.search",
    "ratusha.precompress",
]

# All content is read by the content_model plugin; Pelican's own article and page
# machinery (and its category, tag, author and archive pages) is switched off.
ARTICLE_PATHS = []
PAGE_PATHS = []
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = ARTICLE_URL = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
STATIC_PATHS = ["images", "files"]
# Dates come from front matter only: Pelican would otherwise take a missing date
# silently from a file name such as 2026-11-20-remont.md.
FILENAME_METADATA = ""
READERS = {"html": None, "rst": None}

# Feeds are written by Ratusha's own feed plugin (with feedgen), not by Pelican.
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Directory-style pagination: page 2 of /news/ is /news/page/2/. Pelican's default
# would write page 2 of "otdel-1" to otdel-12.html, over the page of "otdel-12".
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
PAGINATED_TEMPLATES = {
    "news_index": 20,
    "department_news": 20,
    "legal_acts": 30,
    "announcements_archive": 20,
    "answers": 4,
}

# Templates escape every value; only Markdown bodies, already reduced to an allow-list of
# HTML by the front_matter plugin, are inserted as HTML. auto_reload off: a build loads each
# template once (every build, the preview's too, makes a new environment), where Jinja's
# default stats the template's file on every `{% from … import %}` of every page.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
    "extensions": [],
}
# Hosts whose video players may be embedded with <iframe> (none: an embed is an external request).
RATUSHA_EMBED_HOSTS = []

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# The content cache skips re-reading unchanged Markdown; md5, as mtimes are useless on
# a fresh clone.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
# Pelican gzips the whole cache on every build: 1.5 s of a 10-second rebuild at 10,000
# items, to save ~25 MB of disk (bench/PROFILE.md).
GZIP_CACHE = False
CACHE_PATH = "cache"
