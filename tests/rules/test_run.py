"""Tests of ``deniable run PROG.dl -F FACTS -D OUT``: Soufflé's file formats and one-line errors."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.errors import EvaluationError
from deniable.rules.engines.base import Limits
from deniable.rules.program import run_program

TC = """
.decl edge(x: number, y: number)
.input edge
.decl path(x: number, y: number)
.output path
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
"""


def setup(tmp_path: Path, program: str, **facts: str) -> tuple[Path, Path, Path]:
    prog = tmp_path / "prog.dl"
    prog.write_text(program, encoding="utf-8")
    facts_dir = tmp_path / "facts"
    facts_dir.mkdir()
    for name, text in facts.items():
        (facts_dir / name).write_text(text, encoding="utf-8")
    return prog, facts_dir, tmp_path / "out"


def cli(prog: Path, facts_dir: Path, out: Path) -> int:
    return main(["run", str(prog), "-F", str(facts_dir), "-D", str(out)])


def test_run_writes_sorted_tab_separated_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, facts, out = setup(tmp_path, TC, **{"edge.facts": "2\t3\n1\t2\n1\t2\n"})
    assert cli(prog, facts, out) == 0
    assert (out / "path.csv").read_text() == "1\t2\n1\t3\n2\t3\n"
    assert capsys.readouterr().err == ""


def test_missing_facts_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prog, facts, out = setup(tmp_path, TC)
    assert cli(prog, facts, out) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "cannot open fact file" in err and "edge.facts" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1\t2\n3\n", r"edge\.facts:2: error: expected 2 fields .* found 1"),
        ("1\t2\n1\t2\t3\n", r"edge\.facts:2: error: expected 2 fields .* found 3"),
        ("1\t2\nx\t2\n", r"edge\.facts:2: error: cannot convert 'x' in column 1 to number"),
        ("1\t99999999999999999999\n", r"edge\.facts:1: error: cannot convert .* column 2"),
    ],
)
def test_bad_facts_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    prog, facts, out = setup(tmp_path, TC, **{"edge.facts": text})
    assert cli(prog, facts, out) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert re.search(message, err), err


def test_stdout_and_printsize_formats(tmp_path: Path) -> None:
    program = TC.replace(".output path", ".output path(IO=stdout)\n.printsize path")
    prog, facts, out = setup(tmp_path, program, **{"edge.facts": "1\t2\n2\t3\n"})
    buffer = io.StringIO()
    run_program(prog, facts_dir=facts, out_dir=out, stdout=buffer)
    assert buffer.getvalue() == (
        "---------------\npath\n===============\n1\t2\n1\t3\n2\t3\n===============\npath\t3\n"
    )


def test_unsigned_float_and_headers(tmp_path: Path) -> None:
    program = """
    .decl v(u: unsigned, f: float, s: symbol)
    .input v
    .decl w(u: unsigned, f: float, s: symbol)
    .output w(headers=true)
    w(u, f * 2.0, s) :- v(u, f, s).
    """
    prog, facts, out = setup(
        tmp_path, program, **{"v.facts": "0x10\t0.25\ta b\n18446744073709551615\t1e3\tz\n"}
    )
    run_program(prog, facts_dir=facts, out_dir=out, stdout=io.StringIO())
    assert (out / "w.csv").read_text() == ("u\tf\ts\n16\t0.5\ta b\n18446744073709551615\t2000\tz\n")


def test_rfc4180_input(tmp_path: Path) -> None:
    program = """
    .decl q(a: symbol, b: symbol)
    .input q(rfc4180=true)
    .decl r(a: symbol, b: symbol)
    .output r
    r(a, b) :- q(a, b).
    """
    prog, facts, out = setup(tmp_path, program, **{"q.facts": '"x, ""y""",plain\r\n'})
    run_program(prog, facts_dir=facts, out_dir=out, stdout=io.StringIO())
    assert (out / "r.csv").read_text() == 'x, "y"\tplain\n'


def test_runaway_recursion_is_an_error(tmp_path: Path) -> None:
    program = ".decl n(x: number)\n.output n\nn(0).\nn(x + 1) :- n(x).\n"
    prog, facts, out = setup(tmp_path, program)
    with pytest.raises(EvaluationError, match="relation n"):
        run_program(prog, facts_dir=facts, out_dir=out, limits=Limits(max_rounds=100))
    assert not (out / "n.csv").exists()


def test_engine_option_reaches_the_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, facts, out = setup(tmp_path, TC, **{"edge.facts": "1\t2\n"})
    assert main(["run", str(prog), "-F", str(facts), "-D", str(out), "--engine", "sql"]) == 0
    assert (out / "path.csv").read_text() == "1\t2\n"


def test_output_dir_dash_prints_everything(tmp_path: Path) -> None:
    prog, facts, _ = setup(tmp_path, TC, **{"edge.facts": "1\t2\n"})
    buffer = io.StringIO()
    run_program(prog, facts_dir=facts, out_dir=Path("-"), stdout=buffer)
    assert buffer.getvalue() == "---------------\npath\n===============\n1\t2\n===============\n"


def test_unsupported_io_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = TC.replace(".output path", '.output path(IO=sqlite, dbname="x.db")')
    prog, facts, out = setup(tmp_path, program, **{"edge.facts": "1\t2\n"})
    assert cli(prog, facts, out) == 1
    assert "IO=sqlite is not supported" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["sql", "duckdb", "pydatalog"])
def test_a_declared_relation_without_facts_or_rules_is_empty(tmp_path: Path, engine: str) -> None:
    # Soufflé's singleton/existential cases: declared, never filled, read under negation
    program = (
        ".decl a(x: number)\n.decl b(x: number)\n.decl e()\n.decl c(x: number)\n.output c\n"
        "a(1). a(2).\nc(x) :- a(x), !b(x), !e().\n"
    )
    prog, facts, out = setup(tmp_path, program)
    assert main(["run", str(prog), "-F", str(facts), "-D", str(out), "--engine", engine]) == 0
    assert (out / "c.csv").read_text() == "1\n2\n"


HOSTILE = [
    "it's",
    'say "no"',
    "back\\slash",
    "é ☃",
    "  padded ",
    "\\N",
    "NULL",
    "a'); DROP TABLE e;--",
]


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
def test_outputs_keep_hostile_symbols_verbatim(tmp_path: Path, engine: str) -> None:
    # The engine writes the file itself (DuckDB's COPY): nothing may be quoted or escaped.
    program = (
        ".decl e(x: symbol, n: number)\n.input e\n.decl r(x: symbol, n: number)\n.output r\n"
        ".decl none(x: symbol)\n.output none\nr(x, n) :- e(x, n).\nnone(x) :- e(x, 99).\n"
    )
    lines = [f"{s}\t{i}" for i, s in enumerate(HOSTILE)]
    prog, facts, out = setup(tmp_path, program, **{"e.facts": "\n".join(lines) + "\n"})
    out = tmp_path / "it's out"
    assert main(["run", str(prog), "-F", str(facts), "-D", str(out), "--engine", engine]) == 0
    written = (out / "r.csv").read_bytes().decode("utf-8")
    assert written == "".join(f"{line}\n" for line in sorted(lines))
    assert (out / "none.csv").read_text() == ""
    wide = program.replace(".output r\n", '.output r(delimiter="\'::")\n')
    prog.write_text(wide, encoding="utf-8")
    assert main(["run", str(prog), "-F", str(facts), "-D", str(out), "--engine", engine]) == 0
    expected = sorted((s, i) for i, s in enumerate(HOSTILE))
    assert (out / "r.csv").read_text() == "".join(f"{s}'::{i}\n" for s, i in expected)


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
def test_unwritable_output_is_one_line(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, facts, out = setup(tmp_path, TC, **{"edge.facts": "1\t2\n"})
    out.mkdir()
    (out / "path.csv").mkdir()  # a folder where the file should go
    assert main(["run", str(prog), "-F", str(facts), "-D", str(out), "--engine", engine]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write to" in err and "path.csv" in err


def test_sqlite_lines_beyond_the_longest_string_are_written_row_by_row(tmp_path: Path) -> None:
    import sqlite3

    from sqlite_utils import Database

    from deniable.rules.engines.base import SqliteTables

    db = Database(memory=True)
    db.execute("CREATE TABLE t (x TEXT)")
    db.conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i:03}",) for i in range(300)])
    # group_concat of 300 rows is far beyond 1,000 bytes: SQLite refuses, the rows remain.
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    path = tmp_path / "t.csv"
    SqliteTables(db).write_sorted("t", ("x",), "\t", path)
    assert path.read_text() == "".join(f"row {i:03}\n" for i in range(300))


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
def test_input_relations_read_as_columns_keep_set_semantics(tmp_path: Path, engine: str) -> None:
    # DuckDB takes the facts as columns, never through SQLite: an input relation written
    # out, counted, read twice or also derived must give what the SQLite tables give.
    program = (
        ".decl e(x: symbol, n: number)\n.input e\n.output e\n.printsize e\n"
        '.decl f(x: number)\n.input f\n.input f(filename="more.facts")\n.output f\n'
        ".decl g(x: number)\n.input g\n.output g\ng(n + 1) :- e(_, n), n < 3.\n"
        ".decl c(k: number)\n.output c\nc(k) :- k = count : { e(_, _) }.\n"
    )
    prog, facts, out = setup(
        tmp_path,
        program,
        **{
            "e.facts": "a\t1\nb\t2\na\t1\nb\t2\nc\t3\n",
            "f.facts": "1\n2\n2\n",
            "more.facts": "2\n3\n",
            "g.facts": "2\n9\n",
        },
    )
    stdout = io.StringIO()
    run_program(prog, facts_dir=facts, out_dir=out, engine=engine, stdout=stdout)
    assert (out / "e.csv").read_text() == "a\t1\nb\t2\nc\t3\n"
    assert stdout.getvalue() == "e\t3\n"
    assert (out / "f.csv").read_text() == "1\n2\n3\n"
    assert (out / "g.csv").read_text() == "2\n3\n9\n"
    assert (out / "c.csv").read_text() == "3\n"
