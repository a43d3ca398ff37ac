"""The small core every Ratusha plugin may use, and the only thing plugins share.

- :mod:`.errors`: ``ContentError`` (file, line, field, message) and ``BuildStopped``;
- :mod:`.data`: reading UTF-8 files and YAML that remembers each field's line;
- :mod:`.slugs`, :mod:`.text`, :mod:`.dates`: Latin slugs, plain text, Russian dates;
- :mod:`.files`: links into the previous output, memos by file version;
- :mod:`.listing`: the base of generators that write list pages.

A plugin imports from here, never from another plugin.
"""

from .plugin import register

__all__ = ["register"]
