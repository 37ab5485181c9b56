"""Reading a user's text file (a scenario, a grid, a log) with one clear message when it cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ScenarioError


def read_text_file(path: str | os.PathLike, what: str = "file") -> str:
    """The text of a file, or one clear :class:`ScenarioError` saying why it cannot be read.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order
    mark (what Windows Notepad saves as "Unicode") are read; a folder, a
    missing or unreadable file and a binary file are refused by name.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder; expected a {what}") from None
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except PermissionError:
        raise ScenarioError(f"{path}: not allowed to read this file") from None
    except OSError as err:
        raise ScenarioError(f"{path}: cannot be read ({err.strerror or err})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        if b"\x00" in data:
            raise ScenarioError(f"{path}: is not a text file; expected a {what}")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ScenarioError(f"{path}: is not UTF-8 or UTF-16 text (a byte that cannot be decoded at position "
                            f"{err.start}); save it as UTF-8") from None
