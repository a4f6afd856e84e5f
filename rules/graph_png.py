"""The contact graph as a PNG: the SVG drawn by headless Chromium, nothing downloaded.

Chromium is the renderer the HTML brief is already checked in (Debian's
``chromium`` package, which ``.ci/run`` installs), so a PNG looks exactly like the
SVG a browser shows, fonts and all, and deniable needs no native drawing library
of its own.  The SVG is written to a private folder and opened from there with
every network request refused; the screenshot is taken at the SVG's own size.
When no Chromium is found, or it fails, the error is one line saying what to do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from deniable.errors import Location, OutputError

__all__ = ["BROWSER_ENV", "find_chromium", "svg_to_png"]

#: The environment variable naming the Chromium (or Chrome) binary to draw with.
BROWSER_ENV = "DENIABLE_CHROMIUM"
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT = 120
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"')
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def find_chromium() -> str | None:
    """The Chromium binary: ``$DENIABLE_CHROMIUM``, else the first of the usual names on PATH."""
    named = os.environ.get(BROWSER_ENV, "").strip()
    if named:
        return shutil.which(named)
    return next((found for name in _NAMES if (found := shutil.which(name))), None)


def svg_to_png(svg: str, out: Path) -> bytes:
    """Draw the standalone ``svg`` and return the PNG's bytes (``out`` names it in errors).

    Raises:
        OutputError: no Chromium is installed, or it could not draw the picture.
    """
    where = Location(str(out))
    browser = find_chromium()
    if browser is None:
        raise OutputError(
            "cannot draw a PNG: no headless Chromium found (install Debian's chromium package, "
            f"or name the binary in ${BROWSER_ENV}); --out FILE.svg or FILE.html needs none",
            where,
        )
    size = _SIZE.search(svg)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (1200, 900)
    with tempfile.TemporaryDirectory(prefix="deniable-png-") as tmp:
        page = Path(tmp) / "graph.svg"
        page.write_text(svg, encoding="utf-8")
        shot = Path(tmp) / "graph.png"
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            # Nothing is fetched: the SVG is self-contained, and every host resolves nowhere.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--window-size={width},{height}",
            f"--screenshot={shot}",
            page.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"cannot draw a PNG: {browser} did not finish within {_TIMEOUT} s", where
            ) from None
        except OSError as error:
            raise OutputError(
                f"cannot draw a PNG: cannot run {browser}: {error.strerror or error}", where
            ) from None
        data = shot.read_bytes() if shot.is_file() else b""
    if not data.startswith(_PNG_MAGIC):
        said = [line for line in done.stderr.splitlines() if line.strip()]
        why = f": {said[-1].strip()}" if said else f" (exit status {done.returncode})"
        raise OutputError(f"cannot draw a PNG: {browser} made no picture{why}", where)
    return data
