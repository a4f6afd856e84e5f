"""Names as articles write them: surnames, titles and descriptions that stand for a full name.

Extraction stores each statement under the full name it resolved a mention to
("Hale", "Mr Hale" and "the chief executive of Lantern Freight" all become
``Marcus Hale``), so a reader who asks for ``Hale`` finds no entity of that name.
:func:`name_forms` finds the entities a short form stands for, from what the store
holds of each current document:

* a surname, or a title or initial with it ("Hale", "Mr Hale", "M. Hale"): a
  person whose full name ends with it, in a document whose text uses that form
  beyond the full name itself, and where no other person of the document shares the
  surname (there the form would not say who is meant);
* a description ("chief executive", "the Lantern Freight chief executive"): a
  person a ``role`` statement of a document describes so, role and organisation;
* a description with no role ("the businessman", "businessman"): the one
  argument of a statement that its span does not name, where the span writes the
  description after "the" (extraction resolved the description to that name);
* a part of an alias ("Vayno" for the alias "Anton Vayno", "chef" for "Putin's
  chef"): the entity the entity file gives that alias.

These forms are answers to a search, never aliases the rules see: "Hale" is
Marcus Hale in one article and may be Sarah Hale in the next, so they do not go
into the ``aliases`` table (nor an exported entity file).  :func:`closest_names`
gives the hint for a name that matches nothing.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deniable.facts.keys import fold
from deniable.facts.model import PREDICATES, SYMMETRIC
from deniable.facts.schema import ALL_MODALITIES, POSITIVE_MODALITIES

if TYPE_CHECKING:
    from deniable.facts.store import FactStore

__all__ = [
    "NameForm",
    "alias_parts",
    "closest_names",
    "name_forms",
    "query_hints",
    "span_descriptions",
]

# Words a description may hold that say nothing about who is meant.
_FILLER = frozenset({"the", "a", "an", "of", "its", "their", "his", "her", "for", "at", "to"})


@dataclass(frozen=True, slots=True)
class NameForm:
    """One entity a short form stands for: how it was written and in which documents.

    ``how`` is ``surname``, ``shortened name`` (a title or initial with the surname),
    ``description`` or ``alias``; ``detail`` is the description in full ("chief
    executive of Lantern Freight", "the businessman") or the alias in full ("Anton
    Vayno") for the last two.
    """

    name: str
    form: str
    how: str
    docs: tuple[str, ...]
    detail: str = ""

    def __str__(self) -> str:
        docs = ", ".join(self.docs)
        if self.how == "description":
            return f"{self.name}: described as {self.detail} in {docs}"
        if self.how == "alias":
            return f"{self.name}: goes by {self.detail} (alias)"
        return f"{self.name}: called {self.form} ({self.how}) in {docs}"


def _words(text: str) -> list[str]:
    """Folded words, no full stops or possessive endings ("Dr." -> "dr", "Putin's" -> "putin")."""
    out = []
    for word in fold(text).replace(".", " ").split():
        word = re.sub(r"'s$", "", word)
        if word.strip("'\",;:()"):
            out.append(word.strip("'\",;:()"))
    return out


def _uses(text: str, form: list[str]) -> int:
    """How many times the folded ``text`` writes the words ``form`` side by side."""
    pattern = r"(?<![\w'-])" + r"\s+".join(re.escape(w) for w in form) + r"(?![\w-])"
    return len(re.findall(pattern, " ".join(_words(text))))


def name_forms(store: FactStore, text: str) -> list[NameForm]:
    """The entities ``text`` stands for as a surname, shortened name or description.

    Empty when ``text`` is an entity's own name or alias (nothing to resolve), or
    stands for nothing.  Sorted by name; one :class:`NameForm` per entity and kind.
    """
    form = _words(text)
    if not form or store.resolve_entity(text) is not None:
        return []
    found = _surname_forms(store, text, form)
    found.extend(_descriptions(store, text, form))
    described = {f.name for f in found if f.how == "description"}
    found.extend(f for f in span_descriptions(store, text, form) if f.name not in described)
    found.extend(alias_parts(store, text, form))
    return sorted(found, key=lambda f: (f.name, f.how))


def _surname_forms(store: FactStore, text: str, form: list[str]) -> list[NameForm]:
    last = form[-1]
    people: dict[str, list[str]] = {}
    for (name,) in store.db.execute("SELECT name FROM entities WHERE type = 'person'"):
        words = _words(name)
        if len(words) >= 2 and words[-1] == last and words != form:
            people[name] = words
    if not people:
        return []
    out = []
    how = "surname" if len(form) == 1 else "shortened name"
    for name, words in sorted(people.items()):
        docs = []
        for doc_id, doc, body in _documents_of(store, name):
            # Another person of this document with the surname: the form says not who.
            if any(_words(other)[-1:] == [last] for other in _people_in(store, doc_id, name)):
                continue
            own = _uses(body, words) if form == words[-len(form) :] else 0
            if _uses(body, form) > own:
                docs.append(doc)
        if docs:
            out.append(NameForm(name, " ".join(text.split()), how, tuple(docs)))
    return out


def _documents_of(store: FactStore, name: str) -> list[tuple[int, str, str]]:
    """The current documents with a statement about ``name``: id, name, text."""
    rows = store.db.execute(
        """SELECT DISTINCT d.id, d.name, d.text FROM admitted_statements s
           JOIN facts f ON f.id = s.fact_id
           JOIN entities e ON e.id IN (f.a_id, f.b_id)
           JOIN current_documents d ON d.id = s.doc_id
           WHERE e.name = ? ORDER BY d.name""",
        [name],
    ).fetchall()
    return [(int(i), str(n), str(t)) for i, n, t in rows]


def _people_in(store: FactStore, doc_id: int, besides: str) -> list[str]:
    rows = store.db.execute(
        """SELECT DISTINCT e.name FROM statements s
           JOIN facts f ON f.id = s.fact_id
           JOIN entities e ON e.id IN (f.a_id, f.b_id)
           WHERE s.doc_id = ? AND e.type = 'person' AND e.name <> ?""",
        [doc_id, besides],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _descriptions(store: FactStore, text: str, form: list[str]) -> list[NameForm]:
    wanted = {w for w in form if w not in _FILLER}
    if not wanted:
        return []
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    rows = store.db.execute(
        f"""SELECT DISTINCT ep.name, eo.name, s.role, d.name FROM admitted_statements s
           JOIN facts f ON f.id = s.fact_id AND f.pred = 'role'
           JOIN entities ep ON ep.id = f.a_id
           JOIN entities eo ON eo.id = f.b_id
           JOIN current_documents d ON d.id = s.doc_id
           WHERE s.role <> '' AND s.modality IN ({", ".join("?" * len(POSITIVE_MODALITIES))})
           ORDER BY d.name""",
        list(POSITIVE_MODALITIES),
    ).fetchall()
    for person, org, role, doc in rows:
        if wanted <= set(_words(f"{role} {org}")) and wanted & set(_words(role)):
            docs = found[(person, " ".join(f"{role} of {org}".split()))]
            if doc not in docs:
                docs.append(doc)
    return [
        NameForm(person, " ".join(text.split()), "description", tuple(docs), detail)
        for (person, detail), docs in sorted(found.items())
    ]


def _core(form: list[str]) -> list[str]:
    """The form without the filler words it begins or ends with ("the businessman" -> one word)."""
    start, end = 0, len(form)
    while start < end and form[start] in _FILLER:
        start += 1
    while end > start and form[end - 1] in _FILLER:
        end -= 1
    return form[start:end]


def _at(words: list[str], part: list[str]) -> list[int]:
    """Where ``part`` stands in ``words``, side by side (start indexes)."""
    n = len(part)
    return [i for i in range(len(words) - n + 1) if words[i : i + n] == part] if n else []


def _like(word: str) -> str:
    """A LIKE pattern for text containing ``word`` (an SQL pre-filter; folding is checked after)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%" if word.isascii() and "'" not in word else "%"


def span_descriptions(store: FactStore, text: str, form: list[str]) -> list[NameForm]:
    """Entities a statement's span describes as ``form`` ("the businessman"), with no role.

    Extraction resolved a description such as "the businessman" to a full name and
    stored the statement under it; the span still writes the description.  The entity
    is the one argument the span does not name (by its name, an alias or its surname),
    and the description stands where that argument does: it begins the span ("The
    businessman met Ivo Karas"; for an ordered predicate, when the entity is the first
    argument) or ends it ("… denied any links to the businessman"; the second).  A
    description elsewhere in the span may be anyone's ("Utkin, who founded the group,
    was in the photograph with Putin"), a span with a pronoun may name its argument by
    it ("He called Vaino, chief of staff to the Russian leader"), and a description
    that is a part of a name the span writes is none ("the Lantern Freight boss" says
    nothing of who "Lantern" is).
    """
    core = _core(form)
    if not core:
        return []
    span = "substr(d.text, s.char_start + 1, s.char_end - s.char_start)"
    rows = store.db.execute(
        f"""SELECT d.name, f.pred, {span}, f.a_id, f.b_id FROM admitted_statements s
           JOIN facts f ON f.id = s.fact_id
           JOIN current_documents d ON d.id = s.doc_id
           WHERE {span} LIKE ? ESCAPE '\\' AND f.pred <> 'role' ORDER BY d.name, s.id""",
        [_like(max(core, key=len))],
    ).fetchall()
    names = _alias_words(store, {i for *_rest, a, b in rows for i in (a, b)})
    covering = [
        _words(alias)
        for (alias,) in store.db.execute(
            "SELECT alias FROM aliases WHERE folded LIKE ? ESCAPE '\\'", [_like(core[0])]
        )
        if _at(_words(alias), core)
    ]
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc, pred, body, a_id, b_id in rows:
        words, raw = _tokens(str(body))
        unnamed = [i for i in (a_id, b_id) if not _named(words, names.get(i, ([], "")))]
        # (A role's span, left out above, describes the person, not the organisation.)
        if len(set(unnamed)) != 1 or _PRONOUNS.intersection(words):
            continue
        entity_id = unnamed[0]
        first = pred in SYMMETRIC or entity_id == a_id
        last = pred in SYMMETRIC or entity_id == b_id
        for i in _at(words, core):
            if any(j <= i < j + len(whole) for whole in covering for j in _at(words, whole)):
                continue
            begins = _description_start(words, raw, i, strict=True)
            ends = _description_start(words, raw, i, strict=False)
            if first and begins == 0:
                start = begins
            elif last and ends is not None and i + len(core) == len(words):
                start = ends
            else:
                continue
            detail = " ".join([words[start], *raw[start + 1 : i + len(core)]])
            docs = found[(names[entity_id][1], detail)]
            if doc not in docs:
                docs.append(str(doc))
    return [
        NameForm(name, " ".join(text.split()), "description", tuple(docs), detail)
        for (name, detail), docs in sorted(found.items())
    ]


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` folded (as :func:`_words` gives them) and as written."""
    folded, raw = [], []
    for word in text.replace(".", " ").split():
        key = _words(word)
        if key:
            folded.append(key[0])
            raw.append(re.sub(r"['’]s$", "", word.strip("'\",;:()“”‘’")))
    return folded, raw


def _description_start(words: list[str], raw: list[str], at: int, *, strict: bool) -> int | None:
    """Where the description whose head words begin at ``at`` starts: its determiner.

    At most three words stand between them.  ``strict``: only names ("the Wagner
    chief") and a few modifiers ("the former minister"), for a description that begins
    a span, where "the businessman later met" must not describe anyone as "met"; a
    description that ends the span ends with its head, so any words may stand there
    ("the paramilitary group").
    """
    for j in range(at - 1, max(-1, at - 4), -1):
        if words[j] in _DETERMINERS:
            return j
        if strict and not (raw[j][:1].isupper() or words[j] in _MODIFIERS):
            return None
    return None


# Words a description begins with in an article ("the businessman", "that man").
_DETERMINERS = frozenset({"the", "this", "that"})
# A span with one of these may name its unnamed argument by it, not by a description.
_PRONOUNS = frozenset(
    {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "it", "its"}
)
# Words that may stand between the determiner and a description's head.
_MODIFIERS = frozenset(
    {"former", "retired", "senior", "top", "then", "late", "wealthy", "veteran", "exiled"}
)


def _alias_words(store: FactStore, ids: set[int]) -> dict[int, tuple[list[list[str]], str]]:
    """Each entity's surface forms as word lists (its name, aliases, a person's surname)."""
    out: dict[int, tuple[list[list[str]], str]] = {}
    for entity_id in ids:
        row = store.db.execute(
            "SELECT name, type FROM entities WHERE id = ?", [entity_id]
        ).fetchone()
        if row is None:
            continue
        name, type_ = str(row[0]), str(row[1])
        forms = [_words(name)]
        forms += [
            _words(str(alias))
            for (alias,) in store.db.execute(
                "SELECT alias FROM aliases WHERE entity_id = ?", [entity_id]
            )
        ]
        if type_ == "person" and len(forms[0]) >= 2:
            forms.append(forms[0][-1:])
        out[entity_id] = ([f for f in forms if f], name)
    return out


def _named(words: list[str], forms: tuple[list[list[str]], str]) -> bool:
    return any(_at(words, form) for form in forms[0])


def alias_parts(store: FactStore, text: str, form: list[str]) -> list[NameForm]:
    """Entities one of whose aliases writes ``form`` among its words ("Vayno", "chef").

    Filler words alone ("the", "of") are part of no one's name.
    """
    form = _core(form)
    if not form:
        return []
    found: dict[str, list[str]] = defaultdict(list)
    rows = store.db.execute(
        """SELECT a.alias, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id
           WHERE a.folded LIKE ? ESCAPE '\\' AND a.alias <> e.name ORDER BY e.name, a.alias""",
        [_like(form[-1])],
    ).fetchall()
    for alias, name in rows:
        if _at(_words(str(alias)), form) and str(alias) not in found[str(name)]:
            found[str(name)].append(str(alias))
    return [
        NameForm(name, " ".join(text.split()), "alias", (), ", ".join(aliases))
        for name, aliases in sorted(found.items())
    ]


def closest_names(store: FactStore, text: str, limit: int = 3) -> list[str]:
    """The entity names closest in spelling to ``text`` (or whose surname is), best first."""
    names = [str(r[0]) for r in store.db.execute("SELECT name FROM entities ORDER BY name")]
    keys: dict[str, set[str]] = defaultdict(set)
    for name in names:
        keys[fold(name)].add(name)
        words = _words(name)
        if len(words) >= 2:
            keys[words[-1]].add(name)
    close = difflib.get_close_matches(fold(text), list(keys), n=limit * 2, cutoff=0.6)
    out: list[str] = []
    for key in close:
        for name in sorted(keys[key]):
            if name not in out:
                out.append(name)
    return out[:limit]


# A double-quoted constant of a query, backslash escapes allowed.
_CONSTANT = re.compile(r'"((?:[^"\\]|\\.)*)"')


def query_hints(store: FactStore, query: str) -> list[str]:
    """Hints for a query that found nothing: each quoted name that is no entity's, and whom
    it stands for (an alias, a surname, a title or a description; else the closest names),
    with the query to ask instead."""
    hints = []
    # Constants that are no names: a predicate, a modality, a document.
    words = {*PREDICATES, *ALL_MODALITIES, *store.document_names()}
    for found in _CONSTANT.finditer(query):
        text = re.sub(r"\\(.)", r"\1", found.group(1))
        if not text.strip() or text in words:
            continue

        # Rules match names exactly: an alias (or another spelling) finds nothing.
        canonical = store.resolve_entity(text)
        if canonical == text:
            continue
        if canonical is not None:
            hints.append(
                f"hint: no entity is called {text!r}; it is an alias of {canonical}; "
                f"try {_instead(query, found, canonical)}"
            )
            continue
        forms = name_forms(store, text)
        if forms:
            meant = "; ".join(str(f) for f in forms)
            hints.append(
                f"hint: no entity is called {text!r}; {meant}; "
                f"try {_instead(query, found, forms[0].name)}"
            )
            continue
        close = closest_names(store, text)
        if close:
            hints.append(f"hint: no entity is called {text!r}; closest names: {', '.join(close)}")
    return hints


def _instead(query: str, constant: re.Match[str], name: str) -> str:
    """``query`` with the quoted ``constant`` replaced by ``name``, quoted for the parser."""
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return query[: constant.start()] + f'"{quoted}"' + query[constant.end() :]
