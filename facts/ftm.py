"""The store as FollowTheMoney entities, for Aleph and other OCCRP tools (``export --format ftm``).

One line of JSON per entity (``EntityProxy.to_dict()``), built with the
``followthemoney`` library's own model, the form ``ftm validate``, ``ftm
aggregate`` and ``alephclient write-entities`` read:

* every entity of the store: ``person`` → Person, ``org`` → Organization, a
  ``place`` → Address, a ``group`` ("Russian mercenaries") or an entity of unknown
  type → LegalEntity (FtM's "person or organisation"), with its aliases as ``alias``;
* every current document → Article (FtM's Document for "a piece of media reporting
  about a subject"), with its title, author, outlet (``publisher``), date, URL and text;
* one entity per positive statement (asserted, reported, alleged), so that each keeps
  its own modality and evidence: ``role`` → Membership (``role`` is the post),
  ``met`` → Event (``involved``, ``location``), ``called``, ``pictured_with``,
  ``denies``, ``indicted_by`` and ``visited`` → UnknownLink (``role`` says which);
* every ``part_of`` link of the entity file → Membership of the whole (an
  UnknownLink when the whole is no organisation), ``role`` "part of".

A negated or attempted statement is no link ("never met", "tried to call") and is
never written; a statement a reviewer rejected only with ``include_rejected``, marked.
Every entity is checked against its schema first: a value FtM cannot hold is one
:class:`~deniable.errors.StoreError`, and nothing is written.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from typing import Any, cast

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.schema import ValidationData
from followthemoney.types import registry

from deniable.errors import StoreError
from deniable.facts import schema
from deniable.facts.model import Modality
from deniable.facts.statement_rows import statement_rows
from deniable.facts.store import FactStore

__all__ = ["FTM_FILE", "ftm_entities", "ftm_lines"]

#: The file ``export --format ftm`` writes: the FtM convention for line-delimited entities.
FTM_FILE = "entities.ftm.json"

_KEY_PREFIX = "deniable"
_SCHEMATA = {"person": "Person", "org": "Organization", "place": "Address"}
#: What a link's ``role`` (its caption in Aleph's graph) says, and how its summary reads.
_VERBS = {
    "called": "called",
    "met": "met",
    "denies": "denies",
    "indicted_by": "indicted by",
    "pictured_with": "pictured with",
    "visited": "visited",
    "role": "role",
}
_POSITIVE = frozenset(m.value for m in Modality if m.positive)
# A document date fit for FtM's date type: ``registry.date.clean`` would read a prefix of
# "2013..2014" as 2013, so anything else is left to the summary as written.
_NAME = model.schemata["Event"].properties["name"].max_length
_TITLE = model.schemata["Article"].properties["title"].max_length
_TEXT = model.schemata["Article"].properties["bodyText"].max_length
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def ftm_lines(store: FactStore, *, include_rejected: bool = False) -> str:
    """Return :func:`ftm_entities` as line-delimited JSON, one entity a line."""
    return "".join(
        json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n"
        for e in ftm_entities(store, include_rejected=include_rejected)
    )


def ftm_entities(store: FactStore, *, include_rejected: bool = False) -> list[dict[str, Any]]:
    """Return the store as FtM entity dicts: entities, articles, then one link per statement.

    Ids are SHA-1 keys of what names a thing (an entity's canonical name, a text's
    hash, a statement's predicate, arguments, modality, text and span), never of
    database row ids, so two exports of one store, or of the same articles ingested
    again, give the same ids.
    """
    things = dict(_things(store))
    articles = dict(_articles(store))
    links: dict[str, EntityProxy] = {}
    for row in statement_rows(store):
        if row["modality"] not in _POSITIVE:
            continue
        if row["review"] == "rejected" and not include_rejected:
            continue
        link = _link(row, things[row["a"]], things[row["b"]], articles[row["doc"]])
        # The same statement read twice (one span, one pattern) is one link.
        links.setdefault(str(link.id), link)
    parts = [_part_of(things[part], things[whole]) for part, whole in store.rows("part_of")]
    return [_checked(p) for p in (*things.values(), *articles.values(), *links.values(), *parts)]


def _checked(proxy: EntityProxy) -> dict[str, Any]:
    """``proxy`` as a dict, once FtM's schema accepts it; else the one-line refusal.

    Raises:
        StoreError: a value FtM's types refuse (a name over 384 characters, a name
            of nothing but spaces or control characters), naming the entity.
    """
    data = proxy.to_dict()
    problems = [f"{p} is empty" for p in proxy.schema.required if not data["properties"].get(p)]
    try:
        proxy.schema.validate(cast(ValidationData, data))
    except InvalidData as error:
        # FtM's own message quotes the whole value, which may be a page long.
        problems += [_problem(proxy, p) for p in error.errors.get("properties", {})]
    if problems:
        what = proxy.caption if proxy.caption != proxy.schema.label else proxy.id
        raise StoreError(
            f"cannot export {proxy.schema.name} {_short(str(what))!r} as FollowTheMoney: "
            f"{'; '.join(problems)}; change that value, or export with --format jsonl"
        )
    return data


def _problem(proxy: EntityProxy, name: str) -> str:
    prop = proxy.schema.properties[name]
    for value in proxy.get(name):
        if len(value) > prop.max_length:
            return f"{name} is {len(value)} characters, over {prop.max_length}"
        if not prop.type.validate(value):
            return f"{name} {_short(value)!r} is no valid {prop.type.name}"
    return f"{name} is not valid"


def _short(value: str, width: int = 60) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _make(schema_name: str, *key: Any) -> EntityProxy:
    proxy = model.make_entity(schema_name, key_prefix=_KEY_PREFIX)
    # One JSON array, not make_id's bare concatenation, where ("ab", "c") = ("a", "bc").
    proxy.make_id(json.dumps(key, ensure_ascii=False))
    return proxy


def _things(store: FactStore) -> Iterator[tuple[str, EntityProxy]]:
    aliases: dict[int, list[str]] = {}
    for entity_id, alias in store.db.execute(
        "SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias"
    ):
        aliases.setdefault(entity_id, []).append(alias)
    for entity_id, name, kind in store.db.execute(
        "SELECT id, name, type FROM entities ORDER BY name"
    ).fetchall():
        proxy = _make(_SCHEMATA.get(kind, "LegalEntity"), "entity", name)
        proxy.add("name", name)
        if proxy.schema.name == "Address":
            proxy.add("full", name)
        # The store lists the canonical name among its own surface forms.
        proxy.add("alias", [a for a in aliases.get(entity_id, ()) if a != name])
        yield name, proxy


def _articles(store: FactStore) -> Iterator[tuple[str, EntityProxy]]:
    author = "author" if schema.has_authors(store.db) else "''"
    rows = store.db.execute(
        f"SELECT name, title, url, date, outlet, {author}, sha256, text "
        "FROM current_documents ORDER BY name"
    ).fetchall()
    for name, title, url, date, outlet, by, sha, text in rows:
        # Keyed by the text's hash: a new version of a document is a new article.
        article = _make("Article", "document", sha)
        article.add("fileName", name)
        # A title is FtM "string" (1,024 characters at most); the full text is in bodyText.
        article.add("title", _fit(title or name, _TITLE))
        article.add("author", by or None)
        article.add("publisher", outlet or None)
        article.add("sourceUrl", url or None)
        published = registry.date.clean(date) if _ISO_DATE.fullmatch(date[:10]) else None
        if published:
            article.add("publishedAt", published, cleaned=True)
        elif date:
            # Not a calendar date FtM can read ("2024-13-01", "last spring"): kept as written.
            article.add("summary", f"published {date}")
        article.add("bodyText", list(_chunks(text, _TEXT)))
        yield name, article


def _link(row: dict[str, Any], a: EntityProxy, b: EntityProxy, article: EntityProxy) -> EntityProxy:
    key = [row[k] for k in ("pred", "a", "b", "modality", "sha256", "start", "end")]
    agents = a.schema.is_a("LegalEntity") and b.schema.is_a("LegalEntity")
    if row["pred"] == "role" and agents and b.schema.is_a("Organization"):
        link = _make("Membership", "statement", *key)
        link.add("member", a.id)
        link.add("organization", b.id)
        link.add("role", _caption(row, row["role"]))
    elif row["pred"] == "met" and agents:
        link = _make("Event", "statement", *key)
        name = _caption(row, f"{row['a']} met {row['b']}")
        # Two long names may not fit FtM's 384 characters; the modality always must.
        link.add("name", name if len(name) <= _NAME else _caption(row, "meeting"))
        link.add("involved", [a.id, b.id])
        link.add("location", row["where"] or None)
    else:
        # FtM's Call shows numbers, caller, receiver and date, none of which could say that
        # a call was only reported; an UnknownLink's role is its caption and can. A role
        # held "for" a person (chief of staff to Putin) is no Membership either.
        link = _make("UnknownLink", "statement", *key)
        link.add("subject", a.id)
        link.add("object", b.id)
        verb = _VERBS[row["pred"]]
        link.add("role", _caption(row, f"{verb}: {row['role']}" if row["role"] else verb))
    link.add("summary", _summary(row))
    # The evidence itself, verbatim: what an Aleph reader checks the link against.
    link.add("description", row["sentence"])
    link.add("proof", article.id)
    link.add("publisher", row["outlet"] or None)
    link.add("sourceUrl", row["url"] or None)
    link.add("recordId", f"{row['doc']}:{row['start']}-{row['end']}")
    for prop, value in _dates(row["time_start"], row["time_end"]).items():
        link.add(prop, value)
    return link


def _part_of(part: EntityProxy, whole: EntityProxy) -> EntityProxy:
    """The entity file's ``part_of`` link: a Membership of the whole, when it is an organisation.

    FtM has no "unit of" schema.  Membership ("belongs to") is the nearest that claims
    nothing the entity file did not say: its ``member`` may be a person or an
    organisation.  Ownership would claim shares, and its ``asset`` must be an Asset,
    which an Organization is not; Control claims a power over the part; the old
    ``parent`` property is deprecated in favour of Ownership.  A whole that is no
    organisation (a group of unknown type, a place) gets an UnknownLink.  The link is
    the user's word, read from no article: no ``proof``, and the summary says so.
    """
    names = f"{part.first('name')} is part of {whole.first('name')}"
    if part.schema.is_a("LegalEntity") and whole.schema.is_a("Organization"):
        link = _make("Membership", "part_of", part.id, whole.id)
        link.add("member", part.id)
        link.add("organization", whole.id)
    else:
        link = _make("UnknownLink", "part_of", part.id, whole.id)
        link.add("subject", part.id)
        link.add("object", whole.id)
    link.add("role", "part of")
    link.add("summary", f"{names}, as the entity file says (read from no article)")
    return link


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(text: str, limit: int) -> Iterator[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after a line break or space.

    FtM's text type holds 65,000 characters a value; bodyText takes several values.
    """
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit)) + 1 or limit
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


def _how(row: dict[str, Any]) -> str:
    """How the statement was made: its modality and the source it is attributed to."""
    source = row["source"]
    if row["modality"] == Modality.REPORTED:
        return f"reported by {source}" if source else "reported"
    if row["modality"] == Modality.ALLEGED:
        return f"alleged, according to {source}" if source else "alleged"
    return f"asserted, according to {source}" if source else "asserted"


def _qualifiers(row: dict[str, Any]) -> list[str]:
    """What a caption adds to the bare verb: all but the article's own assertion."""
    how = _how(row)
    said = [] if how == "asserted" else [how]
    if row["review"] == "rejected":
        said.append("REJECTED by a reviewer")
    return said


def _caption(row: dict[str, Any], title: str) -> str:
    """``title`` with the statement's modality, so that a graph or a table never drops it."""
    said = "; ".join(_qualifiers(row))
    if not said:
        return title
    return f"{title} ({said})" if title else said


def _summary(row: dict[str, Any]) -> str:
    """One line for a reader: who, what, how it was said, the details, and which article."""
    if row["pred"] == "role":
        head = f"{row['a']}: {row['role'] or 'a role'} of {row['b']}"
    elif row["pred"] == "denies":
        # What is denied is the claim (below when the text gave it), not the subject.
        head = f"{row['a']} denies a claim about {row['b']}"
    else:
        head = f"{row['a']} {_VERBS[row['pred']]} {row['b']}"
    parts = [head, _how(row)]
    if row["count"] is not None:
        parts.append(f"{row['count']} times")
    parts += [f"{k}: {row[k]}" for k in ("when", "where", "claim") if row[k]]
    if row["review"]:
        parts.append(f"{'REJECTED' if row['review'] == 'rejected' else 'confirmed'} by a reviewer")
    source = ", ".join(v for v in (row["doc"], row["outlet"], row["date"]) if v)
    parts.append(f"from “{row['title'] or row['doc']}” ({source})")
    return "; ".join(parts)


def _dates(start: int | None, end: int | None) -> dict[str, str]:
    """FtM dates for a statement's ``YYYYMMDD`` interval, at the precision the text gave.

    The store keeps "2018" as 20180101..20181231; FtM is told ``date: 2018``, not a
    day the text never named ("2013..2014" is ``startDate`` 2013, ``endDate`` 2014).
    """
    if start is None or end is None:
        return {}
    first, last = _day(start), _day(end)
    ey, em = divmod(end // 100, 100)
    if start % 10000 == 101 and end % 10000 == 1231:
        first, last = first[:4], last[:4]
    elif start % 100 == 1 and end % 100 == calendar.monthrange(ey, em)[1]:
        first, last = first[:7], last[:7]
    return {"date": first} if first == last else {"startDate": first, "endDate": last}


def _day(value: int) -> str:
    text = f"{value:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"
