"""The editor's brief: findings worded from the strongest chain, footnotes, escaping, the graph."""

from __future__ import annotations

import shutil
import sqlite3
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deniable.errors import UsageError
from deniable.facts.model import Modality
from deniable.facts.records import EvidenceRow
from deniable.facts.store import FactStore
from deniable.rules.brief import build_brief, claim_text
from deniable.rules.brief_text import safe_url
from deniable.rules.contact_graph import Edge, contact_graph
from deniable.rules.graph_svg import render_svg
from deniable.rules.publish import render_report

HOSTILE_NAME = "Ivo \"Ace\" O'Hara <script>alert('x')</script> & Co; DROP TABLE documents;--"
GOLDEN = Path(__file__).parent.parent / "golden" / "report"


@pytest.fixture
def desk(desk_db: Path) -> FactStore:
    with FactStore.open(desk_db, create=False) as store:
        yield store  # type: ignore[misc]


def test_findings_are_worded_from_the_strongest_chain(desk: FactStore) -> None:
    brief = build_brief(desk, cwd_rules=False)
    assert [f.headline for f in brief.findings] == [
        f"Ministry of Ports denied links to Olek Brandt, yet {HOSTILE_NAME}, who is tied to "
        "Ministry of Ports, allegedly met Olek Brandt.",
        "Ministry of Ports denied links to Olek Brandt, yet Vera Lind, who is tied to Ministry of "
        "Ports, was reportedly in phone contact with Olek Brandt.",
        "Ministry of Ports denied links to Olek Brandt, yet Vera Lind, who is tied to Ministry of "
        "Ports, reportedly met Olek Brandt.",
    ]
    assert [f.strength for f in brief.findings] == ["alleged", "reported", "reported"]
    call = brief.findings[1]
    # The denial first, then the contact with its count and source, then the tie.
    assert [(c.text, c.note, c.modality) for c in call.claims] == [
        ("Ministry of Ports denied any links to Olek Brandt", 1, "asserted"),
        ("Olek Brandt called Vera Lind 40 times, according to leaked logs", 4, "reported"),
        ("Vera Lind is deputy minister at Ministry of Ports", 5, "asserted"),
    ]
    first = brief.findings[0]
    assert first.claims[-1].text == "Harbour Office is part of Ministry of Ports"
    assert first.claims[-1].note is None


def test_footnotes_cite_outlet_title_date_author_url_and_the_sentence(desk: FactStore) -> None:
    brief = build_brief(desk, cwd_rules=False)
    assert [n.number for n in brief.footnotes] == [1, 2, 3, 4, 5, 6]
    call = brief.footnotes[3]
    assert call.citation.outlet == "The Harbour Ledger"
    assert call.citation.title == 'Port calls <b>leaked</b> & "denied"'
    assert (call.citation.date, call.citation.author) == ("2024-03-01", "R. Quill")
    assert call.citation.url == "https://ledger.example/calls?id=1&view=<full>"
    assert call.sentence == "Leaked logs show Olek Brandt phoned Vera Lind 40 times."
    assert call.sentence[call.span[0] : call.span[1]] == "Olek Brandt phoned Vera Lind 40 times"
    assert (call.modality, call.source, call.review) == ("reported", "leaked logs", "")
    meeting = brief.footnotes[5]
    assert (meeting.citation.outlet, meeting.citation.url) == ("Harbour Watch", "")


def test_attempts_and_refusals_are_never_claims(desk: FactStore) -> None:
    brief = build_brief(desk, ["contact", "seen_with"], cwd_rules=False)
    texts = " ".join(c.text for f in brief.findings for c in f.claims)
    assert "tried" not in texts and "denied that" not in texts
    assert "Zoë Ångström was pictured" in texts or "was pictured with Zoë Ångström" in texts
    # contact is symmetric: each pair once.
    pairs = [f.row for f in brief.findings if f.rel == "contact"]
    assert len(pairs) == len({frozenset(p) for p in pairs}) == 2


def test_an_unknown_relation_is_one_usage_error(desk: FactStore) -> None:
    with pytest.raises(UsageError, match="no_such_conclusion is not a derived conclusion"):
        build_brief(desk, ["no_such_conclusion"], cwd_rules=False)
    with pytest.raises(UsageError, match="is not a derived conclusion"):
        build_brief(desk, ["x'); DROP TABLE documents;--"], cwd_rules=False)
    assert desk.document_names() == ["ledger/calls.txt", "watch/gala.txt"]


def _item(modality: str, **details: object) -> EvidenceRow:
    base = dict(
        statement_id=1, pred="met", args=("A", "B"), modality=Modality(modality), source="",
        vouched_by="", doc="d", title="", outlet="", date="", sentence_index=0, sentence="",
        start=0, end=0, sentence_start=0, sentence_end=0, pattern="p",
    )  # fmt: skip
    base.update(details)
    return EvidenceRow(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("modality", "details", "text"),
    [
        ("asserted", {}, "A met B"),
        ("reported", {"source": "Bellingcat"}, "A met B, according to Bellingcat"),
        ("reported", {}, "A reportedly met B"),
        ("alleged", {"count": 3}, "A allegedly met B 3 times"),
        ("negated", {}, "it is denied that A met B"),
        ("attempted", {"pred": "called"}, "A tried, without success: called B"),
        ("asserted", {"pred": "denies", "claim": "knowing B"}, "A denied knowing B"),
        ("asserted", {"pred": "role", "role": "treasurer"}, "A is treasurer at B"),
        ("asserted", {"when": "2019"}, "A met B (2019)"),
    ],
)
def test_claim_text_keeps_the_modality(modality: str, details: dict, text: str) -> None:
    assert claim_text(_item(modality, **details)) == text


def test_only_web_addresses_become_links() -> None:
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url(" JAVASCRIPT:alert(1)") == ""
    assert safe_url("data:text/html,<script>x</script>") == ""
    assert safe_url("https:///nohost") == ""
    assert safe_url('https://a.example/"><script>') == "https://a.example/%22%3E%3Cscript%3E"


# --------------------------------------------------------------------------- the graph


def test_the_graph_draws_contacts_and_denials_at_their_best_modality(desk: FactStore) -> None:
    graph = contact_graph(desk)
    assert set(graph.edges) == {
        Edge("called", "Olek Brandt", "Vera Lind", "reported", 1),
        Edge("met", "Olek Brandt", "Vera Lind", "reported", 1),
        Edge("met", HOSTILE_NAME, "Olek Brandt", "alleged", 1),
        Edge("pictured_with", "Olek Brandt", "Zoë Ångström", "asserted", 1),
        Edge("denies", "Ministry of Ports", "Olek Brandt", "asserted", 1),
    }
    # The attempted call and the refused meeting with Zoë Ångström are no contact.
    assert not any(
        e.kind in ("called", "met") and "Zoë Ångström" in (e.a, e.b) for e in graph.edges
    )
    assert graph.nodes[0] == "Olek Brandt" and graph.left_out == 0


def test_the_graph_keeps_the_busiest_names(desk: FactStore) -> None:
    graph = contact_graph(desk, max_nodes=2)
    assert set(graph.nodes) == {"Olek Brandt", "Vera Lind"} and graph.left_out == 3
    assert {e.kind for e in graph.edges} == {"called", "met"}
    assert "3 more names" in render_svg(graph)


def test_the_svg_is_well_formed_escaped_and_deterministic(desk: FactStore) -> None:
    graph = contact_graph(desk)
    svg = render_svg(graph)
    assert svg == render_svg(contact_graph(desk))
    root = ET.fromstring(svg.split("\n", 1)[1])
    names = {el.get("data-name") for el in root.iter("{http://www.w3.org/2000/svg}g")}
    assert HOSTILE_NAME in names and "Zoë Ångström" in names
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    edges = {
        el.get("class"): el.get("stroke-opacity")
        for el in root.iter("{http://www.w3.org/2000/svg}path")
        if (el.get("class") or "").startswith("edge")
    }
    assert edges == {
        "edge called reported": "0.6",
        "edge met reported": "0.6",
        "edge met alleged": "0.3",
        "edge pictured_with asserted": "1.0",
        "edge denies asserted": "1.0",
    }
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_an_empty_graph_says_so(store: FactStore) -> None:
    svg = render_svg(contact_graph(store))
    assert "no calls, meetings, photographs or denials to draw" in svg
    ET.fromstring(svg.split("\n", 1)[1])


# --------------------------------------------------------------------------- the documents


class _Page(HTMLParser):
    """Tags, attributes and text of a page, to check what a browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_is_self_contained_and_escapes_article_text(desk: FactStore) -> None:
    page = _Page()
    page.feed(render_report(desk, fmt="html"))
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "svg" in page.tags
    text = "".join(page.text)
    assert HOSTILE_NAME in text and 'Port calls <b>leaked</b> & "denied"' in text
    hrefs = {v for tag, k, v in page.attrs if k == "href"}
    assert hrefs - {f"#fn-{n}" for n in range(1, 7)} == {
        "https://ledger.example/calls?id=1&view=%3Cfull%3E"
    }
    assert not any(k == "src" or k.startswith("on") for _t, k, _v in page.attrs)
    csp = [v for tag, k, v in page.attrs if tag == "meta" and k == "content"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]


def test_a_javascript_address_is_shown_not_linked(desk_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(desk_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "UPDATE documents SET url = ? WHERE name = ?", ("javascript:alert(1)", "watch/gala.txt")
        )
    with FactStore.open(copy, create=False) as store:
        html = render_report(store, fmt="html")
        markdown = render_report(store, fmt="md")
    assert 'href="javascript' not in html and "javascript:alert(1)" in html
    assert "<javascript" not in markdown and "javascript:alert\\(1\\)" in markdown


def test_the_markdown_brief(desk: FactStore, update_goldens: bool) -> None:
    text = render_report(desk, fmt="md")
    expected = GOLDEN / "brief.md"
    if update_goldens:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    # Markdown passes HTML through: no tag of an article may survive as a tag.
    assert "<script>" not in text and "<b>" not in text


@pytest.mark.parametrize(
    ("strength", "ending"),
    [
        ("asserted", "yet an article names X its leader or a member."),
        ("reported", "yet X is reported to lead or belong to it."),
        ("alleged", "yet X is alleged to lead or belong to it."),
    ],
)
def test_a_role_headline_says_no_more_than_its_chain(strength: str, ending: str) -> None:
    from deniable.rules.brief import _headline
    from deniable.rules.evidence import Proof
    from deniable.rules.explain import ProofTree
    from deniable.rules.strongest import Chain

    proof = Proof(ProofTree("denial_contradicted_by_role", ("X", "Y"), None, leaf=True))
    chain = Chain("denial_contradicted_by_role", ("X", "Y"), strength, proof)
    assert _headline(chain) == f"X denied leading or belonging to Y, {ending}"
