"""`ratusha-crosspost auth NETWORK`: the steps, a token checked with the network before it is stored."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
import yaml

from crosspost_fakes import (
    ACCOUNTS,
    FAKES,
    MAX_TOKEN,
    OK_APP_KEY,
    OK_SECRET,
    OK_TOKEN,
    TELEGRAM_TOKEN,
    VK_COMMUNITY_KEY,
    VK_TOKEN,
)
from ratusha.crosspost import auth, secret_store
from ratusha.crosspost.http import SECRETS


@pytest.fixture
def setup(tmp_path, monkeypatch, capsys):
    """A config with one channel per network at the fakes; run(network, typed) → (code, out, err, file)."""
    fakes = {network: make() for network, make in FAKES.items()}
    channels = {
        network: {"type": network, "feeds": ["rss.xml"], "api_base": fake.url, "timeout": 0.6, "backoff": 0.01,
                  "retries": 2, **ACCOUNTS[network]}
        for network, fake in fakes.items()
    }  # fmt: skip
    config = tmp_path / "crosspost.yml"
    config.write_text(yaml.safe_dump({"channels": channels}), encoding="utf-8")
    secrets = tmp_path / "secrets" / "crosspost-secrets.yml"
    for variable in ("RATUSHA_TELEGRAM_TOKEN", "RATUSHA_VK_TOKEN", "RATUSHA_OK_TOKEN", "RATUSHA_MAX_TOKEN"):
        monkeypatch.delenv(variable, raising=False)

    def run(network: str, typed: str, *extra: str) -> tuple[int, str, str, Path]:
        capsys.readouterr()
        argv = [network, "--config", str(config), "--secrets-file", str(secrets), *extra]
        code = auth.main(argv, stdin=io.StringIO(typed), out=None)
        captured = capsys.readouterr()
        return code, captured.out, captured.err, secrets

    yield run, fakes
    for fake in fakes.values():
        fake.stop()
    SECRETS.clear()


def test_telegram_token_is_checked_then_stored_mode_600(setup):
    run, _ = setup
    code, out, err, path = run("telegram", TELEGRAM_TOKEN + "\n")
    assert code == 0, err
    assert "@BotFather" in out and "Post messages" in out
    assert "checked: telegram: bot @test_admin_bot (administrator of channel" in out
    assert secret_store.read(path) == {"RATUSHA_TELEGRAM_TOKEN": TELEGRAM_TOKEN}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert TELEGRAM_TOKEN not in out + err


def test_vk_prints_the_oauth_address_and_takes_the_token_from_the_pasted_redirect(setup):
    run, _ = setup
    redirect = f"https://oauth.vk.com/blank.html#access_token={VK_TOKEN}&expires_in=0&user_id=743784474"
    code, out, err, path = run("vk", redirect + "\n", "--app-id", "51234567")
    assert code == 0, err
    assert "https://oauth.vk.com/authorize?client_id=51234567" in out
    assert "scope=wall,photos,offline" in out and "response_type=token" in out
    assert "checked: vk: user Иван Петров" in out and "administrator of club1001" in out
    assert secret_store.read(path) == {"RATUSHA_VK_TOKEN": VK_TOKEN}


def test_vk_community_key_is_refused_and_not_stored(setup):
    run, _ = setup
    code, out, err, path = run("vk", VK_COMMUNITY_KEY + "\n")
    assert code == 2
    assert "community key" in err and "user access token" in err
    assert not path.exists()
    assert VK_COMMUNITY_KEY not in out + err


@pytest.mark.parametrize("network", ["telegram", "vk", "ok", "max"])
def test_an_invalid_token_is_refused_and_not_stored(setup, network):
    run, _ = setup
    code, _, err, path = run(network, "not-a-real-token-5678\n")
    assert code == 2
    assert "refused, nothing stored" in err
    assert not path.exists()


def test_ok_asks_for_the_application_keys_when_they_are_not_set(setup, monkeypatch):
    run, _ = setup
    monkeypatch.delenv("RATUSHA_OK_APPLICATION_KEY")
    monkeypatch.delenv("RATUSHA_OK_SECRET_KEY")
    redirect = f"https://apiok.ru/oauth_callback#access_token={OK_TOKEN}&session_secret_key=x&expires_in=2592000"
    code, out, err, path = run("ok", f"{redirect}\n{OK_APP_KEY}\n{OK_SECRET}\n", "--app-id", "512000")
    assert code == 0, err
    assert "GROUP_CONTENT" in out and "LONG_ACCESS_TOKEN" in out
    assert "connect.ok.ru/oauth/authorize?client_id=512000" in out
    assert secret_store.read(path) == {
        "RATUSHA_OK_TOKEN": OK_TOKEN,
        "RATUSHA_OK_APPLICATION_KEY": OK_APP_KEY,
        "RATUSHA_OK_SECRET_KEY": OK_SECRET,
    }


def test_max_token_stored_and_other_tokens_kept(setup):
    run, _ = setup
    assert run("telegram", TELEGRAM_TOKEN + "\n")[0] == 0
    code, out, err, path = run("max", MAX_TOKEN + "\n")
    assert code == 0, err
    assert "business.max.ru" in out and "checked: max: bot @severogorsk_bot" in out
    assert secret_store.read(path) == {"RATUSHA_TELEGRAM_TOKEN": TELEGRAM_TOKEN, "RATUSHA_MAX_TOKEN": MAX_TOKEN}


def test_max_bot_without_rights_is_refused(setup):
    run, fakes = setup
    fakes["max"].is_admin = False
    code, _, err, path = run("max", MAX_TOKEN + "\n")
    assert code == 2 and "right to write" in err and not path.exists()


def test_an_unreachable_network_stores_nothing_and_exits_1(setup):
    run, fakes = setup
    fakes["telegram"].stop()
    code, _, err, path = run("telegram", TELEGRAM_TOKEN + "\n")
    assert code == 1 and "could not check" in err and not path.exists()


def test_unknown_channel_and_missing_secrets_file_are_configuration_errors(setup, tmp_path, capsys):
    run, _ = setup
    code, _, err, _ = run("vk", VK_TOKEN + "\n", "--channel", "nope")
    assert code == 2 and "not a vk channel" in err
    capsys.readouterr()
    code = auth.main(["vk", "--config", str(tmp_path / "crosspost.yml")], stdin=io.StringIO(VK_TOKEN + "\n"))
    assert code == 2 and "set secrets_file" in capsys.readouterr().err
