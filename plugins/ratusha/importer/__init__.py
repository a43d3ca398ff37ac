"""Ratusha's importer: bring a portal's archive in, with its old addresses still working.

Sources: an RSS or Atom feed (or a folder of saved feeds), a WordPress export (WXR) and a
polite crawl of a site by its sitemap.xml or a list of addresses, read with a layout
configuration (shipped: Gosweb and a typical 1C-Bitrix municipal site). Each item becomes
a Ratusha Markdown file that ``invoke check`` accepts; every source address goes into the
address ledger (content/addresses.txt) so that the build redirects it. docs/import.md
describes the whole; ``ratusha-import --help`` (or ``invoke import --help``) runs it.

It imports only ``ratusha.core``: the front matter is written from the documented format
(docs/content-model.md), and the content check is what proves it right.
"""

__all__ = ["__version__"]

__version__ = "1.0.0"
