"""Fixtures of the plugins' unit tests, shared with the whole-site tests (``ratusha.testing``)."""

from ratusha.testing import fixture_content, fixture_site

__all__ = ["fixture_content", "fixture_site"]
