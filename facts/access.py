"""Whether deniable may write a file or a folder, and why not, in words.

The operating system's answer (:func:`os.access`) is asked first.  The permission
bits are asked too: an investigator who runs ``chmod a-w`` on a store to protect
it means it, and a process running as root, which the system lets write anyway,
should not override that.  A path that does not exist yet is judged by the
nearest folder above it that does, because that is where it would be created.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["write_blocker"]

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def write_blocker(path: Path) -> str | None:
    """Return why ``path`` cannot be written (or created), or ``None`` when it can."""
    target = path
    while not target.exists():
        parent = target.parent
        if parent == target:
            return f"no folder {path.parent}"
        target = parent
    kind = "folder" if target.is_dir() else "file"
    where = "the file" if target == path and kind == "file" else f"the {kind} {target}"
    try:
        mode = target.stat().st_mode
    except OSError as error:
        return f"cannot look at {where}: {error.strerror or error}"
    if not os.access(target, os.W_OK):
        return f"{where} is read-only (permission denied)"
    if not mode & _WRITE_BITS:
        return f"{where} is read-only (no write permission is set)"
    return None
