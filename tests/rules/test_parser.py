"""Tests of the rule parser: every construct of the language, spans, preprocessing, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from deniable.errors import DeniableError, InputError, RuleError
from deniable.rules import ast
from deniable.rules.parser import parse, parse_atom, parse_file, parse_files, quote_string


def one_clause(text: str) -> ast.Clause:
    (clause,) = parse(text).clauses
    return clause


def body(text: str) -> tuple[ast.Literal, ...]:
    return one_clause(text).body


def value(text: str) -> ast.Term:
    """The right-hand side of ``h(x) :- x = <text>.``."""
    (comparison,) = body(f"h(x) :- x = {text}.")
    assert isinstance(comparison, ast.Comparison)
    return comparison.right


def syntax_error(text: str, path: str = "f.dl") -> RuleError:
    with pytest.raises(RuleError) as info:
        parse(text, path)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "syntax_error"
    return info.value


# ----------------------------------------------------------------------------- declarations


def test_decl_with_types_qualifiers_and_nullary() -> None:
    program = parse(
        ".decl edge(from: symbol, to: symbol, w: number) btree\n"
        ".decl f(x: float, u: unsigned) brie\n"
        ".decl flag()\n"
        ".decl a, b(x: Name)\n"
    )
    assert [d.name for d in program.decls] == ["edge", "f", "flag", "a", "b"]
    edge = program.decls[0]
    assert [(a.name, a.type) for a in edge.attributes] == [
        ("from", "symbol"),
        ("to", "symbol"),
        ("w", "number"),
    ]
    assert program.decls[2].arity == 0
    assert program.decls[4].attributes[0].type == "Name"
    assert edge.span.line == 1 and edge.span.column == 7


def test_eqrel_is_refused_clearly() -> None:
    error = syntax_error(".decl same(a: symbol, b: symbol) eqrel")
    assert "eqrel relations are not supported" in error.message
    assert (error.location.line, error.location.column) == (1, 34)


def test_duplicate_attribute_is_an_error() -> None:
    error = syntax_error(".decl p(x: number, x: symbol)")
    assert "attribute x is declared twice" in error.message


def test_type_declarations() -> None:
    program = parse(".type Person <: symbol\n.type Id = Person | Org\n.type N <: number")
    assert [(t.name, t.bases) for t in program.types] == [
        ("Person", ("symbol",)),
        ("Id", ("Person", "Org")),
        ("N", ("number",)),
    ]


def test_io_directives_with_parameters_and_several_relations() -> None:
    program = parse(
        '.input e(IO=file, filename="e.facts", delimiter="\\t")\n'
        ".output a, b\n.output c()\n.printsize d\n.output s(IO=stdout)"
    )
    kinds = [(d.kind, d.rel) for d in program.directives]
    assert kinds == [
        ("input", "e"),
        ("output", "a"),
        ("output", "b"),
        ("output", "c"),
        ("printsize", "d"),
        ("output", "s"),
    ]
    first = program.directives[0]
    assert first.param("filename") == "e.facts"
    assert first.param("delimiter") == "\t"
    assert first.param("IO") == "file"
    assert program.directives[-1].param("IO") == "stdout"
    assert program.directives[2].params == ()


def test_pragma_becomes_a_pragma_directive() -> None:
    (directive,) = parse('.pragma "magic-transform" "*"').directives
    assert directive.kind == "pragma"
    assert directive.params == (("magic-transform", "*"),)


@pytest.mark.parametrize("directive", [".comp", ".functor", ".init", ".plan", ".limitsize"])
def test_unsupported_directive_named(directive: str) -> None:
    error = syntax_error(f"p(1).\n{directive} Foo {{ }}\n")
    assert f"unsupported directive {directive}" in error.message
    assert (error.location.line, error.location.column) == (2, 1)


# ----------------------------------------------------------------------------- clauses


def test_fact_and_rule_with_positions_and_text() -> None:
    program = parse('e("a", 1).\n\np(x, y) :-\n    e(x, z),\n    e(z, y).\n', "r.dl")
    fact, rule = program.clauses
    assert fact.is_fact and fact.head == ast.Atom("e", (ast.Str("a"), ast.Num(1)))
    assert rule.index == 1
    assert rule.text == "p(x, y) :-\n    e(x, z),\n    e(z, y)."
    assert (rule.span.line, rule.span.column, rule.span.end_column) == (3, 1, 8)
    assert (rule.origin.line, rule.origin.end_line) == (3, 5)
    second = rule.body[1]
    assert isinstance(second, ast.Atom)
    assert (second.span.path, second.span.line, second.span.column) == ("r.dl", 5, 5)
    assert rule.body[0].args[1].span.column == 10  # type: ignore[union-attr]


def test_nullary_atoms() -> None:
    clause = one_clause("flag() :- e(_), !other().")
    assert clause.head == ast.Atom("flag", ())
    assert clause.body[1] == ast.Negation(ast.Atom("other", ()))


def test_disjunction_expands_in_dnf_order_keeping_origin() -> None:
    program = parse("p(x) :- a(x), (b(x) ; c(x)), (d(x) ; e(x)).\nq(1).")
    rels = [[lit.rel for lit in c.body] for c in program.clauses[:4]]  # type: ignore[union-attr]
    assert rels == [
        ["a", "b", "d"],
        ["a", "b", "e"],
        ["a", "c", "d"],
        ["a", "c", "e"],
    ]
    assert [c.index for c in program.clauses] == [0, 1, 2, 3, 4]
    assert {c.origin for c in program.clauses[:4]} == {program.clauses[0].origin}
    assert program.clauses[3].text == "p(x) :- a(x), (b(x) ; c(x)), (d(x) ; e(x))."


def test_top_level_disjunction_and_several_heads() -> None:
    program = parse("a(x), b(x) :- c(x) ; d(x).")
    pairs = [(c.head.rel, c.body[0].rel) for c in program.clauses]  # type: ignore[union-attr]
    assert pairs == [("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")]
    assert program.clauses[2].span.column == 7  # the head b(x)


def test_negation_both_spellings_and_constraints() -> None:
    literals = body('h(x) :- e(x), !f(x), not g(x, _), contains("a", x), !match("a.*", x).')
    assert literals[1] == ast.Negation(ast.Atom("f", (ast.Var("x"),)))
    assert literals[2] == ast.Negation(ast.Atom("g", (ast.Var("x"), ast.Wildcard())))
    assert literals[3] == ast.Constraint("contains", (ast.Str("a"), ast.Var("x")))
    assert literals[4] == ast.Constraint("match", (ast.Str("a.*"), ast.Var("x")), negated=True)


def test_true_false_and_comparisons() -> None:
    literals = body("h(x) :- e(x), true, x != 1, x < 2, x <= 3, x > 4, x >= 5, x = 6, false.")
    assert literals[1] == ast.BoolLit(True) and literals[-1] == ast.BoolLit(False)
    assert [c.op for c in literals[2:-1]] == ["!=", "<", "<=", ">", ">=", "="]  # type: ignore[union-attr]


def test_arithmetic_precedence_and_power_right_associative() -> None:
    assert value("1 + 2 * 3") == ast.BinOp("+", ast.Num(1), ast.BinOp("*", ast.Num(2), ast.Num(3)))
    assert value("2 ^ 3 ^ 2") == ast.BinOp("^", ast.Num(2), ast.BinOp("^", ast.Num(3), ast.Num(2)))
    assert value("(1 + 2) % 3") == ast.BinOp(
        "%", ast.BinOp("+", ast.Num(1), ast.Num(2)), ast.Num(3)
    )
    assert value("10 - 2 - 3") == ast.BinOp(
        "-", ast.BinOp("-", ast.Num(10), ast.Num(2)), ast.Num(3)
    )


def test_bitwise_and_logical_operators() -> None:
    assert value("1 bor 2 band 3") == ast.BinOp(
        "bor", ast.Num(1), ast.BinOp("band", ast.Num(2), ast.Num(3))
    )
    assert value("1 bshl 2 + 1") == ast.BinOp(
        "bshl", ast.Num(1), ast.BinOp("+", ast.Num(2), ast.Num(1))
    )
    for op in ("bxor", "bshr", "bshru", "land", "lor"):
        assert value(f"1 {op} 2") == ast.BinOp(op, ast.Num(1), ast.Num(2))
    assert value("bnot 1") == ast.UnOp("bnot", ast.Num(1))
    assert value("lnot y") == ast.UnOp("lnot", ast.Var("y"))
    assert value("-y") == ast.UnOp("-", ast.Var("y"))


def test_functors() -> None:
    assert value('cat("a", y, "b")') == ast.Call("cat", (ast.Str("a"), ast.Var("y"), ast.Str("b")))
    assert value("strlen(y)") == ast.Call("strlen", (ast.Var("y"),))
    assert value("substr(y, 0, 2)") == ast.Call("substr", (ast.Var("y"), ast.Num(0), ast.Num(2)))
    assert value("min(1, y, 3)") == ast.Call("min", (ast.Num(1), ast.Var("y"), ast.Num(3)))
    assert value("max(y, 2)") == ast.Call("max", (ast.Var("y"), ast.Num(2)))
    for name in ("ord", "to_string", "to_number"):
        assert value(f"{name}(y)") == ast.Call(name, (ast.Var("y"),))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("h(x) :- x = foo(1).", "unknown functor foo"),
        ("h(x) :- x = strlen(1, 2).", "strlen takes 1 argument(s), got 2"),
        ('h(x) :- x = contains("a", "b").', "contains(...) is a condition, not a value"),
        ("h(x) :- e(x), strlen(x).", "strlen(...) is a value, not a condition"),
        ('h(x) :- e(x), contains("a").', "contains takes 2 arguments, got 1"),
    ],
)
def test_functor_misuse(text: str, message: str) -> None:
    assert message in syntax_error(text).message


def test_aggregates_with_and_without_braces() -> None:
    literals = body(
        "h(n, s, a, b, m) :- n = count : { e(_, _) }, s = sum y : { e(_, y) },"
        " a = min y : e(_, y), b = max y : { e(_, y), y > 1 }, m = mean y : e(_, y)."
    )
    aggs = [lit.right for lit in literals]  # type: ignore[union-attr]
    assert aggs[0] == ast.Aggregate(
        "count", None, (ast.Atom("e", (ast.Wildcard(), ast.Wildcard())),)
    )
    assert [a.func for a in aggs] == ["count", "sum", "min", "max", "mean"]
    assert aggs[1].target == ast.Var("y")
    assert len(aggs[3].body) == 2
    assert aggs[2].body == (ast.Atom("e", (ast.Wildcard(), ast.Var("y"))),)


def test_disjunction_inside_aggregate_is_refused() -> None:
    error = syntax_error("h(n) :- n = count : { e(_) ; f(_) }.")
    assert "disjunction inside an aggregate" in error.message


def test_comments_are_ignored() -> None:
    program = parse("// line\np(1). /* block\n p(2). */ p(3). // tail\n")
    assert [c.head.args[0] for c in program.clauses] == [ast.Num(1), ast.Num(3)]


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("42", 42),
        ("0x1F", 31),
        ("0b101", 5),
        ("7u", 7),
        ("0xffu", 255),
        ("1.5", 1.5),
        ("2.5e3", 2500.0),
        ("-3", -3),
        ("-0x10", -16),
        ("-1.25", -1.25),
    ],
)
def test_number_literals(literal: str, expected: float) -> None:
    (arg,) = one_clause(f"p({literal}).").head.args
    assert arg == ast.Num(expected)
    assert type(arg.value) is type(expected)  # type: ignore[union-attr]
    # The same literal inside a rule (not the fast fact path) parses the same.
    (rule_arg,) = one_clause(f"p({literal}) :- q(1).").head.args
    assert rule_arg == ast.Num(expected)


def test_variables_of_any_case_and_question_mark() -> None:
    head = one_clause("p(X, x, ?y, _a, Abc1) :- q(X, x, ?y, _a, Abc1).").head
    assert [a.name for a in head.args] == ["X", "x", "?y", "_a", "Abc1"]  # type: ignore[union-attr]


def test_relation_names_that_look_like_keywords_prefixes() -> None:
    program = parse("counter(1). notable(x) :- counter(x). summary(x) :- notable(x).")
    assert [c.head.rel for c in program.clauses] == ["counter", "notable", "summary"]


# ----------------------------------------------------------------------------- strings


HOSTILE = [
    'say "hi"',
    "back\\slash",
    "semi; colon -- dash",
    "new\nline\ttab\rcr",
    "nul\0byte",
    "Пригожин ✓ 北京",
    "x" * 10_000,
    "",
    "'; DROP TABLE facts; --",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_round_trip(text: str) -> None:
    literal = quote_string(text)
    assert one_clause(f"p({literal}).").head.args == (ast.Str(text),)
    assert one_clause(f"p(x) :- q(x), x = {literal}.").body[1].right == ast.Str(text)  # type: ignore[union-attr]
    assert parse_atom(f"p({literal}, y)").args[0] == ast.Str(text)


def test_escapes() -> None:
    (arg,) = one_clause('p("a\\"b\\\\c\\nd\\te\\u00e9").').head.args
    assert arg == ast.Str('a"b\\c\nd\te\u00e9')


def test_unknown_escape_is_an_error() -> None:
    error = syntax_error('p("a\\qb").')
    assert "unknown escape \\q" in error.message
    assert (error.location.line, error.location.column) == (1, 3)


# ----------------------------------------------------------------------------- query atoms


@pytest.mark.parametrize(
    "text",
    [
        'contact("Yevgeny Prigozhin", x)',
        '?- contact("Yevgeny Prigozhin", x).',
        ' contact("Yevgeny Prigozhin",x) .',
    ],
)
def test_parse_atom(text: str) -> None:
    atom = parse_atom(text)
    assert atom == ast.Atom("contact", (ast.Str("Yevgeny Prigozhin"), ast.Var("x")))
    assert atom.span.path == "<query>"


def test_parse_atom_errors_name_the_column() -> None:
    with pytest.raises(RuleError) as info:
        parse_atom('contact("a", x')
    assert info.value.location is not None and info.value.location.column == 15
    with pytest.raises(RuleError) as info:
        parse_atom("a(x), b(x)")
    assert info.value.code == "syntax_error"
    with pytest.raises(RuleError, match="condition, not a relation"):
        parse_atom('contains("a", x)')


# ----------------------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "caret"),
    [
        ("p(x) :- q(x)", 1, 13, "missing '.' at the end of the clause", "            ^"),
        ("q(1).\np(x) :- q(x)\np(2).", 2, 13, "missing '.' at the end", "            ^"),
        ("p(x :- q(x).", 1, 5, "unbalanced parenthesis: a '(' is not closed", "    ^"),
        ("p(x) :- q(x)).", 1, 13, "a ')' has no matching '('", "            ^"),
        ("p(x) :- .", 1, 9, "':-' must be followed by a body", "        ^"),
        ('p("abc) :- q(x).', 1, 3, "unterminated string", "  ^"),
        ("p(x y) :- q(x).", 1, 5, "missing ',' between arguments", "    ^"),
        ("p(x) :- q(x) !r(x).", 1, 14, "missing ',' between body literals", "             ^"),
        (".decl p(x)", 1, 10, "malformed .decl", "         ^"),
        (".type T", 1, 8, "malformed .type", "       ^"),
        (".output", 1, 8, "malformed I/O directive", "       ^"),
        ("p(n) :- n = count { q(_) }.", 1, 19, "an aggregate needs ':'", "                  ^"),
        ("p.", 1, 2, "a relation name must be followed by '('", " ^"),
        (
            "p(x) :- q(x), x < .",
            1,
            19,
            "a comparison needs a right-hand side",
            "                  ^",
        ),
        ("p(x) :- q(x, ).", 1, 14, "expected an argument", "             ^"),
        ("/* open\np(1).", 1, 1, "unterminated /* comment", "^"),
        ("@f(x).", 1, 1, "user-defined functors", "^"),
        ("#ifdef X\np(1).", 1, 1, "unsupported preprocessor line #ifdef", "^"),
        ("a.b(1).", 1, 2, "qualified names such as a.b", " ^"),
        ("p(x) :- q(x), .", 1, 15, "must be followed by another literal", " " * 14 + "^"),
        ("p(x) :- q(x), x == 1.", 1, 18, "use = for equality", " " * 17 + "^"),
        ("p(x) :- q(x), !(x = 1).", 1, 16, "negation applies to an atom", " " * 15 + "^"),
        ("p(x) :- q(x), x = max(1).", 1, 25, "min and max as functors take two", " " * 24 + "^"),
        ("p(x) :- q.r(x).", 1, 10, "qualified names such as a.b", "         ^"),
        ("p([1, 2]).", 1, 3, "records and lists ([...]) are not supported", "  ^"),
        (".decl p(x: number)\n.init q = Q", 2, 1, "unsupported directive .init", "^"),
    ],
)
def test_named_syntax_errors(text: str, line: int, column: int, message: str, caret: str) -> None:
    error = syntax_error(text)
    (diagnostic,) = error.diagnostics
    assert message in diagnostic.message
    assert diagnostic.location is not None
    assert (diagnostic.location.path, diagnostic.location.line, diagnostic.location.column) == (
        "f.dl",
        line,
        column,
    )
    assert diagnostic.context.split("\n")[1].startswith(caret)
    assert str(error).startswith(f"f.dl:{line}:{column}: error: ")
    assert "\n" not in str(error)


def test_syntax_error_message_names_the_found_token() -> None:
    error = syntax_error("p(x) :- q(x) r(x).")
    assert "(found 'r')" in error.message


def test_empty_and_comment_only_programs_parse() -> None:
    assert parse("") == ast.Program(sources=("<string>",))
    assert parse("// nothing\n/* at all */\n").clauses == ()


# ----------------------------------------------------------------------------- files


def test_include_define_and_real_spans(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "base.dl").write_text(
        "#define LIMIT 3\n.decl e(a: number)\ne(1).\ne(LIMIT).\n", "utf-8"
    )
    (tmp_path / "main.dl").write_text(
        '#include "lib/base.dl"\n'
        "#define BIG LIMIT * 2\n"
        'p(x) :- e(x), x < BIG, x != LIMITED, "LIMIT" != "x".\n'
        ".decl p(a: number)\n",
        "utf-8",
    )
    program = parse_file(tmp_path / "main.dl")
    assert program.sources == (str(tmp_path / "main.dl"), str(tmp_path / "lib" / "base.dl"))
    facts = program.clauses[:2]
    assert [f.head.args[0] for f in facts] == [ast.Num(1), ast.Num(3)]
    assert facts[1].span.path == str(tmp_path / "lib" / "base.dl")
    assert facts[1].span.line == 4
    rule = program.clauses[2]
    assert rule.span.path == str(tmp_path / "main.dl") and rule.span.line == 3
    less = rule.body[1]
    assert less.right == ast.BinOp("*", ast.Num(3), ast.Num(2))  # type: ignore[union-attr]
    assert rule.body[2].right == ast.Var("LIMITED")  # type: ignore[union-attr]
    assert rule.body[3].left == ast.Str("LIMIT")  # type: ignore[union-attr]
    assert [d.name for d in program.decls] == ["e", "p"]


def test_include_order_is_program_order(tmp_path: Path) -> None:
    (tmp_path / "b.dl").write_text("b(1).\n", "utf-8")
    (tmp_path / "a.dl").write_text('a(1).\n#include "b.dl"\nc(1).\n', "utf-8")
    program = parse_file(tmp_path / "a.dl")
    assert [(c.head.rel, c.index, c.span.line) for c in program.clauses] == [
        ("a", 0, 1),
        ("b", 1, 1),
        ("c", 2, 3),
    ]


def test_missing_include_has_a_location(tmp_path: Path) -> None:
    (tmp_path / "a.dl").write_text('p(1).\n  #include "nope.dl"\n', "utf-8")
    with pytest.raises(RuleError) as info:
        parse_file(tmp_path / "a.dl")
    error = info.value
    assert error.code == "include_error"
    assert "cannot find included file" in error.message and "nope.dl" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 3)


def test_include_cycle_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.dl").write_text('#include "b.dl"\n', "utf-8")
    (tmp_path / "b.dl").write_text('p(1).\n#include "a.dl"\n', "utf-8")
    with pytest.raises(RuleError) as info:
        parse_file(tmp_path / "a.dl")
    assert info.value.code == "include_error"
    assert "include cycle a.dl -> b.dl -> a.dl" in info.value.message
    assert info.value.location is not None and info.value.location.line == 2


def test_function_like_macro_is_refused() -> None:
    error = syntax_error("#define SQ(x) x * x\np(1).")
    assert "function-like macro SQ" in error.message


def test_hash_inside_block_comment_is_not_a_directive() -> None:
    program = parse("/*\n#ifdef nothing\n*/\np(1).")
    assert len(program.clauses) == 1


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        parse_file(tmp_path / "absent.dl")


def test_parse_files_concatenates_with_global_indexes(tmp_path: Path) -> None:
    (tmp_path / "a.dl").write_text("a(1).\na(2).\n", "utf-8")
    (tmp_path / "b.dl").write_text("b(x) :- a(x).\n", "utf-8")
    program = parse_files([tmp_path / "a.dl", tmp_path / "b.dl"])
    assert [c.index for c in program.clauses] == [0, 1, 2]
    assert program.clauses[2].span.path == str(tmp_path / "b.dl")


def test_errors_are_deniable_errors() -> None:
    with pytest.raises(DeniableError):
        parse("p(")


def test_many_facts_parse_with_spans() -> None:
    text = "".join(f'e("n{i}", {i}).\n' for i in range(2000))
    program = parse(text, "big.dl")
    assert len(program.clauses) == 2000
    last = program.clauses[-1]
    assert last.head.args == (ast.Str("n1999"), ast.Num(1999))
    assert (last.span.line, last.head.args[1].span.column) == (2000, 12)
    assert last.text == 'e("n1999", 1999).'


# ----------------------------------------------------------------------------- large fact sets


def facts(n: int, indent: str = "") -> str:
    return "".join(f'{indent}e("n{i}", {i}).\n' for i in range(n))


def test_fact_runs_mixed_with_rules_keep_order_and_positions() -> None:
    text = (
        ".decl e(a: symbol, b: number)\n"
        + facts(1500)
        + "p(x) :-\n  e(x, _).\n"
        + facts(1500, "  ")
    )
    program = parse(text, "big.dl")
    assert len(program.clauses) == 3001
    rule = program.clauses[1500]
    assert (rule.head.rel, rule.index, rule.span.line, rule.text) == (
        "p",
        1500,
        1502,
        "p(x) :-\n  e(x, _).",
    )
    last = program.clauses[-1]
    assert (last.index, last.span.line, last.span.column) == (3000, 3003, 3)
    assert last.head.args == (ast.Str("n1499"), ast.Num(1499))
    assert last.head.args[1].span.column == 14


def test_fact_lines_inside_a_block_comment_are_not_facts() -> None:
    text = "p(1).\n/*\n" + facts(2000) + "*/\np(2).\n"
    assert [c.head.rel for c in parse(text).clauses] == ["p", "p"]


def test_fact_lines_continuing_a_rule_belong_to_the_rule() -> None:
    text = "q(x) :-\n" + facts(2000)
    program = parse(text)
    assert program.clauses[0].head.rel == "q" and len(program.clauses[0].body) == 1
    assert len(program.clauses) == 2000


def test_errors_before_a_fact_run_are_located_exactly() -> None:
    text = "p(x) :- q(x)\n" + facts(2000)
    error = syntax_error(text)
    assert "missing '.'" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (1, 13)


def test_bad_escape_in_a_fact_run_is_located() -> None:
    text = facts(1000) + 'e("bad\\q", 1).\n' + facts(1000)
    error = syntax_error(text)
    assert "unknown escape \\q" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (1001, 3)


def test_too_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(RuleError) as info:
        parse("p(x) :- q(x),\n  x = " + " + ".join(["1"] * 3000) + ".", "deep.dl")
    assert info.value.code == "too_deep"
    assert info.value.location is not None and info.value.location.line == 2
