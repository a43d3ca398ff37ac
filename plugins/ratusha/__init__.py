"""Ratusha: a static-site CMS for the official portals of municipalities, on Pelican.

One package: the Pelican plugins (``ratusha.<plugin>``, listed in pelicanconf.py's
PLUGINS), the small core they share (``ratusha.core``), cross-posting
(``ratusha.crosspost``) and publishing (``ratusha.publish``). ``pip install -e .``
(which ``make`` runs) makes it importable; nothing edits ``sys.path``.
"""
