"""`deniable report` and `deniable graph` from the command line, and the HTML in a real browser."""

from __future__ import annotations

import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from deniable.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _run(
    db: Path, *args: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("DENIABLE_DB", raising=False)
    status = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_report_prints_markdown_without_out(
    desk_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = _run(desk_db, "report", capsys=capsys, monkeypatch=monkeypatch)
    assert (status, err) == (0, "")
    golden = Path(__file__).parent / "golden" / "report" / "brief.md"
    assert out == golden.read_text(encoding="utf-8")


def test_report_and_graph_write_their_files(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for args, name in (
        (("report", "--out"), "brief.html"),
        (("report", "denial_contradicted_by_contact", "--format", "md", "--out"), "brief.txt"),
        (("graph", "--out"), "graph.svg"),
        (("graph", "--out"), "graph.html"),
    ):
        target = tmp_path / name
        status, out, err = _run(desk_db, *args, str(target), capsys=capsys, monkeypatch=monkeypatch)
        assert (status, out, err) == (0, f"wrote {target}\n", "")
        assert target.stat().st_size > 500
    assert (tmp_path / "graph.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert "<!DOCTYPE html>" in (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "## Sources" in (tmp_path / "brief.txt").read_text(encoding="utf-8")
    # Nothing but the files asked for: no scratch file is left beside them.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "brief.html", "brief.txt", "graph.html", "graph.svg",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (("report", "--out", "x.pdf"), 2, "cannot tell the report format"),
        (("graph", "--out", "x.md"), 2, "a graph is written as svg, png or html, not md"),
        (("report", "nonesuch"), 2, "nonesuch is not a derived conclusion"),
        (("report", "--out", "missing/x.md"), 1, "no folder"),
    ],
)
def test_bad_requests_are_one_line(
    desk_db: Path,
    tmp_path: Path,
    args: tuple[str, ...],
    status: int,
    words: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    got, out, err = _run(desk_db, *args, capsys=capsys, monkeypatch=monkeypatch)
    assert (got, out) == (status, "")
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_report_is_refused_and_kept(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "old.md"
    target.write_text("the old brief\n", encoding="utf-8")
    target.chmod(0o444)
    status, _out, err = _run(
        desk_db, "report", "--out", str(target), capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 1 and "read-only" in err
    assert target.read_text(encoding="utf-8") == "the old brief\n"


def test_a_stale_store_is_re_derived_first(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from deniable.facts.review import reject
    from deniable.facts.store import FactStore

    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    with FactStore.open(copy, create=False) as store:
        (call,) = [e for e in store.evidence_for("called", ("Olek Brandt", "Vera Lind"))]
        reject(store, [call.statement_id], reason="unverified", by="editor")
    status, out, err = _run(copy, "report", capsys=capsys, monkeypatch=monkeypatch)
    assert status == 0 and "re-derived the conclusions" in err
    # The rejected call is gone from the brief; the meetings stay.
    assert "40 times" not in out and "reportedly met Olek Brandt" in out


# --------------------------------------------------------------------------- a real browser


def _png_pixels_vary(png: bytes) -> bool:
    """Whether a PNG's image data holds more than one colour (a blank page does not)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    data, pos = b"", 8
    while pos < len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            data += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(data)
    return len(set(raw)) > 16


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install -y chromium; .ci/run installs it)",
)
def test_the_html_brief_in_headless_chromium(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = tmp_path / "brief.html"
    status, _out, _err = _run(
        desk_db, "report", "--out", str(page), capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0
    flags = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,2400",
    ]  # fmt: skip
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    # What the browser built: the graph, its edges, the footnotes, names as text not tags.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="contact-graph"' in dom
    assert dom.count('class="edge ') == 4 and 'class="edge met alleged"' in dom
    assert all(f'id="fn-{n}"' in dom for n in range(1, 7))
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom
    assert "<script" not in dom
    shot = tmp_path / "brief.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120
    )
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert _png_pixels_vary(shot.read_bytes())


# --------------------------------------------------------------------------- --limit


def test_report_limit_says_how_many_of_how_many(
    desk_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, full, err = _run(desk_db, "report", capsys=capsys, monkeypatch=monkeypatch)
    assert status == 0, err
    total = full.count("\n### ")
    assert total == 3 and "findings shown" not in full
    status, out, err = _run(
        desk_db, "report", "--limit", "1", capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0, err
    assert out.count("\n### ") == 1
    assert f"_1 of {total} findings shown (--limit 1)._" in out.splitlines()
    # The first finding is the full brief's first; sections cut short say so, never "None".
    first = full.split("\n### ")[1].split("\n## ")[0]
    assert first in out
    assert "_None._" not in out.split("## Sources")[0] or "_None._" in full
    left = [line for line in out.splitlines() if line.endswith("not shown (--limit)._")]
    assert sum(int(line.strip("_").split()[0]) for line in left) == total - 1
    # Only the footnotes of what is shown.
    assert out.count("[^") < full.count("[^")
    status, out, err = _run(
        desk_db, "report", "--limit", str(total), capsys=capsys, monkeypatch=monkeypatch
    )
    assert (status, out) == (0, full)


def test_report_limit_in_html_and_bad_limits(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = tmp_path / "brief.html"
    args = ("report", "--limit", "2", "--out", str(page))
    assert _run(desk_db, *args, capsys=capsys, monkeypatch=monkeypatch)[0] == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('<article class="finding"') == 2
    assert '<p class="shown"><em>2 of 3 findings shown (--limit 2).</em></p>' in html
    for bad in ("0", "-1", "x"):
        with pytest.raises(SystemExit) as exited:
            main(["--db", str(desk_db), "report", "--limit", bad])
        assert exited.value.code == 2
        assert "--limit" in capsys.readouterr().err


# --------------------------------------------------------------------------- graph as PNG


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install -y chromium; .ci/run installs it)",
)
def test_graph_as_png_is_the_svg_drawn(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re

    png, svg = tmp_path / "graph.png", tmp_path / "graph.svg"
    for target in (png, svg):
        status, out, err = _run(
            desk_db, "graph", "--out", str(target), capsys=capsys, monkeypatch=monkeypatch
        )
        assert (status, out, err) == (0, f"wrote {target}\n", "")
    size = re.search(r'<svg[^>]*width="(\d+)" height="(\d+)"', svg.read_text(encoding="utf-8"))
    assert size is not None
    assert _png_size(png.read_bytes()) == (int(size.group(1)), int(size.group(2)))
    assert _png_pixels_vary(png.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.png", "graph.svg"]


def test_graph_as_png_without_chromium_is_one_line(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DENIABLE_CHROMIUM", "no-such-browser")
    target = tmp_path / "graph.png"
    status, out, err = _run(
        desk_db, "graph", "--out", str(target), capsys=capsys, monkeypatch=monkeypatch
    )
    assert (status, out) == (1, "")
    assert err == (
        f"{target}: error: cannot draw a PNG: no headless Chromium found (install Debian's "
        "chromium package, or name the binary in $DENIABLE_CHROMIUM); --out FILE.svg or "
        "FILE.html needs none\n"
    )
    assert list(tmp_path.iterdir()) == []
    # A browser that draws nothing is one line too, and leaves nothing behind.
    monkeypatch.setenv("DENIABLE_CHROMIUM", "false")
    status, out, err = _run(
        desk_db, "graph", "--out", str(target), capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 1 and err.count("\n") == 1 and "made no picture (exit status 1)" in err
    assert list(tmp_path.iterdir()) == []


def test_export_leaves_rejected_statements_out_unless_asked(
    desk_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from deniable.facts.review import reject
    from deniable.facts.store import FactStore

    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    with FactStore.open(copy, create=False) as store:
        (call,) = store.evidence_for("called", ("Olek Brandt", "Vera Lind"))
        reject(store, [call.statement_id], reason="unverified", by="editor")

    def exported(*flags: str) -> list[dict[str, object]]:
        out = tmp_path / ("all" if flags else "some")
        args = ("export", "--format", "jsonl", "--out", str(out), *flags)
        assert _run(copy, *args, capsys=capsys, monkeypatch=monkeypatch)[0] == 0
        lines = (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    some, every = exported(), exported("--include-rejected")
    assert len(every) == len(some) + 1
    assert [o for o in every if o.get("review") == "rejected"] == [
        o for o in every if o not in some
    ]
    assert not any(o.get("review") == "rejected" for o in some)
