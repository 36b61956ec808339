"""Search over everything in the eAkte: German word forms, ß and ss, metadata and dates,
snippets with the words marked, and only the documents of files the person may read.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL: the same answers on both."""

import datetime

import pytest
from django.utils import timezone

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.records.search import PAGE_SIZE, search_documents
from rathaus.records.search_index import reindex_case_file
from rathaus.records.services import add_document, add_file_plan_entry, add_version, open_case_file
from tests.factories import make_citizen, make_department, make_staff


@pytest.fixture
def departments(town):
    return {"steuer": make_department(town, slug="steueramt", name="Steueramt"),
            "ordnung": make_department(town, slug="ordnungsamt", name="Ordnungsamt")}


@pytest.fixture
def plan(in_town, departments):
    return {"steuer": add_file_plan_entry(code="32.41.01", title="Hundesteuer",
                                          retention_years=10, department=departments["steuer"]),
            "ordnung": add_file_plan_entry(code="32.10.01", title="Gefahrenabwehr",
                                           retention_years=10,
                                           department=departments["ordnung"])}


@pytest.fixture
def staff(town, departments):
    return {
        "steuer": make_staff(town, departments=[departments["steuer"]])[0],
        "ordnung": make_staff(town, departments=[departments["ordnung"]],
                              email="otto@leichlingen.example")[0],
        "registratur": make_staff(town, departments=[departments["ordnung"]],
                                  email="rita@leichlingen.example", role="records_manager")[0],
    }


@pytest.fixture
def tax_file(plan, citizen):
    return open_case_file(plan_code="32.41.01", title="Hundesteuer Bello", subject=citizen)


def _letter(case_file, text: str, title="Schreiben"):
    return add_document(case_file=case_file, title=title, kind="correspondence",
                        content=text.encode(), media_type="text/plain", filename="brief.txt")


def _titles(actor, query, page=1) -> list[str]:
    return [hit.document_title for hit in search_documents(actor=actor, query=query,
                                                           page=page).hits]


def test_other_forms_of_a_word_find_it(tax_file, staff):
    _letter(tax_file, "Ihre Hunde sind angemeldet.", title="Bestätigung")
    assert _titles(staff["steuer"], "Hund") == ["Bestätigung"]
    assert _titles(staff["steuer"], "hundes") == ["Bestätigung"]


def test_ss_finds_sharp_s_and_the_other_way_round(tax_file, staff):
    _letter(tax_file, "Die Hundewiese liegt an der Kölner Straße.", title="Lageplan")
    _letter(tax_file, "Wohnhaft Muehlenstrasse 3.", title="Meldung")
    assert _titles(staff["steuer"], "Strasse") == ["Lageplan"]
    assert _titles(staff["steuer"], "koelner STRASSE") == ["Lageplan"]
    assert _titles(staff["steuer"], "Mühlenstraße") == ["Meldung"]


def test_every_word_asked_must_be_in_the_document(tax_file, staff):
    _letter(tax_file, "Antrag auf Ermäßigung der Hundesteuer", title="Antrag")
    _letter(tax_file, "Hundesteuer für das Jahr", title="Bescheid")
    assert _titles(staff["steuer"], "Hundesteuer Ermäßigung") == ["Antrag"]
    assert set(_titles(staff["steuer"], "Hundesteuer")) == {"Antrag", "Bescheid"}
    assert _titles(staff["steuer"], "Katzensteuer") == []


def test_metadata_finds_documents_aktenzeichen_file_title_citizen_and_title(tax_file, staff):
    _letter(tax_file, "Kein passendes Wort hier.", title="Zahlungserinnerung")
    for query in (tax_file.aktenzeichen, tax_file.aktenzeichen.replace("-", " / "),
                  "Bello", "Beispiel Bettina", "Zahlungserinnerung"):
        found = search_documents(actor=staff["steuer"], query=query).hits
        assert [hit.aktenzeichen for hit in found] == [tax_file.aktenzeichen], query


def test_a_date_in_either_spelling_finds_documents_of_that_day_and_letters_naming_it(
        tax_file, staff):
    _letter(tax_file, "Frist bis 14.03.2031.", title="Frist")
    today = timezone.localdate()
    assert _titles(staff["steuer"], "2031-03-14") == ["Frist"]
    assert _titles(staff["steuer"], "14.3.2031") == ["Frist"]
    assert _titles(staff["steuer"], today.strftime("%d.%m.%Y")) == ["Frist"]
    assert _titles(staff["steuer"], (today - datetime.timedelta(days=1)).isoformat()) == []


def test_the_snippet_marks_the_words_found_and_escapes_everything_else(tax_file, staff):
    _letter(tax_file, "Anfang. " + "Füllwort " * 60 + "<script>alert(1)</script> Die Hunde "
            "bellen & die Katzen schweigen. " + "Ende " * 60)
    snippet = search_documents(actor=staff["steuer"], query="Hund bellen").hits[0].snippet
    assert "<mark>Hunde</mark> <mark>bellen</mark> &amp; die Katzen" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_staff_find_only_documents_of_files_they_may_read(plan, tax_file, staff):
    _letter(tax_file, "Hundesteuer Bello", title="Steuerakte")
    danger = open_case_file(plan_code="32.10.01", title="Gefährlicher Hund")
    _letter(danger, "Hundesteuer und Leinenzwang", title="Ordnungsverfügung")
    orphan = open_case_file(plan_code="32.41.01", title="Ohne Abteilung", department=None)
    orphan.department = None
    orphan.save()
    _letter(orphan, "Hundesteuer ohne Zuständigkeit", title="Registratur")
    assert _titles(staff["steuer"], "Hundesteuer") == ["Steuerakte"]
    assert _titles(staff["ordnung"], "Hundesteuer") == ["Ordnungsverfügung"]
    assert set(_titles(staff["registratur"], "Hundesteuer")) == {
        "Steuerakte", "Ordnungsverfügung", "Registratur"}


def test_a_file_given_to_another_department_is_found_by_the_new_one_only(
        tax_file, staff, departments):
    _letter(tax_file, "Hundesteuer Bello", title="Steuerakte")
    tax_file.department = departments["ordnung"]
    tax_file.save()
    # Even before the index follows, the file's own department decides.
    assert _titles(staff["steuer"], "Hundesteuer") == []
    reindex_case_file(case_file=tax_file)
    assert _titles(staff["ordnung"], "Hundesteuer") == ["Steuerakte"]


def test_people_without_a_role_and_citizens_may_not_search(tax_file, town):
    with pytest.raises(NotPermitted):
        search_documents(actor=make_citizen("anna@example.org"), query="Hund")


def test_another_authoritys_documents_are_never_found(tax_file, staff, district):
    _letter(tax_file, "Hundesteuer Bello", title="Stadt")
    with authority_context(district):
        add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10)
        kreis_file = open_case_file(plan_code="32.41.01", title="Hundesteuer Kreis")
        _letter(kreis_file, "Hundesteuer Bello", title="Kreis")
    assert _titles(staff["registratur"], "Hundesteuer Bello") == ["Stadt"]


def test_only_the_latest_version_is_searched(tax_file, staff):
    version = _letter(tax_file, "Entwurf mit Tippfehlr", title="Schreiben")
    add_version(document=version.document, content=b"Endfassung ohne Fehler",
                media_type="text/plain", filename="brief.txt")
    assert _titles(staff["steuer"], "Tippfehlr") == []
    assert _titles(staff["steuer"], "Endfassung") == ["Schreiben"]


def test_metadata_matches_come_first_then_the_newest(tax_file, staff):
    _letter(tax_file, "Es geht um die Widerspruchsfrist.", title="Älteres Schreiben")
    _letter(tax_file, "Kein Wort davon.", title="Widerspruchsfrist")
    _letter(tax_file, "Die Widerspruchsfrist läuft.", title="Neueres Schreiben")
    assert _titles(staff["steuer"], "Widerspruchsfrist") == [
        "Widerspruchsfrist", "Neueres Schreiben", "Älteres Schreiben"]


def test_results_come_in_pages(tax_file, staff):
    for number in range(PAGE_SIZE + 5):
        _letter(tax_file, f"Rundschreiben Nummer {number}", title=f"Rundschreiben {number}")
    first = search_documents(actor=staff["steuer"], query="Rundschreiben")
    assert (len(first.hits), first.total, first.pages, first.has_next) == (
        PAGE_SIZE, PAGE_SIZE + 5, 2, True)
    last = search_documents(actor=staff["steuer"], query="Rundschreiben", page=99)
    assert (last.page, len(last.hits), last.has_previous, last.first_number) == (
        2, 5, True, PAGE_SIZE + 1)
    assert {h.document_title for h in first.hits}.isdisjoint(h.document_title for h in last.hits)


def test_a_query_of_stop_words_or_signs_finds_nothing_and_breaks_nothing(tax_file, staff):
    _letter(tax_file, "Der Hund und die Katze")
    for query in ("der und die", "", '"*" OR NEAR( ) : ^ - \' &', "a" * 500):
        assert search_documents(actor=staff["steuer"], query=query).hits == []


def test_office_files_and_pdfs_are_found_by_their_words(tax_file, staff):
    from tests.records.documents_with_text import DOCX, docx, pdf_with_text

    add_document(case_file=tax_file, title="Word", kind="upload", content=docx(
        "Widerspruch gegen die Veranlagung"), media_type=DOCX, filename="w.docx")
    add_document(case_file=tax_file, title="PDF", kind="upload", content=pdf_with_text(
        "Widerspruch zur Grundstücksgröße"), media_type="application/pdf", filename="p.pdf")
    assert set(_titles(staff["steuer"], "Widerspruch")) == {"Word", "PDF"}
    assert _titles(staff["steuer"], "Grundstuecksgroesse") == ["PDF"]


def test_a_clerk_of_two_departments_finds_the_files_of_both_newest_first(
        plan, tax_file, town, departments):
    both = make_staff(town, departments=list(departments.values()),
                      email="beide@leichlingen.example")[0]
    _letter(tax_file, "Rundschreiben zur Leinenpflicht", title="Steuerakte")
    danger = open_case_file(plan_code="32.10.01", title="Gefährlicher Hund")
    _letter(danger, "Rundschreiben zur Leinenpflicht", title="Ordnungsverfügung")
    _letter(tax_file, "Rundschreiben zur Leinenpflicht", title="Nachtrag")
    assert _titles(both, "Rundschreiben Leinenpflicht") == [
        "Nachtrag", "Ordnungsverfügung", "Steuerakte"]


def test_a_moved_document_is_found_by_its_new_file_and_department(plan, tax_file, staff,
                                                                   citizen):
    from rathaus.records.file_work import move_document

    other = open_case_file(plan_code="32.10.01", title="Gefahrenabwehr Bello", subject=citizen)
    letter = _letter(tax_file, "Der Hund hat gebissen.", title="Beißvorfall").document
    assert _titles(staff["steuer"], "gebissen") == ["Beißvorfall"]
    assert _titles(staff["ordnung"], "gebissen") == []
    move_document(actor=staff["registratur"], case_file=tax_file, document=letter,
                  target=other)
    assert _titles(staff["ordnung"], "gebissen") == ["Beißvorfall"]
    assert _titles(staff["steuer"], "gebissen") == []
    assert _titles(staff["ordnung"], other.aktenzeichen) == ["Beißvorfall"]
