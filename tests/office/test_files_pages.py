"""The eAkte's office pages: the file plan, an entry with its files and history, the
forms of the Registratur, a file with its documents, versions and notes, moving a
document, downloads and the integrity checks; and who gets which answer."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.authorities.tenancy import authority_context
from rathaus.records.file_plan import EntryData, add_plan_entry
from rathaus.records.models import (
    Document,
    DocumentNote,
    FilePlanEntry,
    FilePlanRevision,
    IntegrityRun,
)
from rathaus.records.services import close_case_file
from tests.factories import make_case, office_client

PLAN = "/verwaltung/akten/"


def client_of(user):
    return office_client(user, TOTPDevice.objects.get(user=user))


@pytest.fixture
def files(people, dog_town):
    """Two dog registrations of the owner, filed under 21.33.01 (the Steueramt's),
    which the Registratur has put under 2 > 21 > 21.33 of the plan."""
    with authority_context(dog_town):
        first, second = make_case(people.owner), make_case(people.owner, large=False)
        registrar = people.records_manager
        finance = add_plan_entry(actor=registrar, data=EntryData(
            code="2", title="Finanzverwaltung", retention_years=10))
        taxes = add_plan_entry(actor=registrar, data=EntryData(
            code="21", title="Steuern", retention_years=10, parent=finance))
        local = add_plan_entry(actor=registrar, data=EntryData(
            code="21.33", title="Aufwandsteuern", retention_years=10, parent=taxes))
        FilePlanEntry.objects.filter(code="21.33.01").update(parent=local)

    class Files:
        first_file, second_file = first.case_file, second.case_file
        first_case = first
        plan = (finance, taxes, local)
    return Files


def test_the_file_plan_is_a_nested_tree_with_the_files_one_may_read(files, people):
    page = client_of(people.decider).get(PLAN)
    assert page.status_code == 200
    html = page.content.decode()
    # 21.33.01 inside 21.33 inside 21 inside 2: each level is a list inside an entry.
    nesting = re.search(r"<strong>2</strong>.*?<ul.*?<strong>21</strong>.*?<ul.*?"
                        r"<strong>21\.33</strong>.*?<ul.*?<strong>21\.33\.01</strong>", html, re.S)
    assert nesting, html
    entry = FilePlanEntry.all_authorities.get(code="21.33.01")
    assert f'href="/verwaltung/akten/aktenplan/{entry.pk}/"' in html
    assert [n.total for n in page.context["tree"]] == [2]
    # The Ordnungsamt reads none of the Steueramt's files: the tree counts none.
    assert [n.total for n in client_of(people.other_task).get(PLAN).context["tree"]] == [0]


def test_an_entry_lists_its_readable_files_newest_first(files, people):
    entry = FilePlanEntry.all_authorities.get(code="21.33.01")
    page = client_of(people.decider).get(f"{PLAN}aktenplan/{entry.pk}/")
    assert [f.aktenzeichen for f in page.context["files"]] == [
        files.second_file.aktenzeichen, files.first_file.aktenzeichen]
    assert page.context["revisions"] is None  # the history is the Registratur's
    assert b"bearbeiten" not in page.content
    other = client_of(people.other_task).get(f"{PLAN}aktenplan/{entry.pk}/")
    assert list(other.context["files"]) == []


def test_the_registratur_adds_a_sub_entry_and_changes_it_with_a_reason(files, people):
    registrar = client_of(people.records_manager)
    _finance, taxes, _local = files.plan
    form = registrar.get(f"{PLAN}aktenplan/neu/?parent={taxes.pk}")
    assert form.context["form"].initial["code"] == "21."
    response = registrar.post(f"{PLAN}aktenplan/neu/", {
        "parent": taxes.pk, "code": "21.31", "title": "Grundsteuer", "retention_years": "10",
        "disposal": "V", "reference_pattern": "{code}-{year}-{number:06d}"})
    added = FilePlanEntry.all_authorities.get(code="21.31")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/aktenplan/{added.pk}/")
    response = registrar.post(f"{PLAN}aktenplan/{added.pk}/bearbeiten/", {
        "parent": taxes.pk, "code": "21.31", "title": "Grundsteuer A und B",
        "retention_years": "12", "disposal": "B",
        "reference_pattern": "{code}/{year}/{number}", "reason": "Neue Dienstanweisung"})
    assert response.status_code == 302
    page = registrar.get(f"{PLAN}aktenplan/{added.pk}/")
    assert [r.number for r in page.context["revisions"]] == [2, 1]
    assert "Neue Dienstanweisung" in page.content.decode()
    added.refresh_from_db()
    assert (added.title, added.retention_years, added.reference_pattern) == (
        "Grundsteuer A und B", 12, "{code}/{year}/{number}")


@pytest.mark.parametrize(("data", "field"), [
    ({"code": "32.41"}, "code"),  # not under 21
    ({"code": ""}, "code"),
    ({"retention_years": "zehn"}, "retention_years"),
    ({"reference_pattern": "{code}-{number}"}, "reference_pattern"),
    ({"disposal": "X"}, "disposal"),
    ({"parent": "999999"}, "parent"),
])
def test_bad_input_is_named_at_its_field_and_nothing_is_saved(files, people, data, field):
    _finance, taxes, _local = files.plan
    before = FilePlanRevision.all_authorities.count()
    response = client_of(people.records_manager).post(f"{PLAN}aktenplan/neu/", {
        "parent": taxes.pk, "code": "21.31", "title": "Grundsteuer", "retention_years": "10",
        "disposal": "V", "reference_pattern": "{code}-{year}-{number:06d}", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"error-summary" in response.content
    assert FilePlanRevision.all_authorities.count() == before
    assert not FilePlanEntry.all_authorities.filter(title="Grundsteuer").exists()


def test_an_entry_moved_under_its_own_child_is_refused_on_the_form(files, people):
    finance, _taxes, local = files.plan
    response = client_of(people.records_manager).post(
        f"{PLAN}aktenplan/{finance.pk}/bearbeiten/", {
            "parent": local.pk, "code": "2", "title": "Finanzverwaltung",
            "retention_years": "10", "disposal": "B",
            "reference_pattern": "{code}-{year}-{number:06d}"})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    finance.refresh_from_db()
    assert finance.parent is None


def test_the_code_field_is_fixed_once_files_hang_in_the_entry(files, people):
    entry = FilePlanEntry.all_authorities.get(code="21.33.01")
    registrar = client_of(people.records_manager)
    form = registrar.get(f"{PLAN}aktenplan/{entry.pk}/bearbeiten/").context["form"]
    assert form.fields["code"].disabled
    registrar.post(f"{PLAN}aktenplan/{entry.pk}/bearbeiten/", {
        "parent": entry.parent_id, "code": "99", "title": "Hundesteuer",
        "retention_years": "10", "disposal": "V",
        "reference_pattern": entry.reference_pattern})
    entry.refresh_from_db()
    assert entry.code == "21.33.01" and entry.disposal == "V"


def test_pages_of_the_registratur_are_refused_to_clerks(files, people):
    clerk = client_of(people.team_lead)
    entry = files.plan[0]
    for path in (f"{PLAN}aktenplan/neu/", f"{PLAN}aktenplan/{entry.pk}/bearbeiten/",
                 f"{PLAN}integritaet/"):
        assert clerk.get(path).status_code == 403, path
    assert clerk.post(f"{PLAN}aktenplan/neu/", {"code": "9", "title": "T"}).status_code == 403


def test_the_case_page_opens_the_file_for_those_who_read_it(files, people):
    case_page = client_of(people.decider).get(f"/verwaltung/vorgaenge/{files.first_case.pk}/")
    link = f"/verwaltung/akten/{files.first_file.uuid}/"
    assert link in case_page.content.decode()
    # The Ordnungsamt has a task on the large dog's case, not the file.
    ordnungsamt = client_of(people.other_task)  # a TOTP code logs in once
    other = ordnungsamt.get(f"/verwaltung/vorgaenge/{files.first_case.pk}/")
    assert other.status_code == 200 and link not in other.content.decode()
    assert ordnungsamt.get(link).status_code == 404


def test_a_file_shows_its_data_documents_and_every_version(files, people):
    clerk = client_of(people.decider)  # a TOTP code logs in once
    page = clerk.get(f"{PLAN}{files.first_file.uuid}/")
    html = page.content.decode()
    assert page.status_code == 200 and files.first_file.aktenzeichen in html
    documents = page.context["contents"].documents
    assert documents, "the application is filed"
    version = documents[0].versions[0]
    assert version.sha256[:16] in html
    download = clerk.get(f"{PLAN}{files.first_file.uuid}/versionen/{version.uuid}/")
    assert download.status_code == 200
    assert download["ETag"] == f'"{version.sha256}"'
    assert download["Content-Disposition"].startswith("attachment")
    # A version of another file is not found through this one.
    assert clerk.get(
        f"{PLAN}{files.second_file.uuid}/versionen/{version.uuid}/").status_code == 404


def test_the_registratur_reads_every_file_and_a_stranger_none(files, people):
    assert client_of(people.records_manager).get(
        f"{PLAN}{files.first_file.uuid}/").status_code == 200
    assert client_of(people.no_task).get(f"{PLAN}{files.first_file.uuid}/").status_code == 404


def test_notes_through_the_page_and_an_empty_one_refused(files, people):
    clerk = client_of(people.decider)
    url = f"{PLAN}{files.first_file.uuid}/vermerke/"
    assert clerk.post(url, {"text": "Telefonat mit der Halterin."}).status_code == 302
    document = Document.all_authorities.filter(case_file=files.first_file).first()
    assert clerk.post(url, {f"note-{document.uuid}-text": "Original geprüft."}
                      ).status_code == 302
    refused = clerk.post(url, {"text": "  "})
    assert refused.status_code == 200 and "text" in refused.context["note_form"].errors
    page = clerk.get(f"{PLAN}{files.first_file.uuid}/").content.decode()
    assert "Telefonat mit der Halterin." in page and "Original geprüft." in page
    assert list(DocumentNote.all_authorities.values_list("document", flat=True)) == [
        None, document.pk]


def test_moving_a_document_through_the_page(files, people):
    clerk = client_of(people.decider)
    document = Document.all_authorities.filter(case_file=files.first_file).first()
    url = f"{PLAN}{files.first_file.uuid}/dokumente/{document.uuid}/verschieben/"
    field = f"{document.uuid}-aktenzeichen"
    unknown = clerk.post(url, {field: "21.33.01-1999-999999"})
    assert unknown.status_code == 200
    failed = next(d for d in unknown.context["contents"].documents if d.document == document)
    assert failed.move_form.errors and failed.move_form["aktenzeichen"].value() == (
        "21.33.01-1999-999999")  # what was typed stays
    moved = clerk.post(url, {field: files.second_file.aktenzeichen})
    assert moved.status_code == 302
    document.refresh_from_db()
    assert document.case_file_id == files.second_file.pk


def test_a_closed_file_offers_no_forms_and_takes_no_move(files, people):
    with authority_context(files.first_file.authority):
        close_case_file(case_file=files.second_file)
    clerk = client_of(people.decider)
    page = clerk.get(f"{PLAN}{files.second_file.uuid}/")
    assert page.context["may_work"] is False and b"/vermerke/" not in page.content
    document = Document.all_authorities.filter(case_file=files.first_file).first()
    refused = clerk.post(f"{PLAN}{files.first_file.uuid}/dokumente/{document.uuid}/verschieben/",
                         {f"{document.uuid}-aktenzeichen": files.second_file.aktenzeichen})
    assert refused.status_code == 200
    document.refresh_from_db()
    assert document.case_file_id == files.first_file.pk


def test_the_integrity_page_lists_runs_newest_first_with_their_mismatches(files, people,
                                                                          dog_town):
    now = timezone.now()
    with authority_context(dog_town):
        IntegrityRun.objects.create(started_at=now - datetime.timedelta(days=1),
                                    finished_at=now - datetime.timedelta(days=1), checked=7)
        IntegrityRun.objects.create(
            started_at=now, finished_at=now, checked=8,
            mismatches=[{"version": "1b0c", "aktenzeichen": files.first_file.aktenzeichen,
                         "problem": "changed"}])
    page = client_of(people.records_manager).get(f"{PLAN}integritaet/")
    assert [run.checked for run in page.context["runs"]] == [8, 7]
    assert files.first_file.aktenzeichen in page.content.decode()


def test_a_long_list_of_files_comes_in_pages(files, people, dog_town):
    from rathaus.records.browsing import FILES_PER_PAGE
    from rathaus.records.services import open_case_file

    entry = FilePlanEntry.all_authorities.get(code="21.33.01")
    with authority_context(dog_town):
        for number in range(FILES_PER_PAGE - 1):  # with the two: one more than a page
            open_case_file(plan_entry=entry, title=f"Akte {number}")
    clerk = client_of(people.decider)
    first = clerk.get(f"{PLAN}aktenplan/{entry.pk}/")
    assert len(first.context["files"]) == FILES_PER_PAGE and b'rel="next"' in first.content
    last = clerk.get(f"{PLAN}aktenplan/{entry.pk}/", {"seite": "2"})
    assert [f.aktenzeichen for f in last.context["files"]] == [files.first_file.aktenzeichen]
    assert b'rel="prev"' in last.content
    assert clerk.get(f"{PLAN}aktenplan/{entry.pk}/", {"seite": "x"}).status_code == 200
