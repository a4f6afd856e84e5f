"""Fuzzing the command line: any article, JSON Lines record or rule text, and never a traceback.

Hypothesis writes arbitrary bytes, arbitrary text and mutations of a real article
as ``.txt``, ``.md``, ``.jsonl`` and ``.html`` files, arbitrary JSON values as JSON
Lines records, and arbitrary and near-miss rule text as a rule file, then runs
``deniable ingest``, ``derive``, ``check`` and ``query`` on a store that already
holds a document and its conclusions.  Only deniable's own outcomes may come out
(exit 0, 1 or 2; no "internal error", no traceback; every line on stderr names a
file or the store), and the document already stored, with its sentences,
statements and conclusions, must be exactly as it was.

``$DENIABLE_FUZZ_EXAMPLES`` (default 20) sets the examples per property.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deniable.cli import main

EXAMPLES = int(os.environ.get("DENIABLE_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

STORED = "Doe and Bell\n\nJane Doe met Marcus Bell in Rome on Monday.\nBell later called Doe.\n"
ARTICLE = (
    "Port chief denies contact\n\n"
    "The Ministry of Ports denied links to Anton Reyes.\n"
    "Anton Reyes reportedly met Lisa Berg, the mayor of Oslo, in March.\n"
)
PAGE = (
    '<html><head><meta charset="utf-8"><title>Reyes and Berg</title></head><body>'
    "<nav>Home | World</nav><article><h1>Reyes and Berg</h1>"
    "<p>Anton Reyes met Lisa Berg in Oslo on Tuesday, officials said.</p></article>"
    "<script>var x = 'Jane Doe met Marcus Bell';</script></body></html>"
)
SEEDS = {".txt": ARTICLE, ".md": "# " + ARTICLE, ".html": PAGE, ".jsonl": ""}


def _mutated(seed: str) -> st.SearchStrategy[bytes]:
    """The seed article with spans replaced by arbitrary bytes, text or nothing."""
    data = seed.encode("utf-8")

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        out = data
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(out)))
            cut = draw(st.integers(0, 40))
            piece = draw(
                st.one_of(
                    st.binary(max_size=20),
                    st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass")),
                    st.sampled_from([b"\x00", b"\xff\xfe", b"\r", b"<", b"&#0;", b"\n" * 5]),
                )
            )
            out = out[:at] + piece + out[at + cut :]
        return out

    return mutate()


def _contents(suffix: str) -> st.SearchStrategy[bytes]:
    texts = st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))
    options = [st.binary(max_size=400), texts]
    if SEEDS[suffix]:
        options.append(_mutated(SEEDS[suffix]))
    return st.one_of(*options)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
_FIELDS = ("id", "title", "text", "url", "date", "outlet", "author")
_records = st.one_of(
    _json,
    st.dictionaries(st.sampled_from(_FIELDS), _json, max_size=7),
    st.fixed_dictionaries(
        {"id": st.text(max_size=20), "text": st.text(max_size=200)},
        optional={k: _json for k in _FIELDS[3:]},
    ),
)


# --------------------------------------------------------------------------- the store


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The stored document, its sentences, statements, sources and the conclusions."""
    conn = sqlite3.connect(db)
    try:
        queries = {
            "documents": "SELECT * FROM documents ORDER BY id",
            "sentences": "SELECT * FROM sentences ORDER BY id",
            "statements": "SELECT * FROM statements ORDER BY id",
            "sources": "SELECT * FROM document_sources ORDER BY id",
            "contact": "SELECT * FROM contact ORDER BY 1, 2",
        }
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "stored.txt").write_text(STORED, encoding="utf-8")
    db = root / "base.db"
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(root / "stored.txt")]) == 0
    assert main(["--db", str(db), "derive"]) == 0
    yield db, _snapshot(db)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    assert "internal error" not in err and "Traceback" not in err, err
    return code, err


def _fresh_store(base: tuple[Path, dict], folder: Path) -> Path:
    db = folder / "store.db"
    shutil.copy(base[0], db)
    return db


def _unchanged(db: Path, base: tuple[Path, dict]) -> None:
    now = _snapshot(db)
    before = base[1]
    # The stored document's rows come first (lowest ids) and stay exactly as they were.
    for table in ("documents", "sentences", "statements", "sources"):
        assert now[table][: len(before[table])] == before[table], table
    assert now["contact"] == before["contact"] or set(before["contact"]) <= set(now["contact"])


# --------------------------------------------------------------------------- articles


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl"])
def test_any_article_file_is_read_or_refused_in_one_line(
    suffix: str, base, work: Path, capsys
) -> None:
    @FUZZ
    @given(data=_contents(suffix))
    def ingest_any(data: bytes) -> None:
        folder = work / "case"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        article = folder / f"fuzz{suffix}"
        article.write_bytes(data)
        db = _fresh_store(base, folder)
        _code, err = _run(["--db", str(db), "ingest", "--jobs", "1", str(article)], capsys)
        for line in err.splitlines():
            assert line.startswith((str(article), str(db))), err
        _unchanged(db, base)

    ingest_any()


def test_any_json_lines_record_is_read_or_refused_in_one_line(base, work: Path, capsys) -> None:
    @FUZZ
    @given(records=st.lists(_records, min_size=1, max_size=4))
    def ingest_records(records: list[object]) -> None:
        folder = work / "case"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / "records.jsonl"
        lines = [json.dumps(r, allow_nan=True) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        db = _fresh_store(base, folder)
        _code, err = _run(["--db", str(db), "ingest", "--jobs", "1", str(path)], capsys)
        for line in err.splitlines():
            assert line.startswith((str(path), str(db))), err
        _unchanged(db, base)

    ingest_records()


# --------------------------------------------------------------------------- rules

_RULE_PIECES = [
    "contact(a, b)", ":-", "met(a, b)", "!", ",", ".", ";", "(", ")", '"x"', "1", "_", "\n",
    ".decl q(a: symbol)", ".output q", "count : { met(_, _) }", "=", "<", "x", "q(x)", "/*", "'",
    "statement(id, p, a, b, m, s)", "#define X", "\\", "é", "\x00",
]  # fmt: skip
_rule_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_RULE_PIECES), max_size=30).map(" ".join),
)


def test_any_rule_file_is_checked_or_refused_in_one_line(base, work: Path, capsys) -> None:
    @FUZZ
    @given(text=_rule_text)
    def derive_any(text: str) -> None:
        folder = work / "case"
        shutil.rmtree(folder, ignore_errors=True)
        rules = folder / "rules"
        rules.mkdir(parents=True)
        (rules / "fuzz.dl").write_text(text, encoding="utf-8", errors="surrogatepass")
        db = _fresh_store(base, folder)
        _run(["check", str(rules / "fuzz.dl")], capsys)
        code, _ = _run(["--db", str(db), "derive", "--rules", str(rules)], capsys)
        if code != 0:
            # A refused program leaves the conclusions of the last derive in place.
            assert _snapshot(db)["contact"] == base[1]["contact"]
        _unchanged(db, base)

    derive_any()


def test_any_query_text_is_answered_or_refused(base, work: Path, capsys) -> None:
    db = _fresh_store(base, work)

    @FUZZ
    @given(text=_rule_text)
    def query_any(text: str) -> None:
        _run(["--db", str(db), "query", "--", text], capsys)
        _run(["--db", str(db), "why", "--", text], capsys)

    query_any()
    _unchanged(db, base)
