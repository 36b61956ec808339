"""Leichte Sprache in the service definitions: every service offered online brings its
own text, the format is checked at load, and the shipped texts keep the rules."""

import pytest
import yaml

from rathaus.catalog.definitions import InvalidDefinition, load_all, load_definition
from tests.factories import SERVICES_DIR, easy_language_problems

SHIPPED = load_all(SERVICES_DIR)
ONLINE = {key: d for key, d in SHIPPED.items() if d.is_online}


def _text_of(easy) -> list[str]:
    lines = [easy.title, easy.intro]
    for section in easy.sections:
        lines.append(section.heading)
        for block in section.blocks:
            lines += block.lines
    for entry in easy.words:
        lines += [entry.word, entry.meaning]
    return lines


@pytest.mark.parametrize("service_id", sorted(ONLINE))
def test_every_service_offered_online_brings_its_leichte_sprache_text(service_id):
    # Information services (no form here) link to the portal's page in Leichte Sprache.
    easy = SHIPPED[service_id].easy_language
    assert easy is not None, f"services/{service_id}.yaml has no easy_language section"
    assert easy.sections and easy.intro


@pytest.mark.parametrize("service_id", sorted(ONLINE))
def test_shipped_leichte_sprache_keeps_the_rules(service_id):
    easy = SHIPPED[service_id].easy_language
    assert easy_language_problems(_text_of(easy)) == []
    text = " ".join(_text_of(easy))
    explained = {entry.word for entry in easy.words}
    # The Wörter-Buch explains words the page uses, and the page uses no hard word
    # that it leaves unexplained.
    for word in explained:
        assert text.count(word) > 1, f"{word!r} is explained but never used"
    for hard in ("Bescheid", "Antrag", "Post-Fach", "Last-Schrift", "Mikro-Chip"):
        if hard in text:
            assert hard in explained, f"{hard!r} is used but not in the Wörter-Buch"


def test_the_rules_check_finds_what_breaks_them():
    assert easy_language_problems(["Sie haben zwei Wochen Zeit."])
    assert easy_language_problems(["Bringen Sie z. B. den Ausweis mit."])
    assert easy_language_problems(["Nach § 11 brauchen Sie einen Nachweis."])
    assert easy_language_problems([" ".join(["Wort"] * 16) + "."])
    assert easy_language_problems(["Sie haben 2 Wochen Zeit.\nDann ist es zu spät."]) == []


def test_paragraphs_keep_one_sentence_a_line():
    easy = SHIPPED["hundeanmeldung"].easy_language
    first = easy.sections[0].blocks[0]
    assert first.kind == "paragraph"
    assert first.lines == ("Dann müssen Sie den Hund bei der Stadt anmelden.",
                           "Das gilt für alle Menschen mit Hund.")
    kinds = {block.kind for section in easy.sections for block in section.blocks}
    assert kinds == {"paragraph", "list", "steps"}
    bescheid = next(w for w in easy.words if w.word == "Bescheid")
    assert bescheid.sentences == ["Ein Brief von einem Amt.",
                                  "In dem Brief steht eine Entscheidung von dem Amt."]


def _written(tmp_path, change):
    data = yaml.safe_load((SERVICES_DIR / "hundeanmeldung.yaml").read_text())
    change(data)
    path = tmp_path / "hundeanmeldung.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_a_definition_without_leichte_sprache_still_loads(tmp_path):
    # A definition imported from elsewhere may lack it; the portal then lists the
    # service without a Leichte Sprache page, and the test above stops it shipping.
    definition = load_definition(_written(tmp_path, lambda d: d.pop("easy_language")))
    assert definition.easy_language is None


@pytest.mark.parametrize("change, where", [
    (lambda d: d["easy_language"].pop("sections"), "easy_language"),
    (lambda d: d["easy_language"]["sections"][0].update(text=[{"table": ["x"]}]),
     "easy_language.sections.0.text.0"),
    (lambda d: d["easy_language"].update(title={"de": "Hund anmelden"}),
     "easy_language.title"),
    (lambda d: d["easy_language"]["words"].append({"word": "Satzung"}),
     "easy_language.words"),
])
def test_a_malformed_leichte_sprache_section_stops_the_start(tmp_path, change, where):
    with pytest.raises(InvalidDefinition) as raised:
        load_definition(_written(tmp_path, change))
    assert where in str(raised.value)
