"""Ratusha cross-posting: each new feed item exactly once to Telegram, VK and OK.

Reads the site's RSS/Atom feeds (a built folder or a URL), posts every new item to each
configured channel once, oldest first, and keeps a durable SQLite state per channel.
The design, the exactly-once argument and the configuration reference are in
docs/crosspost.md; `ratusha-crosspost --help` (or `invoke crosspost --help`) runs it.
"""

__all__ = ["__version__"]

__version__ = "1.0.0"
