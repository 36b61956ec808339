"""One normalisation for the index and the query: German spellings folded, signs and
stop words out, Snowball's German stems, the same as PostgreSQL's."""

import unicodedata

import pytest
from django.db import connection

from rathaus.finder.models import SearchEntry
from rathaus.finder.normalisation import STOPWORDS, fold, stem, words
from rathaus.finder.stopwords import POSTGRESQL_GERMAN
from rathaus.finder.trigrams import is_typo_of, similarity, trigrams


def test_sharp_s_and_umlauts_become_what_people_type_without_a_german_keyboard():
    assert words("Straße Größe Übermäßig") == ["strasse", "groesse", "uebermaessig"]
    assert words("STRASSE Fuehrerschein") == ["strasse", "fuehrerschein"]
    assert words("Führerschein") == words("Fuehrerschein")
    assert words("Müll") == words("Muell") == ["muell"]


def test_an_umlaut_typed_as_two_characters_folds_like_one():
    decomposed = unicodedata.normalize("NFD", "Führerschein")
    assert decomposed != "Führerschein"
    assert words(decomposed) == ["fuehrerschein"]


def test_other_accents_are_dropped_and_signs_separate_words():
    assert words("Café-Besitzer, Crème & Ærø!") == ["cafe", "besitzer", "creme", "aeroe"]
    assert fold("Łódź") == "lodz"
    assert words("Online-Ausweis (eID); i-Kfz") == ["online", "ausweis", "eid", "kfz"]


def test_stop_words_and_single_letters_are_left_out():
    assert words("Ich möchte für mein Kind einen Pass") == ["kind", "pass"]
    assert words("über die Straße") == ["strasse"]
    assert words("der die das und oder") == []
    assert words("a b c") == []


def test_every_stop_word_of_postgresql_is_a_stop_word_here():
    # Folded as the index is: "für" as "fuer". PostgreSQL never sees one, so its
    # german configuration drops no word we keep.
    assert {fold(word) for word in POSTGRESQL_GERMAN} <= STOPWORDS
    assert {word for word in POSTGRESQL_GERMAN if word.isascii()} <= STOPWORDS


def test_stems_are_snowballs_german_and_words_with_digits_stay_as_they_are():
    assert stem("anmelden") == stem("anmeldung") == "anmeld"
    assert stem("fahrzeuge") == stem("fahrzeug")
    assert stem("bf17") == "bf17"
    assert stem("99017002001000") == "99017002001000"


def test_trigram_similarity_is_pg_trgms():
    assert trigrams("hund") == {"  h", " hu", "hun", "und", "nd "}
    assert similarity("hund", "hund") == 1.0
    assert similarity("hundeanmeldng", "hundeanmeldung") == pytest.approx(12 / 17)
    assert is_typo_of("fuhrerschein", "fuehrerschein")
    assert not is_typo_of("hund", "katze")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL")
def test_postgresql_gives_every_indexed_word_the_same_stem(in_demo_town):
    """The whole vocabulary of the demo's index: PostgreSQL's german configuration,
    reading the entries' words, keeps each and stems it as finder.normalisation does."""
    vocabulary = sorted({word for text in SearchEntry.objects.values_list("words", flat=True)
                         for word in text.split()})
    assert len(vocabulary) > 1000
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, to_tsvector('german', word)::text "
                       "FROM unnest(%s::text[]) AS word", [vocabulary])
        theirs = dict(cursor.fetchall())
    differing = {word: theirs[word] for word in vocabulary
                 if theirs[word] != f"'{stem(word)}':1"}
    assert not differing
