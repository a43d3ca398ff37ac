"""Official social accounts: the networks Ratusha knows, and how an account is written.

The municipality's data file and each department's list their accounts the same way,
``{network, url}`` plus, for cross-posting, ``id`` (the chat or community id the
network's API posts to). The site links to them; the departments directory
(``departments/index.json``) publishes them for ``ratusha-crosspost``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SOCIAL_NETWORKS", "account_problems", "normalise_account", "posting_id"]

#: Networks the templates have names for, as residents know them.
SOCIAL_NETWORKS = {"telegram": "Telegram", "vk": "ВКонтакте", "ok": "Одноклассники", "max": "MAX"}
_FIELDS = ("network", "url", "id", "title")


def account_problems(account: Any) -> list[tuple[str, str]]:
    """Return (field, message) for every problem of one account entry."""
    if not isinstance(account, dict) or account.get("network") not in SOCIAL_NETWORKS:
        return [("", f"укажите network: одно из {', '.join(SOCIAL_NETWORKS)} / network must be one of them")]
    problems = []
    if not str(account.get("url", "")).startswith("https://"):
        problems.append(("url", "нужна ссылка https:// / an https:// link is required"))
    for key in account:
        if key not in _FIELDS:
            problems.append((str(key), f"неизвестное поле; допустимы: {', '.join(_FIELDS)} / unknown field"))
    return problems


def normalise_account(account: dict[str, Any]) -> dict[str, str]:
    """Return a checked account as pages and the directory use it: text values, a title by default."""
    entry = {key: str(account[key]).strip() for key in ("network", "url", "id") if account.get(key)}
    entry["title"] = str(account.get("title") or SOCIAL_NETWORKS[entry["network"]])
    return entry


def posting_id(account: dict[str, Any]) -> str:
    """Return the id an API posts to: ``id`` as written, or a Telegram channel's @name from its t.me link."""
    given = str(account.get("id") or "").strip()
    if given or account["network"] != "telegram":
        return given
    url = str(account.get("url", ""))
    for prefix in ("https://t.me/", "https://telegram.me/"):
        if url.startswith(prefix):
            name = url.removeprefix(prefix).strip("/").split("/")[0]
            return f"@{name}" if name and not name.startswith("+") else ""
    return ""
