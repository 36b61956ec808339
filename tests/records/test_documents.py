import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError

from rathaus.audit.models import AppendOnlyError, AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.records.errors import CaseFileClosed, ContentIntegrityError
from rathaus.records.models import Document, DocumentVersion
from rathaus.records.selectors import documents_of, latest_version, read_content
from rathaus.records.services import (
    add_document,
    add_version,
    close_case_file,
    open_case_file,
)


@pytest.fixture
def case_file(dog_tax_plan):
    return open_case_file(plan_code="32.41.01", title="Hundeanmeldung")


def add_upload(case_file, content, *, title="Impfpass", created_by=None):
    return add_document(case_file=case_file, title=title, kind="upload", content=content,
                        media_type="application/pdf", filename="impfpass.pdf",
                        created_by=created_by)


def stored_files(storage_dir):
    return sorted(path for path in storage_dir.rglob("*") if path.is_file())


def test_document_is_stored_under_its_hash(case_file, storage_dir):
    version = add_upload(case_file, b"%PDF- erste Fassung")
    assert version.number == 1
    assert version.size == len(b"%PDF- erste Fassung")
    assert version.storage_name == f"records/leichlingen/{version.sha256[:2]}/{version.sha256}"
    assert stored_files(storage_dir) == [storage_dir / version.storage_name]
    assert read_content(version) == b"%PDF- erste Fassung"


def test_new_version_never_overwrites_the_first(case_file):
    first = add_upload(case_file, b"erste Fassung")
    second = add_version(document=first.document, content=b"zweite Fassung",
                         media_type="application/pdf", filename="impfpass-neu.pdf")
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 != second.sha256
    assert read_content(first) == b"erste Fassung"
    assert read_content(second) == b"zweite Fassung"
    assert latest_version(first.document) == second
    assert list(documents_of(case_file)) == [first.document]


def test_identical_content_is_stored_once(case_file, storage_dir):
    one = add_upload(case_file, b"gleicher Inhalt", title="Impfpass")
    other = add_upload(case_file, b"gleicher Inhalt", title="Impfpass (nochmal)")
    assert one.document != other.document
    assert one.storage_name == other.storage_name
    assert len(stored_files(storage_dir)) == 1


def test_versions_cannot_be_changed_or_deleted(case_file):
    version = add_upload(case_file, b"Inhalt")
    version.original_filename = "anders.pdf"
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        version.delete()
    for manager in (DocumentVersion.objects, DocumentVersion.all_authorities):
        with pytest.raises(AppendOnlyError):
            manager.filter(pk=version.pk).update(sha256="0" * 64)
        with pytest.raises(AppendOnlyError):
            manager.filter(pk=version.pk).delete()
    with pytest.raises(AppendOnlyError):
        DocumentVersion.objects.bulk_update([version], ["original_filename"])


def test_documents_and_files_with_versions_cannot_be_deleted(case_file):
    version = add_upload(case_file, b"Inhalt")
    with pytest.raises(ProtectedError):
        version.document.delete()
    with pytest.raises(ProtectedError):
        case_file.delete()


def test_tampered_content_is_detected_on_read(case_file, storage_dir):
    version = add_upload(case_file, b"echter Bescheid")
    (storage_dir / version.storage_name).write_bytes(b"gefaelschter Bescheid")
    with pytest.raises(ContentIntegrityError):
        read_content(version)


def test_missing_content_is_detected_on_read(case_file, storage_dir):
    version = add_upload(case_file, b"Bescheid")
    (storage_dir / version.storage_name).unlink()
    with pytest.raises(ContentIntegrityError):
        read_content(version)


def test_tampered_blob_is_neither_reused_nor_overwritten(case_file, storage_dir):
    version = add_upload(case_file, b"echter Bescheid")
    blob = storage_dir / version.storage_name
    blob.write_bytes(b"gefaelscht")
    with pytest.raises(ContentIntegrityError), transaction.atomic():
        add_upload(case_file, b"echter Bescheid")
    assert blob.read_bytes() == b"gefaelscht"  # kept as evidence
    assert DocumentVersion.objects.count() == 1


def test_rolled_back_document_leaves_at_most_an_orphan_blob(case_file, storage_dir):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_upload(case_file, b"nie gespeichert")
        raise RuntimeError
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    [orphan] = stored_files(storage_dir)
    assert orphan.read_bytes() == b"nie gespeichert"
    # The orphan is simply reused by the next identical content.
    assert read_content(add_upload(case_file, b"nie gespeichert")) == b"nie gespeichert"


def test_no_temporary_files_are_left_behind(case_file, storage_dir):
    add_upload(case_file, b"eins")
    add_upload(case_file, b"eins")
    assert [path.name.startswith(".incoming-") for path in stored_files(storage_dir)] == [False]


def test_closed_file_takes_no_new_versions(case_file):
    version = add_upload(case_file, b"Inhalt")
    close_case_file(case_file=case_file)
    with pytest.raises(CaseFileClosed):
        add_version(document=version.document, content=b"neu",
                    media_type="application/pdf", filename="neu.pdf")


def test_unknown_document_kind_is_refused(case_file):
    with pytest.raises(ValueError, match="kind"):
        add_document(case_file=case_file, title="?", kind="memo", content=b"x",
                     media_type="text/plain", filename="x.txt")


def test_documents_of_another_authority_are_out_of_reach(case_file, district, storage_dir):
    version = add_upload(case_file, b"Inhalt der Stadt")
    with authority_context(district), pytest.raises(Document.DoesNotExist):
        add_version(document=version.document, content=b"fremd",
                    media_type="application/pdf", filename="x.pdf")
    assert DocumentVersion.all_authorities.count() == 1


def test_each_authority_stores_its_own_blobs(case_file, district, storage_dir):
    from rathaus.records.services import add_file_plan_entry

    add_upload(case_file, b"gleich")
    with authority_context(district):
        add_file_plan_entry(code="36.10", title="Zulassung", retention_years=5)
        other = open_case_file(plan_code="36.10", title="Zulassung")
        version = add_upload(other, b"gleich")
    assert version.storage_name.startswith("records/rbk/")
    assert len(stored_files(storage_dir)) == 2


def test_filename_is_sanitised_on_the_way_in(case_file):
    version = add_document(case_file=case_file, title="Bescheid", kind="notice", content=b"x",
                           media_type="application/pdf", filename="../../Bescheid\x07.pdf")
    assert version.original_filename == "Bescheid.pdf"


def test_adding_documents_and_versions_is_audited(case_file, citizen):
    version = add_upload(case_file, b"eins", created_by=citizen)
    add_version(document=version.document, content=b"zwei", media_type="application/pdf",
                filename="zwei.pdf", created_by=citizen)
    entries = AuditEntry.objects.filter(object_type="records.document")
    assert [(entry.action, entry.data["version"]) for entry in entries] == [
        ("records.document_added", 1), ("records.version_added", 2)
    ]
    assert entries[1].data["sha256"] == latest_version(version.document).sha256
    assert version.created_by == citizen


def test_storage_is_djangos_default_storage(case_file):
    version = add_upload(case_file, b"Inhalt")
    assert default_storage.exists(version.storage_name)
