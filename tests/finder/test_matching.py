"""How a typed word finds a service: itself or another form of it, a synonym, a part of
a compound, a typo, the start of a word while typing; and that the database's recall
loses nothing the ranking would keep, on either database."""

import pytest
from django.db import connection

from rathaus.catalog.models import Service
from rathaus.finder import ranking
from rathaus.finder.models import ENTRY_ROW, IndexWord, SearchEntry
from rathaus.finder.normalisation import stem
from rathaus.finder.query import Expansion, Kind, QueryWord, Vocabulary, expand, typed_words
from rathaus.finder.selectors import find_services, ranked_services, suggestions
from rathaus.finder.synonyms import SYNONYMS, synonyms_of
from rathaus.finder.trigrams import is_typo_of

from .test_demo_queries import FIRST


def _offer(slug, title, *, keywords="", summary="", published=True):
    return Service.objects.create(slug=slug, title=title, keywords=keywords, summary=summary,
                                  is_published=published)


def _slugs(query, **kwargs):
    return [service.slug for service in find_services(query, **kwargs)]


def test_the_synonym_table_speaks_in_index_words():
    assert synonyms_of("perso") == ("personalausweis",)
    assert "fahrzeug" in synonyms_of("auto") and "kfz" in synonyms_of("auto")
    assert "abfall" in synonyms_of("muell")
    assert synonyms_of("knoellchen") == ("verwarnungsgeld", "bussgeld")
    assert all(key.isascii() and key.islower() for key in SYNONYMS)


def test_colloquial_words_find_what_the_catalogue_calls_otherwise(in_town):
    _offer("ausweis-test", "Personalausweis beantragen")
    _offer("auto-test", "Fahrzeug zulassen", keywords="Zulassung")
    _offer("verwarnung-test", "Verwarnungsgeld bezahlen")
    _offer("abfall-test", "Abfallkalender")
    assert _slugs("Perso") == ["ausweis-test"]
    assert _slugs("Auto") == ["auto-test"]
    assert _slugs("Nummernschild") == ["auto-test"]
    assert _slugs("Knöllchen") == ["verwarnung-test"]
    assert _slugs("Knölchen") == ["verwarnung-test"]  # a typo of a colloquial word


def test_another_form_of_a_word_finds_it_by_its_stem(in_town):
    _offer("hund-test", "Hund anmelden")
    _offer("gewerbe-test", "Gewerbe anmelden")
    assert _slugs("Anmeldung Hund")[0] == "hund-test"
    assert _slugs("Hunde")[0] == "hund-test"


def test_a_typo_finds_the_word_it_was_meant_to_be(in_town):
    _offer("hund-test", "Hund anmelden", keywords="Hundeanmeldung Hundesteuer")
    _offer("fuehrerschein-test", "Führerschein beantragen")
    assert _slugs("Hundeanmeldng") == ["hund-test"]
    assert _slugs("Fuhrerschein") == ["fuehrerschein-test"]
    assert _slugs("Fürerschein") == ["fuehrerschein-test"]


def test_a_compound_finds_services_by_its_parts_and_a_part_finds_compounds(in_town):
    _offer("marke-test", "Ersatz für eine verlorene Hundemarke", keywords="Ersatzmarke")
    _offer("steuer-test", "Hundesteuer zahlen")
    _offer("reinigung-test", "Winterdienst", keywords="Straßenreinigung Gehweg")
    # Neither word is in the index: "Hundesteuermarke" is like "Hundemarke" and holds
    # "Hundesteuer"; "Hundesteuerbescheid" holds "Hundesteuer".
    assert set(_slugs("Hundesteuermarke")) == {"marke-test", "steuer-test"}
    assert _slugs("Hundesteuerbescheid") == ["steuer-test"]
    assert _slugs("Straße") == ["reinigung-test"]
    kinds = {e.word: e.kind for e in expand(typed_words("Hundesteuermarke"))[0].expansions}
    assert kinds["hundesteuer"] == Kind.COMPOUND and kinds["hundemarke"] == Kind.TYPO


def _ranked(typed: str, entries: list) -> list[int]:
    """The ranking alone, for the typed word itself, over hand-made entries."""
    query = [QueryWord(typed, (Expansion(typed, Kind.EXACT, 1.0),))]
    return [result.service_id for result in ranking.rank(query, entries)]


def _entry(service_id: int, title: str, keywords: str = "", summary: str = ""):
    """An entry made by hand: its words and their stems."""
    def stems(text):
        return " | ".join(" ".join(map(stem, part.split())) for part in text.split(" | "))

    texts = (title, keywords, summary, "")
    return ranking.Candidate((service_id, "", service_id, *texts, *map(stems, texts)))


def test_the_title_weighs_more_than_the_keywords_and_they_more_than_the_summary():
    in_title = _entry(101, "hundesteuer zahlen")
    in_keywords = _entry(102, "steuern zahlen", "hundesteuer hundemarke | zahlung")
    in_summary = _entry(103, "steuern zahlen", "zahlung", "auch hundesteuer")
    assert _ranked("hundesteuer", [in_keywords, in_title]) == [101, 102]
    assert _ranked("hundesteuer", [in_summary, in_keywords]) == [102, 103]


def test_a_keyword_that_is_just_what_was_typed_ranks_above_a_longer_title(in_town):
    # The catalogue lists "Umzug" as a keyword because people search for it; the other
    # title only mentions it.
    _offer("mentions", "Wohnsitz abmelden (Umzug ins Ausland)")
    _offer("listed", "Wohnsitz anmelden", keywords="Umzug")
    assert _slugs("Umzug") == ["listed", "mentions"]


def test_a_service_with_every_typed_word_ranks_above_one_with_some(in_town):
    _offer("hund-an", "Hund anmelden")
    _offer("hund-ab", "Hund abmelden")
    _offer("gewerbe-ab", "Gewerbe abmelden")
    assert _slugs("Hund abmelden")[0] == "hund-ab"
    assert _slugs("Gewerbe abmelden")[0] == "gewerbe-ab"


def test_suggestions_take_the_last_word_as_the_start_of_one(in_town):
    _offer("hund-test", "Hund anmelden", keywords="Hundeanmeldung")
    _offer("personal-test", "Personalausweis beantragen")
    assert [s.slug for s in suggestions("Hundeanm")] == ["hund-test"]
    assert [s.slug for s in suggestions("Person")] == ["personal-test"]
    assert suggestions("a" * 200) == []
    # A space after the word says it is complete: no longer the start of another.
    kinds = {e.kind for e in expand(["hundeanm"], last_is_start=True)[0].expansions}
    assert Kind.START in kinds
    assert Kind.START not in {e.kind for e in expand(["hundeanm"])[0].expansions}


def test_stop_words_signs_and_long_input_find_nothing_and_raise_nothing(in_town):
    _offer("hund-test", "Hund anmelden")
    for query in ("der die das", "?!%_*\"'", "\x00\x01", "🐕🐕", "a" * 500, "ß" * 200,
                  'Hund" OR "x', "hund AND NOT katze*", "  ", ""):
        assert isinstance(find_services(query), list), query
    assert find_services("der die das") == []
    assert _slugs('Hund" OR "x') == ["hund-test"]


def test_unpublished_services_are_not_found(in_town):
    _offer("hund-test", "Hund anmelden", published=False)
    assert find_services("Hund") == []


def _all_candidates():
    return [ranking.Candidate(row) for row in SearchEntry.objects.values_list(*ENTRY_ROW)]


def test_the_databases_recall_loses_nothing_the_ranking_would_keep(in_demo_town):
    """The order of every demo query equals the order Python gives with every entry of
    the town as a candidate: whichever database found them, the result is the same."""
    every = _all_candidates()
    for query in [*FIRST, "Hundean", "Fürerschein", "Strassenreiniung"]:
        expanded = expand(typed_words(query))
        assert ranked_services(query) == ranking.rank(expanded, every), query


def test_the_first_few_are_the_first_few_of_the_whole_order(in_demo_town):
    # With a limit the ranking leaves out whom no bonus could bring into it.
    for query in [*FIRST, "Hund", "anmelden", "Fürerschein", "beantragen"]:
        whole = ranked_services(query)
        for limit in (1, 3, 6):
            assert ranked_services(query, limit=limit) == whole[:limit], (query, limit)


def test_the_vocabulary_lookups_equal_a_scan_of_every_word(in_demo_town):
    vocabulary = Vocabulary()
    every = list(IndexWord.objects.values_list("word", flat=True))
    typed = ["hundeanmeldng", "fuhrerschein", "strase", "perso", "kennzeichn", "ab", "muell",
             "xq"]
    similar = vocabulary.similar_to(typed)
    for word in typed:
        assert sorted(similar[word]) == sorted(w for w in every if is_typo_of(word, w)), word
    assert vocabulary.similar_to(["fuhrerschein"]) == {"fuhrerschein": similar["fuhrerschein"]}
    parts = ["marke", "strasse", "ausweis", "melde"]
    containing = vocabulary.containing(parts)
    for part in parts:
        assert sorted(containing[part]) == sorted(w for w in every if part in w), part
    for start in ("hu", "fuehr", "ge", "z"):
        assert sorted(vocabulary.starting_with(start)) == sorted(
            w for w in every if w.startswith(start))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
def test_postgresql_has_the_text_indexes_the_queries_name(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes "
                       "WHERE tablename IN ('finder_searchentry', 'finder_indexword')")
        indexes = dict(cursor.fetchall())
    assert "USING gin (german)" in indexes["finder_searchentry_german"]
    assert "USING gin (word gin_trgm_ops)" in indexes["finder_indexword_trigrams"]
