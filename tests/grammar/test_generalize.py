"""Shapes beyond the seed articles, read without an entity file: what is taken and what is not."""

from __future__ import annotations

from deniable.facts.model import Document
from deniable.grammar.extract import extract


def _facts(text: str) -> set[tuple[str, str, str, str]]:
    ex = extract(Document("t.txt", text))
    return {(f.pred, f.args[0], f.args[1], f.modality.value) for f in ex.facts}


def _positive(text: str) -> set[tuple[str, str, str]]:
    out = set()
    for pred, a, b, mod in _facts(text):
        if mod in ("negated", "attempted"):
            continue
        if pred in ("called", "met", "pictured_with"):
            a, b = sorted((a, b))
        out.add((pred, a, b))
    return out


def _names(text: str) -> set[str]:
    return {n for f in _facts(text) for n in f[1:3]}


# ---------------------------------------------------------------- pronoun agreement


def test_she_is_never_resolved_to_a_man() -> None:
    text = (
        "Luis Ortega met Tomas Grell in May.\n"
        "Ortega reportedly tried to call the newspaper's editor but she refused to speak to him."
    )
    facts = _facts(text)
    assert not [f for f in facts if f[0] == "called" and "Tomas Grell" in f[1:3]]
    assert not [f for f in facts if f[0] == "called" and f[3] == "negated"]


def test_pronouns_follow_gender_from_first_names() -> None:
    text = "Ivan Sokolov met Anna Petrova in Riga.\nLater she phoned him twice."
    assert ("called", "Anna Petrova", "Ivan Sokolov") in _positive(text)


def test_gender_from_a_title_blocks_a_pronoun() -> None:
    text = "Mr Lorant met Kim Vesna Daal.\nShe phoned Mr Lorant later."
    assert not [f for f in _facts(text) if f[0] == "called" and f[1] == f[2]]


# ---------------------------------------------------------------- contact verbs


def test_spoke_with_is_a_call_only_in_a_phone_context() -> None:
    assert _positive("Carla Mendes spoke with Tomas Grell on Monday.") == set()
    text = "Phone records show that Carla Mendes spoke with Tomas Grell 37 times."
    facts = _facts(text)
    assert ("called", "Carla Mendes", "Tomas Grell", "reported") in facts


def test_visits_and_hosting_are_meetings_with_people_only() -> None:
    assert ("met", "Gennady Volkov", "Yuri Basmanov") in _positive(
        "Gennady Volkov visited Yuri Basmanov in Moscow."
    )
    # visiting an institution is a visit, not a meeting
    assert _positive("Gennady Volkov visited the Ministry of Ports in May.") == {
        ("visited", "Gennady Volkov", "Ministry of Ports")
    }
    assert ("met", "Moussa Diarra", "Sergei Lomov") in _positive(
        "General Moussa Diarra hosted Sergei Lomov at the palace."
    )


def test_meals_together_are_meetings() -> None:
    text = "Simon Ashby and Marcus Reed had lunch together at a golf club."
    assert ("met", "Marcus Reed", "Simon Ashby") in _positive(text)


def test_passive_call_and_naming_call() -> None:
    assert ("called", "Olga Sivak", "Timur Abenov") in _positive(
        "Timur Abenov was called by Olga Sivak twice."
    )
    assert not [
        f for f in _facts("Anna Petrova met an officer called Dmitry Utkin.") if f[0] == "called"
    ]


# ---------------------------------------------------------------- indictments


def test_lower_case_authorities_indict() -> None:
    assert ("indicted_by", "Tomas Grell", "federal prosecutors") in _positive(
        "Tomas Grell was charged by federal prosecutors in 2021."
    )
    assert ("indicted_by", "Arvid Holm", "state attorney general") in _positive(
        "Arvid Holm was indicted by the state attorney general last month."
    )
    assert ("indicted_by", "Marcus Reed", "Crown Prosecution Service") in _positive(
        "Marcus Reed was later charged with fraud by the Crown Prosecution Service."
    )


def test_active_indictment_and_its_negation() -> None:
    assert ("indicted_by", "Rafael Costa", "federal prosecutors") in _positive(
        "Federal prosecutors in Brasilia have indicted Senator Rafael Costa on bribery charges."
    )
    assert _positive("Federal prosecutors have not indicted Senator Rafael Costa.") == set()


def test_sanctions_are_not_indictments() -> None:
    text = "Artur Semyonov was sanctioned by the European Union in 2022."
    assert not [f for f in _facts(text) if f[0] == "indicted_by"]


def test_warrant_issued_by() -> None:
    text = (
        "Benito Cruz was arrested in Hong Kong on a warrant issued by the Philippine "
        "Justice Department."
    )
    assert ("indicted_by", "Benito Cruz", "Philippine Justice Department") in _positive(text)


# ---------------------------------------------------------------- entities and roles


def test_organisations_found_without_an_entity_file() -> None:
    text = "The Ministry of Ports has denied any links to the Blue Harbor syndicate."
    assert ("denies", "Ministry of Ports", "Blue Harbor") in _positive(text)


def test_sentence_initial_words_are_not_entities() -> None:
    names = _names("However, Tomas Grell met Carla Mendes.\nMeanwhile Grell phoned Mendes.")
    assert names == {"Tomas Grell", "Carla Mendes"}


def test_org_noun_before_a_title_names_the_organisation() -> None:
    text = (
        "The Ministry of Ports has denied any links to the Blue Harbor syndicate.\n"
        "Ministry spokesman Luis Ortega said so.\n"
        "Records show Carla Mendes met syndicate boss Tomas Grell."
    )
    pos = _positive(text)
    assert ("role", "Luis Ortega", "Ministry of Ports") in pos
    assert ("role", "Tomas Grell", "Blue Harbor") in pos


def test_company_run_by_and_who_owns() -> None:
    assert ("role", "Paulo Anders", "Verde Lumber") in _positive(
        "Verde Lumber, a logging company run by businessman Paulo Anders, paid."
    )
    text = "Boris Kalinin, who owns the smelting giant Uralskaya Metallurgiya, met Anna Petrova."
    assert ("role", "Boris Kalinin", "Uralskaya Metallurgiya") in _positive(text)


def test_staff_of_a_person() -> None:
    text = (
        "Nadia Petrov met Arvid Holm in May, her spokeswoman Elena Varga said.\n"
        "Petrov's chief of staff, Ivan Kuras, was there."
    )
    pos = _positive(text)
    assert ("role", "Elena Varga", "Nadia Petrov") in pos
    assert ("role", "Ivan Kuras", "Nadia Petrov") in pos


def test_a_lawyer_serves_the_person_not_the_company() -> None:
    text = (
        "Boris Kalinin, who owns the smelting giant Uralskaya Metallurgiya, met Anna Petrova.\n"
        "Kalinin's lawyer, Dmitri Gurov, said nothing."
    )
    pos = _positive(text)
    assert ("role", "Dmitri Gurov", "Boris Kalinin") in pos
    assert ("role", "Dmitri Gurov", "Uralskaya Metallurgiya") not in pos


def test_a_former_chairman_has_no_office_for_his_staff() -> None:
    text = (
        "Viktor Grachev is the former chairman of Volga Credit Bank.\n"
        "Timur Abenov was called by Grachev's assistant, Olga Sivak, several times."
    )
    pos = _positive(text)
    assert ("role", "Olga Sivak", "Volga Credit Bank") not in pos
    assert ("role", "Olga Sivak", "Viktor Grachev") in pos


def test_photograph_shows() -> None:
    assert ("pictured_with", "Carla Mendes", "Tomas Grell") in _positive(
        "A photograph published last year shows Carla Mendes with Tomas Grell at a gala."
    )
    assert _positive("No photograph shows Carla Mendes with Tomas Grell.") == set()


# ---------------------------------------------------------------- statements only


def test_questions_and_open_clauses_are_not_statements() -> None:
    assert _positive("Did Anna Petrova meet Ivan Sokolov?") == set()
    assert _positive("Whether Anna Petrova met Ivan Sokolov remains unclear.") == set()
    assert _positive("Prosecutors are investigating whether Anna Petrova called Ivan Sokolov.") == (
        set()
    )
    assert "Did Anna Petrova" not in _names("Did Anna Petrova meet Ivan Sokolov?")


def test_counterfactuals_are_not_statements() -> None:
    assert _positive("Anna Petrova should have called Ivan Sokolov.") == set()
    assert _positive("Anna Petrova would have met Ivan Sokolov had he stayed.") == set()


def test_presidential_staff_belong_to_the_seat_of_government() -> None:
    text = (
        "The Kremlin has denied any links to Oleg Dernovsky.\n"
        "Records show Oleg Dernovsky phoned presidential aide Kirill Lavrov 58 times."
    )
    assert ("role", "Kirill Lavrov", "Kremlin") in _positive(text)


def test_dismissed_reports_are_about_the_other_party() -> None:
    text = (
        "General Hamid Nasser, the commander of the Libyan National Army, spoke.\n"
        "Yusuf Karaman visited Hamid Nasser in Sabha, according to two officials.\n"
        'The Libyan National Army dismissed the reports as "lies".'
    )
    pos = _positive(text)
    assert ("denies", "Libyan National Army", "Yusuf Karaman") in pos
    assert ("denies", "Libyan National Army", "Hamid Nasser") not in pos


def test_one_word_company_before_a_company_role() -> None:
    text = "Gazprom's chief executive Alexei Miller met Anna Petrova."
    assert ("role", "Alexei Miller", "Gazprom") in _positive(text)
    # a spokesman may serve a person: the possessor is the person served, not a company;
    # a leader's spokesman serves at the seat that leader heads
    served = _positive("Zelensky's spokesman Serhiy Nykyforov met Anna Petrova.")
    assert ("role", "Serhiy Nykyforov", "Bankova") in served
    assert not any(r[2] == "Gazprom" for r in served)
    assert ("met", "Anna Petrova", "Serhiy Nykyforov") in served


def test_vague_counts_are_calls_but_names_are_not() -> None:
    assert ("called", "Anna Petrova", "Ivan Sokolov") in _positive(
        "Anna Petrova phoned Ivan Sokolov dozens of times."
    )
    assert _positive("Anna Petrova called Ivan Sokolov many names.") == set()


def test_plural_noun_claims_is_not_an_attribution() -> None:
    from deniable.facts.model import Document
    from deniable.grammar.entities import Knowledge
    from deniable.grammar.extract import extract

    doc = Document(
        "t.txt",
        "Mayor Ann Holt and Omar Reyes secret meeting after sinister Dale Finch claims surface\n",
    )
    facts = [f for f in extract(doc, Knowledge()).facts if f.pred == "met"]
    assert all(f.source != "Dale Finch" for f in facts)
    doc = Document("u.txt", "Dale Finch claims Omar Reyes met Ann Holt in Paris.\n")
    facts = [f for f in extract(doc, Knowledge()).facts if f.pred == "met"]
    assert facts and all(f.source == "Dale Finch" for f in facts)


def test_description_before_any_name_is_not_guessed() -> None:
    from deniable.facts.model import Document
    from deniable.grammar.entities import Knowledge
    from deniable.grammar.extract import extract

    text = (
        "Tycoon Arvid Holm's 40 calls to Governor Nadia Petrov's aide\n"
        "Holm called Petrov's spokeswoman Elena Varga 40 times, phone records show.\n"
    )
    facts = extract(Document("h.txt", text), Knowledge()).facts
    headline = [f for f in facts if f.evidence.sentence == 0 and f.pred == "called"]
    # "the aide" is nobody named yet: the headline may not pin the calls on the spokeswoman,
    # and calls to someone's aide are never calls to that someone.
    assert all("Elena Varga" not in f.args for f in headline)
    assert all("Nadia Petrov" not in f.args for f in headline)
    assert any(f.pred == "called" and "Elena Varga" in f.args for f in facts)


def test_anonymous_attribution_is_reported_by_nobody_named() -> None:
    from deniable.facts.model import Document, Modality
    from deniable.grammar.entities import Knowledge
    from deniable.grammar.extract import extract

    for text in (
        "Ann Holt met Omar Reyes in Paris, it has been reported.\n",
        "Ann Holt met Omar Reyes in Paris, reports say.\n",
    ):
        (fact,) = [f for f in extract(Document("a.txt", text), Knowledge()).facts]
        # Reported, but "it has been reported" is no second source to count for corroboration.
        assert (fact.pred, fact.modality, fact.source) == ("met", Modality.REPORTED, "")
