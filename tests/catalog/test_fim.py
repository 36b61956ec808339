"""A FIM data schema (XDatenfelder 2.0 or 3.0) becomes a draft definition that loads and
works as a form, with notes for what staff must finish; a broken file gets a German
message naming the element and its line (catalog.fim)."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from rathaus.catalog.definitions import definition_from_data, load_definition
from rathaus.catalog.fim import MAX_BYTES, FimError, definition_from_fim
from rathaus.forms.engine import step_form_class

FILES = Path(__file__).with_name("fim")
DOG = FILES / "hund_anmelden_xdf2.xml"
STREET = FILES / "sondernutzung_xdf3.xml"
CODE_LISTS = {path.name: path.read_bytes() for path in FILES.glob("*_genericode.xml")}
XDF3 = "urn:xoev-de:fim:standard:xdatenfelder_3.0.0"


def _convert(path: Path, **kwargs):
    kwargs = {"service_id": "test-service", "department": "ordnungsamt",
              "code_lists": CODE_LISTS, **kwargs}
    return definition_from_fim(path.read_bytes(), **kwargs)


def _fields(definition: dict) -> dict:
    return {f["id"]: f for step in definition["steps"] for f in step["fields"]}


def _loaded(definition: dict):
    return definition_from_data(definition, source=Path("test-service.yaml"))


def _form(service, step_id: str, data: dict):
    return step_form_class(service, service.step(step_id))(data, answers={}, uploads={})


# Inline schemas in XDatenfelder 3.0, for the broken cases.

def _schema(body: str, *, root: str = "xdatenfelder.stammdatenschema.0102",
            namespace: str = XDF3) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xdf:{root} xmlns:xdf="{namespace}">\n'
            '<xdf:stammdatenschema><xdf:identifikation><xdf:id>S1</xdf:id></xdf:identifikation>\n'
            f'<xdf:name>Test</xdf:name>\n{body}\n</xdf:stammdatenschema>\n</xdf:{root}>'
            ).encode()


def _field(fim_id: str, name: str, *, feldart="input", datentyp="text", extra="",
           anzahl="1:1") -> str:
    return (f"<xdf:struktur><xdf:anzahl>{anzahl}</xdf:anzahl><xdf:enthaelt><xdf:datenfeld>"
            f"<xdf:identifikation><xdf:id>{fim_id}</xdf:id></xdf:identifikation>"
            f"<xdf:name>{name}</xdf:name><xdf:feldart><code>{feldart}</code></xdf:feldart>"
            f"<xdf:datentyp><code>{datentyp}</code></xdf:datentyp>{extra}"
            "</xdf:datenfeld></xdf:enthaelt></xdf:struktur>\n")


def _group(fim_id: str, name: str, body: str, *, anzahl="1:1") -> str:
    return (f"<xdf:struktur><xdf:anzahl>{anzahl}</xdf:anzahl><xdf:enthaelt><xdf:datenfeldgruppe>"
            f"<xdf:identifikation><xdf:id>{fim_id}</xdf:id></xdf:identifikation>"
            f"<xdf:name>{name}</xdf:name>\n{body}</xdf:datenfeldgruppe></xdf:enthaelt>"
            "</xdf:struktur>\n")


# --- Both versions convert ---------------------------------------------------------------

def test_a_fim_2_schema_becomes_one_step_per_group_after_the_fields_of_the_schema_itself():
    result = _convert(DOG)
    definition = result.definition
    assert (result.schema_id, result.schema_version, result.xdf_version) == (
        "S99000001", "1.0", "2.0")
    assert [s["id"] for s in definition["steps"]] == ["angaben", "halterin_oder_halter", "hund"]
    assert definition["title"] == {"de": "Hund anmelden"}
    assert definition["summary"] == {"de": "Melden Sie Ihren Hund zur Hundesteuer an."}
    # A label field is text above the questions, not a question.
    assert definition["steps"][0]["intro"] == {
        "de": "Ihre Angaben werden nur für die Hundesteuer verwendet."}
    types = {fid: f["type"] for fid, f in _fields(definition).items()}
    assert types == {
        "bemerkungen": "textarea", "familienname": "text", "vornamen": "text",
        "e_mail_adresse": "email", "anschrift_strasse": "text",
        "anschrift_postleitzahl": "postcode", "anschrift_ort": "text",
        "name_des_hundes": "text", "geburtsdatum_des_hundes": "date",
        "geschlecht_des_hundes": "radio", "rasse": "select", "grosser_hund": "radio",
        "nachweis_sachkunde": "file", "anzahl_hunde_im_haushalt": "text",
        "versicherung_bestaetigt": "checkbox",
    }


def test_code_lists_give_the_answers_and_more_than_five_make_a_select_list():
    fields = _fields(_convert(DOG).definition)
    assert fields["geschlecht_des_hundes"]["options"] == [
        {"value": "w", "label": {"de": "Hündin"}}, {"value": "m", "label": {"de": "Rüde"}}]
    assert len(fields["rasse"]["options"]) == 7


def test_a_code_list_is_found_by_the_file_name_fim_exports_give_it():
    renamed = {"C99000003_genericode.xml": CODE_LISTS["C99000003_genericode.xml"].replace(
        b"urn:de:rathaus-test:codeliste:ja-nein", b"urn:de:rathaus-test:anders")}
    fields = _fields(_convert(DOG, code_lists=renamed).definition)
    assert [o["value"] for o in fields["grosser_hund"]["options"]] == ["ja", "nein"]


def test_a_fim_3_schema_reads_inline_values_attribute_lengths_and_nested_groups():
    result = _convert(STREET)
    fields = _fields(result.definition)
    assert result.xdf_version == "3.0"
    assert [s["id"] for s in result.definition["steps"]] == ["antragsteller", "vorhaben"]
    assert fields["name_oder_firma"]["max_length"] == 150
    assert fields["e_mail"]["type"] == "email"
    assert fields["beschreibung_des_vorhabens"]["type"] == "textarea"
    assert [o["label"]["de"] for o in fields["art_der_nutzung"]["options"]] == [
        "Container", "Gerüst", "Verkaufsstand", "Außengastronomie", "Sonstiges"]
    assert fields["art_der_nutzung"]["type"] == "radio"
    # A nested group is flattened into its step, its name before its fields'.
    assert fields["ort_der_nutzung_strasse"]["label"] == {"de": "Ort – Straße"}
    assert "vorgangsnummer" not in fields and "interne_vorgangsnummer" not in fields
    assert result.definition["legal_basis"] == [
        {"title": {"de": "§ 8 FStrG"}, "url": "https://www.gesetze-im-internet.de/fstrg/__8.html"}]


@pytest.mark.parametrize("path", [DOG, STREET])
def test_the_definition_loads_as_an_online_service_of_the_given_department(path):
    service = _loaded(_convert(path, file_plan={"code": "32.10.01"}, retention_years=6).definition)
    assert service.is_online and service.version == 1
    assert [(t.department, t.decides) for t in service.tasks] == [("ordnungsamt", True)]
    assert service.file_plan == {"code": "32.10.01", "title": service.title}
    assert service.retention_years == 6


def test_placeholders_for_the_file_plan_and_retention_are_named_in_the_notes():
    result = _convert(DOG)
    assert result.definition["file_plan"]["code"] == "0"
    assert any(note.startswith("Aktenplan (file_plan): Platzhalter") for note in result.notes)
    assert any(note.startswith("Aufbewahrungsfrist") for note in result.notes)


# --- Required fields and their messages ---------------------------------------------------

def test_a_multiplicity_of_1_makes_a_field_required_with_a_german_message_from_its_label():
    fields = _fields(_convert(DOG).definition)
    assert fields["familienname"]["required"] is True
    assert fields["familienname"]["errors"]["required"] == {
        "de": "Geben Sie „Familienname“ an.", "en": "Enter “Familienname”."}
    assert "required" not in fields["e_mail_adresse"]  # 0:1
    # A question is never repeated in its message.
    assert fields["grosser_hund"]["errors"]["required"]["de"] == "Wählen Sie eine Antwort aus."


def test_a_required_yes_no_box_stays_optional_as_unticked_is_an_answer():
    result = _convert(DOG)
    assert "required" not in _fields(result.definition)["versicherung_bestaetigt"]
    assert any("F99000038" in note and "Ankreuzfeld" in note for note in result.notes)


def test_a_required_field_in_an_optional_group_is_optional():
    xml = _schema(_group("G1", "Zweitwohnung", _field("F1", "Straße"), anzahl="0:1"))
    result = definition_from_fim(xml, service_id="x", department="y")
    assert "required" not in _fields(result.definition)["strasse"]
    assert any("Pflicht in einer freiwilligen Gruppe" in note for note in result.notes)


# --- A working form -----------------------------------------------------------------------

DOG_ANSWERS = {"name_des_hundes": "Bello", "geburtsdatum_des_hundes": "01.02.2020",
               "geschlecht_des_hundes": "m", "rasse": "002", "grosser_hund": "nein",
               "anzahl_hunde_im_haushalt": "1", "versicherung_bestaetigt": "on"}


def test_the_converted_step_renders_as_a_form_with_its_questions_and_answers():
    service = _loaded(_convert(DOG).definition)
    with translation.override("de"):
        html = str(_form(service, "hund", {}))
    assert "Rufname des Hundes" in html and "Hündin" in html and "Deutscher Schäferhund" in html
    assert 'type="file"' in html and 'type="checkbox"' in html


def test_valid_answers_pass_the_converted_form():
    service = _loaded(_convert(DOG).definition)
    form = _form(service, "hund", DOG_ANSWERS)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nachweis_sachkunde"] is None  # not asked: the dog is small


def test_a_missing_required_answer_gets_the_generated_german_message():
    service = _loaded(_convert(DOG).definition)
    with translation.override("de"):
        form = _form(service, "hund", {**DOG_ANSWERS, "name_des_hundes": "", "rasse": ""})
        assert not form.is_valid()
        assert form.errors == {"name_des_hundes": ["Geben Sie „Rufname des Hundes“ an."],
                               "rasse": ["Wählen Sie bei „Rasse“ eine Antwort aus."]}


def test_a_max_length_from_fim_is_checked():
    service = _loaded(_convert(DOG).definition)
    form = _form(service, "hund", {**DOG_ANSWERS, "name_des_hundes": "B" * 61})
    assert list(form.errors) == ["name_des_hundes"]


# --- Rules ---------------------------------------------------------------------------------

def test_an_activation_rule_becomes_a_condition_and_makes_the_field_required():
    service = _loaded(_convert(DOG).definition)
    proof = service.fields["nachweis_sachkunde"]
    assert proof.show_if == {"field": "grosser_hund", "equals": "ja"} and proof.required
    with translation.override("de"):
        form = _form(service, "hund", {**DOG_ANSWERS, "grosser_hund": "ja"})
        assert not form.is_valid()
        assert form.errors == {"nachweis_sachkunde": ["Laden Sie „Nachweis der Sachkunde“ hoch."]}


def test_an_activation_rule_of_fim_3_gives_a_condition_without_making_it_required():
    fields = _fields(_convert(STREET).definition)
    assert fields["standsicherheitsnachweis"]["show_if"] == {
        "field": "art_der_nutzung", "equals": "002"}
    assert "required" not in fields["standsicherheitsnachweis"]


def test_other_rules_are_kept_as_notes_for_staff_with_their_text_and_script():
    notes = _convert(DOG).notes + _convert(STREET).notes
    [blind] = [n for n in notes if n.startswith("Regel R99000001")]
    assert "Blindenführhunde" in blind and "Skript: if (F99000030" in blind
    assert blind.endswith("bitte von Hand prüfen.")
    assert any(n.startswith("Regel R99000122 „Zeitraum“") and "von Hand" in n for n in notes)
    assert any(n.startswith("Regel R99000002") and "als Bedingung übernommen" in n
               for n in notes)


def test_a_rule_naming_a_field_that_is_not_in_the_schema_stays_a_note():
    rule = ("<xdf:regel><xdf:identifikation><xdf:id>R1</xdf:id></xdf:identifikation>"
            "<xdf:name>Fremd</xdf:name><xdf:freitextRegel>WENN F9 = 'ja', DANN aktiviere F1."
            "</xdf:freitextRegel></xdf:regel>")
    result = definition_from_fim(_schema(rule + _field("F1", "Name", anzahl="0:1")),
                                 service_id="x", department="y")
    assert "show_if" not in _fields(result.definition)["name"]
    assert any(n.startswith("Regel R1") and "von Hand" in n for n in result.notes)


# --- What needs staff ------------------------------------------------------------------------

def test_a_missing_code_list_makes_a_text_field_and_a_note():
    result = _convert(STREET)
    assert _fields(result.definition)["stadtbezirk"]["type"] == "text"
    assert any("urn:de:rathaus-test:codeliste:stadtbezirk liegt nicht vor" in n
               for n in result.notes)


def test_a_missing_code_list_is_an_error_when_code_lists_are_required():
    with pytest.raises(FimError) as raised:
        _convert(STREET, require_code_lists=True)
    assert raised.value.element == "Datenfeld F99000127"
    assert "urn:de:rathaus-test:codeliste:stadtbezirk liegt nicht vor" in raised.value.message


def test_a_code_list_embedded_in_the_file_is_used():
    embedded = (
        '<gc:CodeList xmlns:gc="http://docs.oasis-open.org/codelist/ns/genericode/1.0/">'
        "<Identification><CanonicalUri>urn:test:farbe</CanonicalUri></Identification>"
        '<ColumnSet><Column Id="c"/><Column Id="n"/><Key Id="k"><ColumnRef Ref="c"/></Key>'
        "</ColumnSet><SimpleCodeList><Row><Value><SimpleValue>r</SimpleValue></Value>"
        "<Value><SimpleValue>Rot</SimpleValue></Value></Row></SimpleCodeList></gc:CodeList>")
    reference = ("<xdf:codelisteReferenz><xdf:canonicalIdentification>urn:test:farbe"
                 "</xdf:canonicalIdentification></xdf:codelisteReferenz>")
    xml = _schema(_field("F1", "Farbe", feldart="select", extra=reference) + embedded)
    result = definition_from_fim(xml, service_id="x", department="y")
    assert _fields(result.definition)["farbe"]["options"] == [
        {"value": "r", "label": {"de": "Rot"}}]


def test_repeated_fields_hidden_fields_and_unchecked_limits_are_named_in_the_notes():
    notes = _convert(STREET).notes
    assert any(n.startswith("Datenfeld F99000132 „Hausnummer“ kann mehrfach") for n in notes)
    assert any(n.startswith("Datenfeld F99000113") and "hidden" in n for n in notes)
    assert any(n.startswith("Datenfeld F99000126") and "minValue" in n for n in notes)
    assert any(n.startswith("Texte nur auf Deutsch") for n in notes)


def test_ids_come_from_names_in_ascii_and_stay_unique():
    body = (_field("F1", "Straße") + _field("F2", "Straße") + _field("F3", "Größe in Ärmeln")
            + _field("F4", "1. Wohnsitz"))
    result = definition_from_fim(_schema(body), service_id="x", department="y")
    assert list(_fields(result.definition)) == [
        "strasse", "strasse_2", "groesse_in_aermeln", "feld_1_wohnsitz"]


# --- Broken files ----------------------------------------------------------------------------

def test_a_field_without_a_name_is_named_with_its_line():
    with pytest.raises(FimError) as raised:
        _convert(FILES / "broken_field_without_name.xml")
    assert str(raised.value) == (
        "Datenfeld F99000212 (Zeile 27): Es fehlt der Name (name oder bezeichnungEingabe).")
    assert (raised.value.element, raised.value.line) == ("Datenfeld F99000212", 27)


@pytest.mark.parametrize("path", [
    FILES / "broken_billion_laughs.xml",
    None,  # an external entity, inline below
])
def test_dtds_and_entities_are_refused_before_anything_is_expanded(path):
    xml = path.read_bytes() if path else (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        b'<x>&secret;</x>')
    with pytest.raises(FimError, match=r"\(Zeile 2\): Die Datei enthält eine DTD"):
        definition_from_fim(xml, service_id="x", department="y", source="bombe.xml")


@pytest.mark.parametrize("xml, element, message", [
    (b"Hund anmelden", "upload.xml", "kein wohlgeformtes XML (syntax error"),
    (b"<a><b></a>", "upload.xml", "kein wohlgeformtes XML (mismatched tag"),
    (_schema("", namespace="urn:example:other"), "upload.xml",
     "keine XDatenfelder-Datei: Das Wurzelelement „xdatenfelder.stammdatenschema.0102“ hat den "
     "Namensraum „urn:example:other“"),
    (_schema("", root="xdatenfelder.datenfeldgruppe.0103"), "upload.xml",
     "Die Nachricht „xdatenfelder.datenfeldgruppe.0103“ wird nicht gelesen"),
    (_schema(""), "Stammdatenschema S1", "Sie enthält keine Datenfelder"),
    (_schema(_group("G7", "Leer", "")), "Datenfeldgruppe G7", "Sie enthält keine Datenfelder"),
    (_schema(_group("G7", "Leer", "<xdf:struktur><xdf:anzahl>1:1</xdf:anzahl>"
                                  "<xdf:enthaelt/></xdf:struktur>")),
     "Datenfeldgruppe G7", "Ein Strukturelement verweist auf nichts"),
    (_schema(_group("G7", "Fremd", "<xdf:struktur><xdf:anzahl>1:1</xdf:anzahl><xdf:enthaelt>"
                                   "<xdf:feld/></xdf:enthaelt></xdf:struktur>")),
     "Datenfeldgruppe G7", "„enthaelt“ darf nur Datenfelder und Datenfeldgruppen enthalten"),
    (_schema(_field("F5", "Farbe", feldart="select")), "Datenfeld F5",
     "Ein Auswahlfeld braucht Werte (werte) oder eine Codeliste"),
    (_schema(_field("F5", "Farbe", feldart="select",
                    extra="<xdf:codelisteReferenz><xdf:version>1</xdf:version>"
                          "</xdf:codelisteReferenz>")),
     "Datenfeld F5", "Die Codelisten-Referenz nennt weder eine Kennung noch eine URI."),
    (_schema(_field("F5", "Alter", anzahl="eins")), "Datenfeld F5",
     "Die Anzahl „eins“ ist ungültig"),
    (_schema(_field("F5", "Alter", datentyp="zahl")), "Datenfeld F5",
     "Der Datentyp „zahl“ ist unbekannt"),
    (_schema(_field("F5", "Name", extra="<xdf:praezisierung>max 5</xdf:praezisierung>")),
     "Datenfeld F5", "Die Präzisierung „max 5“ ist kein JSON-Objekt."),
    (_schema(_field("", "Name")), "Datenfeld (ohne Kennung)", "Es fehlt die Kennung"),
])
def test_a_broken_file_gets_a_german_message_naming_the_element(xml, element, message):
    with pytest.raises(FimError) as raised:
        definition_from_fim(xml, service_id="x", department="y", source="upload.xml")
    assert raised.value.element == element
    assert message in raised.value.message
    assert raised.value.line


def test_groups_nested_too_deep_are_refused():
    body = _field("F1", "Name")
    for level in range(12):
        body = _group(f"G{level}", f"Ebene {level}", body)
    with pytest.raises(FimError, match="tiefer als 10 Ebenen verschachtelt"):
        definition_from_fim(_schema(body), service_id="x", department="y")


def test_a_file_larger_than_the_limit_is_not_read():
    with pytest.raises(FimError, match="größer als 2 MB") as raised:
        definition_from_fim(b" " * (MAX_BYTES + 1), service_id="x", department="y",
                            source="riesig.xml")
    assert raised.value.element == "riesig.xml"


def test_a_broken_code_list_is_named():
    with pytest.raises(FimError) as raised:
        _convert(DOG, code_lists={"C99000001_genericode.xml": b"<CodeList/>"})
    assert raised.value.element == "Codeliste C99000001_genericode.xml"
    assert "keine genericode-Codeliste" in raised.value.message


# --- The command ------------------------------------------------------------------------------

def test_the_command_writes_yaml_with_the_notes_as_comments_using_code_lists_beside_the_file():
    out = StringIO()
    call_command("fim_to_definition", str(DOG), "--id", "hund-fim", "--department",
                 "ordnungsamt", "--file-plan", "21.33.01", stdout=out)
    text = out.getvalue()
    assert text.startswith("# Entwurf aus dem FIM-Stammdatenschema S99000001 Version 1.0")
    assert "# - Regel R99000001 „Steuerbefreiung“" in text
    service = _loaded(yaml.safe_load(text) | {"id": "test-service"})
    assert service.fields["rasse"].type == "select"  # C99000002_genericode.xml beside it
    assert service.file_plan == {"code": "21.33.01", "title": {"de": "Hund anmelden"}}


def test_the_command_writes_a_file_the_loader_accepts(tmp_path):
    out, target = StringIO(), tmp_path / "sondernutzung.yaml"
    call_command("fim_to_definition", str(STREET), "--id", "sondernutzung", "--department",
                 "tiefbauamt", "--retention-years", "6", "--output", str(target), stdout=out)
    assert out.getvalue().startswith(f"{target} geschrieben,")
    service = load_definition(target)
    assert service.department == "tiefbauamt" and service.retention_years == 6


@pytest.mark.parametrize("arguments, message", [
    (["tests/catalog/fim/broken_field_without_name.xml"], "Datenfeld F99000212 (Zeile 27)"),
    ([str(STREET), "--require-codelists"], "stadtbezirk liegt nicht vor"),
    (["tests/catalog/fim/gibt-es-nicht.xml"], "gibt-es-nicht.xml"),
])
def test_the_command_fails_with_the_message(arguments, message):
    with pytest.raises(CommandError) as raised:
        call_command("fim_to_definition", *arguments, "--id", "x", "--department", "y")
    assert message in str(raised.value)


def test_the_command_refuses_arguments_the_format_does_not_accept():
    with pytest.raises(CommandError, match="department"):
        call_command("fim_to_definition", str(DOG), "--id", "x", "--department", "Ordnungsamt")
