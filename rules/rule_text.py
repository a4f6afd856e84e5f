"""The ``rule_text`` table: what each ``_rule`` number of a derived row stands for.

Every derived table carries ``_rule``, the index of the clause that first
derived the row.  ``derive`` writes ``rule_text(_rule, file, line, text)`` beside
the tables, in the same transaction, so a reader of the store with plain SQL
(``JOIN rule_text USING (_rule)``) sees the rule, its file and line.
"""

from __future__ import annotations

from sqlite_utils import Database

from deniable.rules.catalogue import rule_file
from deniable.rules.checked import CheckedProgram

__all__ = ["RULE_TEXT", "write_rule_text"]

#: The table's name; no rule may define a relation of this name.
RULE_TEXT = "rule_text"


def write_rule_text(db: Database, checked: CheckedProgram) -> int:
    """Replace ``rule_text`` with the program's clauses; return how many rows it holds.

    Call it inside the derivation's transaction, so rows and rule text never disagree.
    """
    db[RULE_TEXT].drop(ignore=True)
    db.create_table(
        RULE_TEXT,
        {"_rule": int, "file": str, "line": int, "text": str},
        pk="_rule",
        not_null={"_rule", "file", "line", "text"},
    )
    rows = []
    for clause in checked.clauses:
        origin = clause.origin if clause.origin.line else clause.span
        rows.append(
            {
                "_rule": clause.index,
                "file": rule_file(origin.path),
                "line": origin.line,
                # One line, as `why` prints it: the rule as written, comments and layout aside.
                "text": " ".join(clause.text.split()),
            }
        )
    db.table(RULE_TEXT).insert_all(rows, batch_size=500)
    return len(rows)
