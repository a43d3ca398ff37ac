"""Fixtures for the cross-posting tests: the site's feeds, the fake APIs, a config, a runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crosspost_fakes import FAKES, FakeAPI, count_token_checks
from crosspost_site import ENV, Run, Site, write_config
from ratusha.crosspost import cli
from ratusha.crosspost.http import SECRETS


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty site; add items with site.add(1, 2, 3)."""
    return Site(tmp_path / "output")


@pytest.fixture
def fakes() -> Iterator[dict[str, FakeAPI]]:
    """The four fake APIs, stopped after the test."""
    servers = {name: fake() for name, fake in FAKES.items()}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def config(tmp_path: Path, fakes: dict) -> Path:
    """crosspost.yml for the fakes; rewrite it with write_config() to change settings."""
    return write_config(tmp_path, fakes)


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with the fakes' credentials in the environment; token checks are counted."""
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    count_token_checks(monkeypatch)
    yield
    SECRETS.clear()


@pytest.fixture
def run(config: Path, capsys: pytest.CaptureFixture) -> callable:
    """Run the command in this process: run("--dry-run") → Run(code, out, err)."""

    def runner(*args: str) -> Run:
        capsys.readouterr()
        code = cli.main(["--config", str(config), *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return runner
