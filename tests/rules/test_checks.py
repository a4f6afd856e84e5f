"""Tests of the static checks, stratification and ``deniable check``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.errors import Diagnostic, RuleError
from deniable.rules import ast
from deniable.rules.checked import CheckedProgram
from deniable.rules.checks import check
from deniable.rules.parser import parse
from deniable.rules.program import check_files, load_program
from deniable.rules.strata import stratify

DECLS = (
    ".decl e(a: symbol, b: symbol)\n"
    ".decl n(a: symbol, v: number)\n"
    ".decl p(a: symbol)\n"
    ".decl q(a: symbol)\n"
)


def ok(text: str, **options: object) -> CheckedProgram:
    return check(parse(text, "t.dl"), **options)  # type: ignore[arg-type]


def errors(text: str, **options: object) -> list[Diagnostic]:
    with pytest.raises(RuleError) as info:
        check(parse(text, "t.dl"), **options)  # type: ignore[arg-type]
    return info.value.diagnostics


def only_error(text: str, **options: object) -> Diagnostic:
    (diagnostic,) = errors(text, **options)
    return diagnostic


def where(d: Diagnostic) -> tuple[int, int]:
    assert d.location is not None
    return (d.location.line, d.location.column)


def caret(d: Diagnostic) -> str:
    return d.context.split("\n")[1]


# ----------------------------------------------------------------------------- each error code


def test_undeclared_relation_suggests_a_decl_with_inferred_types() -> None:
    d = only_error(
        DECLS + "p(x) :- e(x, _), meets(x, y, k), k > 2, n(y, _).\np(x) :- meets(x, _, _)."
    )
    assert d.code == "undeclared_relation"
    assert d.message == (
        "relation meets is not declared; add .decl meets(x: symbol, y: symbol, k: number)"
    )
    assert where(d) == (5, 18)
    assert caret(d) == " " * 17 + "^^^^^"


def test_undeclared_relation_in_directive() -> None:
    d = only_error(DECLS + ".output missing")
    assert (d.code, where(d)) == ("undeclared_relation", (5, 9))
    assert "relation missing in .output is not declared" in d.message


def test_arity_mismatch() -> None:
    d = only_error(DECLS + 'e("a", "b").\np(x) :- e(x, "b", "c").')
    assert d.code == "arity_mismatch"
    assert d.message == (
        "e takes 2 arguments (declared at line 1) but is used with 3; write e(a, b)"
    )
    assert where(d) == (6, 9)
    assert caret(d) == " " * 8 + "^" * 14


def test_arity_mismatch_with_input_relation() -> None:
    d = only_error(".decl called(a: symbol)\n", inputs={"called": ("symbol", "symbol")})
    assert d.code == "arity_mismatch"
    assert "the fact store provides 2" in d.message


@pytest.mark.parametrize(
    ("rule", "column", "fragment"),
    [
        ('p(x) :- n(x, "ten").', 14, 'argument 2 of n (v) is a number, but "ten" is a symbol'),
        ("p(x) :- n(x, _), e(x, 3).", 23, "argument 2 of e (b) is a symbol, but 3 is a number"),
        ('p(x) :- n(x, v), v = "a".', 18, "cannot compare variable v (a number) with"),
        ("p(x) :- n(x, v), y = x + v, y > 1.", 22, "+ needs numbers but variable x is a symbol"),
        ("p(x) :- n(x, v), y = cat(x, v), e(y, _).", 29, "cat works on symbols but variable v"),
        ("p(x) :- n(x, v), e(x, v).", 23, "variable v is a number (from n argument 2"),
        ("p(v) :- n(_, v).", 3, "argument 1 of p (a) is a symbol, but variable v is a number"),
        ("p(x) :- e(x, _), s = sum y : { e(y, _) }, s > 0.", 26, "sum needs numbers"),
        ('p(x) :- n(x, v), contains(v, "a").', 27, "contains works on symbols"),
        ("p(x) :- n(x, v), strlen(v) > 2.", 25, "strlen works on symbols"),
    ],
)
def test_type_mismatch(rule: str, column: int, fragment: str) -> None:
    d = only_error(DECLS + rule)
    assert d.code == "type_mismatch"
    assert fragment in d.message
    assert where(d) == (5, column)


def test_types_resolve_through_type_declarations() -> None:
    checked = ok(
        ".type Person <: symbol\n.type Id = Person | Org\n.type Org <: symbol\n"
        '.decl knows(a: Person, b: Id, c: number)\nknows("a", "b", 1).'
    )
    info = checked.relations["knows"]
    assert info.types == ("symbol", "symbol", "number")
    assert info.declared_types == ("Person", "Id", "number")
    d = only_error('.type T <: number\n.decl r(x: T)\nr("a").')
    assert d.code == "type_mismatch" and where(d) == (3, 3)


def test_union_of_different_bases_and_unknown_types() -> None:
    found = errors(".type S <: symbol\n.type N <: number\n.type U = S | N\n.decl r(x: Nope)")
    assert [(d.code, where(d)) for d in found] == [
        ("type_mismatch", (3, 1)),
        ("unknown_type", (4, 9)),
    ]


@pytest.mark.parametrize(
    ("rule", "column", "message"),
    [
        (
            "p(x) :- e(y, _).",
            3,
            "variable x in the head of p is not bound in the body; "
            "use it in a positive atom of the body",
        ),
        (
            "p(x) :- e(x, _), !e(x, y).",
            24,
            "variable y occurs in the negation of e but in no positive atom; "
            "bind it in a positive atom or replace it with _",
        ),
        (
            "p(x) :- e(x, _), y < 3.",
            18,
            "variable y in a comparison is not bound; bind it in a positive atom "
            "(or set it with y = <expression of bound variables>)",
        ),
        (
            "p(x) :- n(x, k - 1).",
            14,
            "variable k in an expression argument of n is not bound; arithmetic inside an "
            "atom binds nothing, so bind k in a positive atom first",
        ),
        (
            "p(x) :- e(x, _), k = count : { n(x, v) }, k > m.",
            47,
            "variable m in a comparison is not bound; bind it in a positive atom "
            "(or set it with m = <expression of bound variables>)",
        ),
        (
            "p(x) :- e(x, _), k = sum w : { n(x, _) }, k > 1.",
            26,
            "sum target variable w is not bound inside the aggregate; "
            "use it in an atom of the aggregate body",
        ),
        (
            "p(x) :- k = count : { n(x, _) }, e(y, _), k > 0.",
            3,
            "variable x in the head of p is not bound in the body; "
            "use it in a positive atom of the body",
        ),
        (
            "p(_) :- e(_, _).",
            3,
            "'_' cannot appear in the head of p: every head argument needs a value; "
            "use a variable bound in the body or a constant",
        ),
        (
            'p(x) :- e(x, _), contains(y, "a").',
            27,
            "variable y in contains(...) is not bound; bind it in a positive atom",
        ),
    ],
)
def test_unbound_variable(rule: str, column: int, message: str) -> None:
    d = only_error(DECLS + rule)
    assert d.code == "unbound_variable"
    assert d.message == message
    assert where(d) == (5, column)
    assert caret(d) == " " * (column - 1) + "^"


def test_safe_bindings_are_accepted() -> None:
    ok(
        DECLS
        + 'e("a", "b"). n("a", 1).\n'
        + "q(y) :- e(x, _), y = x, !p(y), !e(y, _).\n"
        + "q(z) :- n(x, v), w = v * 2, u = w + 1, u > 0, z = cat(x, to_string(u)).\n"
        + "p(x) :- e(x, _), k = count : { e(x, y), n(y, _) }, k > 0.\n"
        + "p(x) :- n(x, _), m = max v : { n(_, v) }, n(x, m).\n"
        + "p(x) :- e(x, _), true.\n"
    )


def test_fact_with_variable_is_unbound() -> None:
    d = only_error('.decl called(a: symbol, b: symbol)\ncalled(Putin, "Trump").')
    assert d.code == "unbound_variable"
    assert 'quote it if you mean the symbol: "Putin"' in d.message
    assert where(d) == (2, 8)


def test_cyclic_negation_names_the_cycle() -> None:
    d = only_error(DECLS + "p(x) :- e(x, _), !q(x).\nq(x) :- e(x, _), p(x).")
    assert d.code == "cyclic_negation"
    assert d.message == (
        "q is negated in a rule for p, but q depends on p (q -> p -> q), so the program "
        "cannot be stratified; remove the cycle through the negation"
    )
    assert where(d) == (5, 18)
    assert caret(d) == " " * 17 + "^"


def test_cyclic_aggregate() -> None:
    d = only_error(DECLS + 'n("a", 1).\nn(x, k) :- n(x, _), k = count : { n(_, _) }.')
    assert d.code == "cyclic_aggregate"
    assert where(d) == (6, 35)
    assert "an aggregate over n is used in a rule for n itself" in d.message


def test_all_errors_are_collected_and_sorted() -> None:
    found = errors(DECLS + "p(x) :- e(x).\nq(y) :- e(x, _).\nr(x) :- p(x).\np(x) :- e(x, 1).")
    assert [(d.code, where(d)) for d in found] == [
        ("arity_mismatch", (5, 9)),
        ("unbound_variable", (6, 3)),
        ("undeclared_relation", (7, 1)),
        ("type_mismatch", (8, 14)),
    ]


def test_rule_error_str_is_one_line_per_error() -> None:
    with pytest.raises(RuleError) as info:
        check(parse(DECLS + "p(x) :- e(x).\nq(y) :- e(x, _).", "t.dl"))
    assert str(info.value).split("\n") == [
        "t.dl:5:9: error: e takes 2 arguments (declared at line 1) but is used with 1; "
        "write e(a, b) [arity_mismatch]",
        "t.dl:6:3: error: variable y in the head of q is not bound in the body; "
        "use it in a positive atom of the body [unbound_variable]",
    ]
    assert info.value.code == "arity_mismatch"


def test_duplicate_decl() -> None:
    d = only_error('.decl p(a: symbol)\n.decl p(a: number)\np("x").')
    assert (d.code, where(d)) == ("duplicate_declaration", (2, 7))


# ----------------------------------------------------------------------------- warnings


def test_warnings_do_not_fail() -> None:
    checked = ok(
        '.decl unused(a: symbol)\n.pragma "x" "y"\n'
        + DECLS
        + 'e("a", "b").\np(x) :- e(x, _), !q(x).'
    )
    assert [(w.code, w.severity, where(w)) for w in checked.warnings] == [
        ("unused_relation", "warning", (1, 7)),
        ("pragma_ignored", "warning", (2, 1)),
        ("unused_relation", "warning", (4, 7)),
        ("undefined_relation", "warning", (8, 19)),
    ]
    assert "relation q has no facts or rules and is not an input" in checked.warnings[-1].message
    assert [d.kind for d in checked.directives] == []


def test_input_directive_silences_undefined_relation() -> None:
    checked = ok(DECLS + ".input q\np(x) :- q(x).\n.output p")
    assert [w.code for w in checked.warnings] == ["unused_relation", "unused_relation"]
    assert checked.relations["q"].is_input and not checked.relations["p"].is_input
    assert checked.relations["p"].is_output
    assert [(d.kind, d.rel) for d in checked.directives] == [("input", "q"), ("output", "p")]


# ----------------------------------------------------------------------------- inputs and inference


def test_inputs_count_as_declared_inputs() -> None:
    checked = ok(
        ".decl ally(a: symbol, b: symbol)\nally(a, b) :- met(a, b), !denies(a, b).",
        inputs={"met": (("a", "symbol"), ("b", "symbol")), "denies": ("symbol", "symbol")},
    )
    assert checked.warnings == ()
    met = checked.relations["met"]
    assert (met.attributes, met.types, met.is_input) == (("a", "b"), ("symbol", "symbol"), True)
    assert checked.relations["denies"].attributes == ("c0", "c1")


def test_input_types_may_be_enum_members() -> None:
    from deniable.rules.ast import BaseType

    checked = ok(
        "p(x) :- r(x, 1).", inputs={"r": (BaseType.SYMBOL, BaseType.NUMBER)}, infer_decls=True
    )
    assert checked.relations["r"].types == ("symbol", "number")
    assert checked.relations["p"].types == ("symbol",)


def test_input_types_are_checked() -> None:
    d = only_error(
        ".decl p(a: symbol)\np(x) :- statement(x, _, _, _, _, _, _).",
        inputs={"statement": ("number",) + ("symbol",) * 6},
    )
    assert d.code == "type_mismatch" and where(d) == (2, 3)


def test_infer_decls_propagates_types() -> None:
    checked = ok(
        'q(1, "a").\nr(x) :- q(x, _).\ns(y, z) :- r(y), t(z), z = cat("x", "y").\nt("b").',
        infer_decls=True,
    )
    assert checked.relations["q"].types == ("number", "symbol")
    assert checked.relations["r"].types == ("number",)
    assert checked.relations["s"].types == ("number", "symbol")
    assert checked.relations["q"].attributes == ("c0", "c1")


def test_infer_decls_uses_inputs() -> None:
    checked = ok(
        "p(X) :- edge(X, Y), Y > 2.", inputs={"edge": ("number", "number")}, infer_decls=True
    )
    assert checked.relations["p"].types == ("number",)


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        ("p(X) :- q(Y).", "unbound_variable"),
        ("Ok() :- not Ok().", "cyclic_negation"),
        ("ok(X) :- person(X), not banned(X, Y).", "unbound_variable"),
        ("Ok(_) :- Ok(_).", "unbound_variable"),
        ("Fib(n, x + y) :- Fib(n - 1, x), Fib(n - 2, y), (n <= 25).", "unbound_variable"),
        ("p(X) :- q(X). p(X, Y) :- q(X), q(Y).", "arity_mismatch"),
    ],
)
def test_infer_decls_still_reports_errors(rules: str, code: str) -> None:
    assert errors(rules, infer_decls=True)[0].code == code


def test_infer_decls_accepts_conformance_style_program() -> None:
    checked = ok("AminusB(X) :- A(X), not B(X).", infer_decls=True)
    assert checked.relations["A"].is_input and checked.relations["AminusB"].types == ("symbol",)


# ----------------------------------------------------------------------------- strata


def test_strata_in_evaluation_order() -> None:
    checked = ok(
        DECLS
        + 'e("a", "b").\n'
        + "q(x) :- p(x), !n(x, _).\n"
        + "p(x) :- e(x, _).\np(y) :- p(x), e(x, y).\n"
        + "n(x, k) :- p(x), k = count : { e(x, _) }.\n"
    )
    assert [(s.relations, s.recursive) for s in checked.strata] == [
        (("e",), False),
        (("p",), True),
        (("n",), False),
        (("q",), False),
    ]
    assert [c.index for c in checked.strata[1].clauses] == [2, 3]
    assert checked.idb == ("e", "p", "n", "q")


def test_mutual_recursion_is_one_stratum() -> None:
    program = parse("a(x) :- e(x). a(x) :- b(x). b(x) :- a(x). c(x) :- b(x).")
    strata = stratify(program.clauses)
    assert [(s.relations, s.recursive) for s in strata] == [(("a", "b"), True), (("c",), False)]


def test_deep_dependency_chain_has_no_recursion_limit() -> None:
    # Built as AST values: parsing 3000 rules would only slow the test down.
    x = ast.Var("x")
    clauses = [ast.Clause(ast.Atom("r0", (ast.Num(1),)), (), 0)]
    clauses += [
        ast.Clause(ast.Atom(f"r{i + 1}", (x,)), (ast.Atom(f"r{i}", (x,)),), i + 1)
        for i in range(3000)
    ]
    strata = stratify(clauses)
    assert len(strata) == 3001
    assert strata[0].relations == ("r0",) and strata[-1].relations == ("r3000",)
    cycle = [*clauses[1:], ast.Clause(ast.Atom("r0", (x,)), (ast.Atom("r3000", (x,)),), 3001)]
    (one,) = stratify(cycle)
    assert one.recursive and len(one.relations) == 3001


def test_load_program_and_check_files(tmp_path: Path) -> None:
    (tmp_path / "a.dl").write_text(".decl p(a: symbol)\n.output p\n", "utf-8")
    (tmp_path / "b.dl").write_text("p(x) :- called(x, _).\n", "utf-8")
    checked = check_files([tmp_path / "a.dl", tmp_path / "b.dl"])
    assert checked.relations["called"].is_input
    assert [c.span.path for c in checked.clauses] == [str(tmp_path / "b.dl")]
    with pytest.raises(RuleError) as info:
        load_program([tmp_path / "a.dl", tmp_path / "b.dl"])
    assert info.value.code == "undeclared_relation"


# ----------------------------------------------------------------------------- command line


def test_cli_check_ok_prints_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("r.dl").write_text('.decl lonely(a: symbol)\n.decl p(a: symbol)\np("a").\n', "utf-8")
    assert main(["check", "r.dl"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "r.dl:1:7: warning: relation lonely is declared but never used in a rule or fact; "
        "remove the .decl or use it [unused_relation]\n"
        ".decl lonely(a: symbol)\n"
        "      ^^^^^^\n"
    )
    assert captured.out == "ok: 1 clause in 1 stratum, 1 warning(s)\n"


def test_cli_check_errors_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("r.dl").write_text(".decl p(a: symbol)\np(x) :- p(y).\np(1).\n", "utf-8")
    assert main(["check", "r.dl"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("r.dl:2:3: error: variable x in the head of p")
    assert lines[1:3] == ["p(x) :- p(y).", "  ^"]
    assert lines[3].startswith("r.dl:3:3: error: argument 1 of p (a) is a symbol")


def test_cli_check_subprocess(tmp_path: Path) -> None:
    (tmp_path / "r.dl").write_text("p(x) :- q(x)\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "deniable", "check", "r.dl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("r.dl:1:13: error: missing '.' at the end of the clause")
    assert "Traceback" not in result.stderr


def test_too_deep_ast_is_an_error_not_a_crash() -> None:
    term: ast.Term = ast.Num(1)
    for _ in range(5000):
        term = ast.BinOp("+", term, ast.Num(1))
    x = ast.Var("x")
    clause = ast.Clause(ast.Atom("p", (x,)), (ast.Atom("q", (x,)), ast.Comparison("=", x, term)))
    with pytest.raises(RuleError) as info:
        check(ast.Program(clauses=(clause,)), infer_decls=True)
    assert info.value.code == "too_deep"


def test_undeclared_relation_suggests_a_close_name() -> None:
    d = only_error(".decl contact(a: symbol, b: symbol)\ncontact(a, b) :- contcat(b, a).")
    assert d.message == (
        "relation contcat is not declared; did you mean contact? If not, "
        "add .decl contcat(b: symbol, a: symbol)"
    )
    assert where(d) == (2, 18)
