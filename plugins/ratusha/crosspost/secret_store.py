"""One secrets file for many tokens: a YAML mapping of variable name to value, mode 600.

A city with hundreds of department accounts cannot export hundreds of environment
variables by hand. A channel names the variable that holds its token (``token_env``, or a
pattern such as ``RATUSHA_VK_TOKEN_{SLUG}``); the value is looked up in the environment
first, then in this file (``secrets_file`` in crosspost.yml). The file is refused when
anyone but its owner can read it, as ssh refuses a private key. ``ratusha-crosspost auth``
writes checked tokens into it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import yaml

__all__ = ["SecretsFileError", "read", "write"]

MODE = 0o600


class SecretsFileError(Exception):
    """The secrets file cannot be used (unreadable, not a mapping, readable by others)."""


def read(path: Path) -> dict[str, str]:
    """Return the file's variables; an absent file has none."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretsFileError(
            f"{path}: readable by others (mode {stat.S_IMODE(info.st_mode):o}); run: chmod 600 {path}"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SecretsFileError(f"{path}: cannot be read as YAML: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise SecretsFileError(f"{path}: must be a mapping of VARIABLE: value")
    return {key: str(value) for key, value in data.items() if value not in (None, "")}


def write(path: Path, name: str, value: str) -> None:
    """Set one variable, keeping the others; the file is replaced atomically, mode 600."""
    data = read(path)
    data[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, MODE)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            yaml.safe_dump(dict(sorted(data.items())), file, allow_unicode=True, default_flow_style=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
