"""The small core every Ratusha plugin may use, and the only thing plugins share.

- :mod:`.errors`: ``ContentError`` (file, line, field, message) and ``BuildStopped``;
- :mod:`.data`: reading UTF-8 files and YAML that remembers each field's line;
- :mod:`.slugs`, :mod:`.text`, :mod:`.dates`: Latin slugs, plain text, Russian dates;
- :mod:`.files`: links into the previous output, memos by file version;
- :mod:`.listing`: the base of generators that write list pages;
- :mod:`.sections`, :mod:`.acts`, :mod:`.site`: the section table, act statuses and the
  public address, each fact in one place;
- :mod:`.build`, :mod:`.fingerprints`, :mod:`.output`: one run's services (passed to
  generators through the context), page fingerprints, the staging folder and the swap;
- :mod:`.pipeline`: the named steps after Pelican writes, in one stated order;
- :mod:`.settings`: each plugin's settings with their defaults in one dict.

A plugin imports from here, never from another plugin. As a Pelican plugin
(``ratusha.core``, first in PLUGINS) the core starts each run and finishes it.
"""

from .plugin import register
from .settings import DEFAULTS

__all__ = ["DEFAULTS", "register"]
