"""Working on files in the office: notes, moving documents, and what staff see when
they browse the file plan and open a file."""

import pytest

from rathaus.accounts.models import StaffMembership
from rathaus.accounts.permissions import NotPermitted
from rathaus.audit.models import AuditEntry
from rathaus.records import browsing
from rathaus.records.errors import CaseFileClosed
from rathaus.records.file_work import (
    DocumentNotInFile,
    NoteInvalid,
    SameFile,
    add_note,
    move_document,
)
from rathaus.records.models import Document, DocumentNote, DocumentVersion
from rathaus.records.services import (
    add_document,
    add_file_plan_entry,
    add_version,
    close_case_file,
    open_case_file,
)
from tests.factories import make_department, make_staff


@pytest.fixture
def office(in_town):
    """The Steueramt with two files and a clerk, the Ordnungsamt with one file and a
    clerk, and the Registratur."""
    steueramt = make_department(in_town, slug="steueramt", name="Steueramt")
    ordnungsamt = make_department(in_town, slug="ordnungsamt", name="Ordnungsamt")
    hauptamt = make_department(in_town, slug="hauptamt", name="Hauptamt")
    finance = add_file_plan_entry(code="2", title="Finanzen", retention_years=10)
    dog_tax = add_file_plan_entry(code="21.33.01", title="Hundesteuer", retention_years=10,
                                  department=steueramt, parent=finance)
    order = add_file_plan_entry(code="32", title="Ordnung", retention_years=5,
                                department=ordnungsamt)

    class Office:
        tax_clerk = make_staff(in_town, departments=[steueramt], email="max@x.example")[0]
        order_clerk = make_staff(in_town, departments=[ordnungsamt], email="otto@x.example")[0]
        registrar = make_staff(in_town, departments=[hauptamt], email="reg@x.example",
                               role=StaffMembership.Role.RECORDS_MANAGER)[0]
        first = open_case_file(plan_entry=dog_tax, title="Bello")
        second = open_case_file(plan_entry=dog_tax, title="Rex")
        other = open_case_file(plan_entry=order, title="Gewerbe")

    Office.plan = (finance, dog_tax, order)
    letter = add_document(case_file=Office.first, title="Brief", kind="incoming",
                          content=b"%PDF-1 erster", media_type="application/pdf",
                          filename="brief.pdf", created_by=Office.tax_clerk)
    Office.letter = letter.document
    add_version(document=Office.letter, content=b"%PDF-1 zweiter",
                media_type="application/pdf", filename="brief-2.pdf",
                created_by=Office.registrar)
    return Office


def test_a_note_on_the_file_and_one_on_a_document(office):
    add_note(actor=office.tax_clerk, case_file=office.first, text="  Rückruf erbeten. ")
    add_note(actor=office.tax_clerk, case_file=office.first, document=office.letter,
             text="Original liegt vor.")
    contents = browsing.file_contents(office.first)
    assert [n.text for n in contents.notes] == ["Rückruf erbeten."]
    assert [n.text for n in contents.documents[0].notes] == ["Original liegt vor."]
    assert contents.notes[0].created_by == office.tax_clerk
    audit = AuditEntry.objects.filter(action="records.note_added")
    assert audit.count() == 2 and "Rückruf" not in str(list(audit.values_list("data")))


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_note_is_refused(office, text):
    with pytest.raises(NoteInvalid):
        add_note(actor=office.tax_clerk, case_file=office.first, text=text)
    assert not DocumentNote.objects.exists()


def test_a_note_names_a_document_of_its_own_file(office):
    with pytest.raises(DocumentNotInFile):
        add_note(actor=office.tax_clerk, case_file=office.second, document=office.letter,
                 text="Falsche Akte")


def test_notes_only_by_who_works_on_the_file_and_not_on_a_closed_one(office):
    with pytest.raises(NotPermitted):
        add_note(actor=office.order_clerk, case_file=office.first, text="Fremd")
    add_note(actor=office.registrar, case_file=office.other, text="Registratur")
    close_case_file(case_file=office.second)
    with pytest.raises(CaseFileClosed):
        add_note(actor=office.tax_clerk, case_file=office.second, text="Zu spät")


def test_moving_a_document_takes_its_versions_and_notes_and_is_audited(office):
    add_note(actor=office.tax_clerk, case_file=office.first, document=office.letter,
             text="Gehört zu Rex")
    moved = move_document(actor=office.tax_clerk, case_file=office.first,
                          document=office.letter, target=office.second)
    assert moved.case_file == office.second
    versions = DocumentVersion.objects.filter(document=moved)
    assert versions.count() == 2
    contents = browsing.file_contents(office.second)
    assert [v.number for v in contents.documents[0].versions] == [1, 2]
    assert [n.text for n in contents.documents[0].notes] == ["Gehört zu Rex"]
    assert browsing.file_contents(office.first).documents == []
    audit = AuditEntry.objects.get(action="records.document_moved")
    assert audit.data == {"document": str(office.letter.uuid),
                          "from": office.first.aktenzeichen, "to": office.second.aktenzeichen}


def test_moving_needs_work_on_both_files(office):
    with pytest.raises(NotPermitted):  # may work on the target, not on the source
        move_document(actor=office.order_clerk, case_file=office.first,
                      document=office.letter, target=office.other)
    with pytest.raises(NotPermitted):  # may work on the source, not on the target
        move_document(actor=office.tax_clerk, case_file=office.first,
                      document=office.letter, target=office.other)
    assert Document.objects.get(pk=office.letter.pk).case_file == office.first
    move_document(actor=office.registrar, case_file=office.first, document=office.letter,
                  target=office.other)
    assert Document.objects.get(pk=office.letter.pk).case_file == office.other


def test_moving_needs_two_open_files_and_the_document_in_the_first(office):
    with pytest.raises(SameFile):
        move_document(actor=office.tax_clerk, case_file=office.first,
                      document=office.letter, target=office.first)
    with pytest.raises(DocumentNotInFile):
        move_document(actor=office.tax_clerk, case_file=office.second,
                      document=office.letter, target=office.first)
    close_case_file(case_file=office.second)
    with pytest.raises(CaseFileClosed):
        move_document(actor=office.tax_clerk, case_file=office.first,
                      document=office.letter, target=office.second)
    assert Document.objects.get(pk=office.letter.pk).case_file == office.first
    assert not AuditEntry.objects.filter(action="records.document_moved").exists()


def test_the_tree_counts_only_readable_files(office):
    def counts(actor):
        def walk(nodes):
            for node in nodes:
                yield node.entry.code, node.files, node.total
                yield from walk(node.children)
        return list(walk(browsing.plan_tree(actor=actor)))

    assert counts(office.tax_clerk) == [("2", 0, 2), ("21.33.01", 2, 2), ("32", 0, 0)]
    assert counts(office.order_clerk) == [("2", 0, 0), ("21.33.01", 0, 0), ("32", 1, 1)]
    assert counts(office.registrar) == [("2", 0, 2), ("21.33.01", 2, 2), ("32", 1, 1)]


def test_files_of_an_entry_newest_first_and_only_readable(office):
    _finance, dog_tax, _order = office.plan
    page = browsing.files_of_entry(actor=office.tax_clerk, entry=dog_tax)
    assert list(page) == [office.second, office.first]
    assert list(browsing.files_of_entry(actor=office.order_clerk, entry=dog_tax)) == []
    assert browsing.readable_file(actor=office.order_clerk, file_id=office.first.uuid) is None
    assert browsing.readable_file(actor=office.registrar, file_id=office.first.uuid) == office.first


def test_files_of_an_entry_are_paginated(office):
    _finance, dog_tax, _order = office.plan
    for number in range(browsing.FILES_PER_PAGE - 1):  # with the two: one more than a page
        open_case_file(plan_entry=dog_tax, title=f"Akte {number}")
    first = browsing.files_of_entry(actor=office.tax_clerk, entry=dog_tax)
    last = browsing.files_of_entry(actor=office.tax_clerk, entry=dog_tax, page="99")
    assert len(first) == browsing.FILES_PER_PAGE and first.paginator.num_pages == 2
    assert list(last) == [office.first]


def test_a_file_shows_every_version_with_who_added_it(office):
    versions = browsing.file_contents(office.first).documents[0].versions
    assert [(v.number, v.created_by, v.original_filename, v.media_type) for v in versions] == [
        (1, office.tax_clerk, "brief.pdf", "application/pdf"),
        (2, office.registrar, "brief-2.pdf", "application/pdf")]
    assert all(len(v.sha256) == 64 and v.size > 0 for v in versions)
