"""The whole Aussonderung: the offer (0501), the archive's evaluation (0502), the
hand-over package (0503), the archive's confirmation (0506), destruction and the
deletion records; every message Rathaus writes validates against the XSDs."""

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.core.files.storage import default_storage

from rathaus.accounts.permissions import NotPermitted
from rathaus.archive import packages, selectors, services
from rathaus.archive.errors import ArchiveError, BadMessage
from rathaus.archive.models import DeletionRecord, Message, OfferedFile, Process
from rathaus.audit.models import AppendOnlyError, AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.records.models import CaseFile, Document, DocumentNote, DocumentVersion

from .conftest import NS, archive_message, evaluation, import_confirmation

pytestmark = pytest.mark.django_db


def _ids(xml: str) -> set[str]:
    root = ET.fromstring(xml.encode())
    return {e.text for e in root.iter(f"{{{NS}}}ID")}


def _blob_names(case_file) -> set[str]:
    return set(DocumentVersion.objects.filter(document__case_file=case_file)
               .values_list("storage_name", flat=True))


def test_the_retention_list_holds_due_files_only(registry, town):
    with authority_context(town):
        due = set(selectors.retention_due())
    assert due == {registry.keep, registry.drop, registry.plan_v}


def test_a_whole_aussonderung_from_offer_to_deletion_record(
        registry, town, xdomea_schema, django_capture_on_commit_callbacks):
    manager = registry.manager
    with authority_context(town):
        process = services.start_process(actor=manager, case_files=[registry.keep,
                                                                      registry.drop],
                                         archive_name="Stadtarchiv Leichlingen")
        offer = selectors.latest_message(process, "0501")
        xdomea_schema.validate(offer.xml)
        assert {str(registry.keep.uuid), str(registry.drop.uuid)} <= _ids(offer.xml)
        assert "Hundesteuer Bettina Beispiel" in offer.xml  # the archive evaluates titles
        # Offered files leave the list; nobody offers them twice.
        assert set(selectors.retention_due()) == {registry.plan_v}

        services.import_archive_message(
            actor=manager, process=process, content=archive_message("0504", process.process_id, ""))
        answer = evaluation(process.process_id, {str(registry.keep.uuid): "A",
                                                 str(registry.drop.uuid).upper(): "V"})
        xdomea_schema.validate(answer.decode())
        assert services.import_archive_message(actor=manager, process=process,
                                               content=answer) == "0502"
        process.refresh_from_db()
        assert process.status == Process.Status.EVALUATED and process.offer_received_at

        message = services.write_handover(actor=manager, process=process)
        xdomea_schema.validate(message.xml)
        package = packages.open_handover_package(actor=manager, process=process)
        assert package.filename == f"{process.process_id}_Aussonderung.Aussonderung.0503.zip"
        chunks = list(package.chunks)
        versions = list(DocumentVersion.objects.filter(document__case_file=registry.keep))
        kept_blobs = _blob_names(registry.keep)

    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        names = archive.namelist()
        assert names[0] == f"{process.process_id}_Aussonderung.Aussonderung.0503.xml"
        xdomea_schema.validate(archive.read(names[0]).decode())
        for version in versions:
            name = next(n for n in names if n.startswith(str(version.uuid)))
            assert hashlib.sha256(archive.read(name)).hexdigest() == version.sha256
        notes = next(n for n in names if n.endswith("_Aktenvermerke.txt"))
        assert "Hund verstorben" in archive.read(notes).decode()
        assert len(names) == 1 + len(versions) + 1
    assert len(chunks) > 3  # streamed in pieces, not built whole

    with authority_context(town):
        services.import_archive_message(
            actor=manager, process=process,
            content=archive_message("0507", process.process_id, ""))
        confirmation = import_confirmation(process.process_id,
                                           {str(registry.keep.uuid): "StAL 1/2026"})
        xdomea_schema.validate(confirmation.decode())
        with django_capture_on_commit_callbacks(execute=True):
            services.import_archive_message(actor=manager, process=process,
                                            content=confirmation)
            assert services.destroy_evaluated(actor=manager, process=process) == 1
        process.refresh_from_db()
        assert process.status == Process.Status.COMPLETED

        # Both files are tombstones: no documents, versions, texts or notes; no title.
        for case_file in (registry.keep, registry.drop):
            case_file.refresh_from_db()
            assert case_file.title == "" and case_file.disposal
            assert not Document.objects.filter(case_file=case_file).exists()
        assert not DocumentNote.objects.filter(case_file=registry.keep).exists()
        records = {r.aktenzeichen: r for r in selectors.deletion_records()}
        handed = records[registry.keep.aktenzeichen]
        assert handed.reason == DeletionRecord.Reason.HANDED_OVER
        assert handed.archive_reference == "StAL 1/2026"
        assert handed.documents == 2 and handed.versions == 2 and handed.notes == 1
        assert {v["sha256"] for v in handed.deleted_versions} == {v.sha256 for v in versions}
        assert records[registry.drop.aktenzeichen].reason == "evaluated_v"
        assert records[registry.drop.aktenzeichen].process_id == process.process_id
        # Without content: no title, name or text anywhere in a record.
        for record in records.values():
            text = str([getattr(record, f.name) for f in DeletionRecord._meta.fields])
            assert "Beispiel" not in text and "Normal" not in text and "Sehr geehrte" not in text
        assert {m.code for m in Message.objects.filter(process=process)} == {
            "0501", "0502", "0503", "0504", "0506", "0507"}
        assert AuditEntry.objects.filter(action="archive.file_disposed").count() == 2
    # Every blob went: the one `drop` shared with `keep` too, once neither had it.
    assert not any(default_storage.exists(name) for name in kept_blobs)


def test_a_blob_another_file_still_uses_stays(registry, town,
                                               django_capture_on_commit_callbacks):
    with authority_context(town):
        shared = _blob_names(registry.keep) & _blob_names(registry.drop)
        assert shared
        process = services.start_process(actor=registry.manager, case_files=[registry.drop],
                                         archive_name="Stadtarchiv")
        services.import_archive_message(actor=registry.manager, process=process,
                                        content=evaluation(process.process_id,
                                                           {str(registry.drop.uuid): "V"}))
        own = _blob_names(registry.drop) - shared
        with django_capture_on_commit_callbacks(execute=True):
            services.destroy_evaluated(actor=registry.manager, process=process)
    assert all(default_storage.exists(name) for name in shared)
    assert own and not any(default_storage.exists(name) for name in own)


def test_files_the_plan_marks_v_are_destroyed_without_an_offer(
        registry, town, django_capture_on_commit_callbacks):
    with authority_context(town):
        blobs = _blob_names(registry.plan_v)
        with django_capture_on_commit_callbacks(execute=True):
            [record] = services.destroy_without_offer(actor=registry.manager,
                                                      case_files=[registry.plan_v])
        assert record.reason == DeletionRecord.Reason.RETENTION_ENDED
        assert record.plan_code == "10.01" and record.versions == 1
        with pytest.raises(ArchiveError, match=registry.keep.aktenzeichen):
            services.destroy_without_offer(actor=registry.manager, case_files=[registry.keep])
        assert Document.objects.filter(case_file=registry.keep).count() == 2
    assert not any(default_storage.exists(name) for name in blobs)


def test_files_not_due_are_neither_offered_nor_destroyed(registry, town):
    with authority_context(town):
        for case_file in (registry.held, registry.not_due, registry.still_open):
            with pytest.raises(ArchiveError, match="nicht \\(mehr\\) zur Aussonderung fällig"):
                services.start_process(actor=registry.manager, case_files=[case_file],
                                       archive_name="Stadtarchiv")
        assert not Process.objects.exists()


def test_a_legal_hold_keeps_a_file_out_until_it_is_lifted(registry, town):
    with authority_context(town):
        services.set_legal_hold(actor=registry.manager, case_file=registry.keep,
                                reason="  Prüfung durch das Rechnungsprüfungsamt ")
        registry.keep.refresh_from_db()
        assert registry.keep.legal_hold == "Prüfung durch das Rechnungsprüfungsamt"
        assert registry.keep not in selectors.retention_due()
        entry = AuditEntry.objects.get(action="archive.legal_hold_set")
        assert "Rechnungsprüfungsamt" not in str(entry.data)
        with pytest.raises(ArchiveError, match="Grund für die Aufbewahrungssperre"):
            services.set_legal_hold(actor=registry.manager, case_file=registry.drop, reason=" ")
        services.lift_legal_hold(actor=registry.manager, case_file=registry.held)
        assert registry.held in selectors.retention_due()


def test_a_hold_set_during_the_process_stops_destruction(registry, town):
    with authority_context(town):
        process = services.start_process(actor=registry.manager, case_files=[registry.drop],
                                         archive_name="Stadtarchiv")
        services.import_archive_message(actor=registry.manager, process=process,
                                        content=evaluation(process.process_id,
                                                           {str(registry.drop.uuid): "V"}))
        services.set_legal_hold(actor=registry.manager, case_file=registry.drop,
                                reason="Akteneinsicht nach IFG")
        with pytest.raises(ArchiveError, match=r"mit V \(vernichten\) bewertet"):
            services.destroy_evaluated(actor=registry.manager, process=process)
        assert Document.objects.filter(case_file=registry.drop).count() == 2


@pytest.mark.parametrize(("content", "message"), [
    (b"kein XML", "kein wohlgeformtes XML"),
    (b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY b 'c'>]><a>&b;</a>", "eine DTD oder Entitäten"),
    (b"<a/>", "keine xdomea-3.0.0-Nachricht"),
    (archive_message("0502", "00000000-0000-0000-0000-000000000000", ""), "xdomea-3.0.0-Schema"),
])
def test_a_broken_upload_gets_a_message_and_changes_nothing(registry, town, content, message):
    with authority_context(town):
        process = services.start_process(actor=registry.manager, case_files=[registry.keep],
                                         archive_name="Stadtarchiv")
        with pytest.raises(BadMessage, match=message):
            services.import_archive_message(actor=registry.manager, process=process,
                                            content=content)
        assert Message.objects.filter(process=process).count() == 1


def test_an_evaluation_must_fit_the_process(registry, town):
    with authority_context(town):
        process = services.start_process(actor=registry.manager, case_files=[registry.keep],
                                         archive_name="Stadtarchiv")
        cases = [
            (evaluation("11111111-2222-3333-4444-555555555555",
                        {str(registry.keep.uuid): "A"}), "gehört zum Aussonderungsvorgang"),
            (evaluation(process.process_id, {str(registry.drop.uuid): "A"}),
             "nicht angeboten wurde"),
            (evaluation(process.process_id, {str(registry.keep.uuid): "B"}),
             "nötig ist A \\(archivieren\\)"),
        ]
        for content, message in cases:
            with pytest.raises(BadMessage, match=message):
                services.import_archive_message(actor=registry.manager, process=process,
                                                content=content)
        assert OfferedFile.objects.get(process=process).state == OfferedFile.State.OFFERED


def test_a_refused_import_keeps_the_file_and_says_why(registry, town):
    with authority_context(town):
        process = services.start_process(actor=registry.manager, case_files=[registry.keep],
                                         archive_name="Stadtarchiv")
        services.import_archive_message(actor=registry.manager, process=process,
                                        content=evaluation(process.process_id,
                                                           {str(registry.keep.uuid): "A"}))
        services.write_handover(actor=registry.manager, process=process)
        services.import_archive_message(
            actor=registry.manager, process=process,
            content=import_confirmation(process.process_id, {str(registry.keep.uuid): None}))
        offered = OfferedFile.objects.get(process=process)
        assert offered.state == OfferedFile.State.HANDED_OVER
        assert offered.import_error == "Formatfehler"
        assert Document.objects.filter(case_file=registry.keep).count() == 2


def test_the_standards_example_messages_parse(registry, town):
    from rathaus.archive.xdomea import parse

    from .conftest import XDOMEA

    examples = sorted((XDOMEA / "examples").glob("*.xml"))
    assert [parse(path.read_bytes())[0] for path in examples] == ["0501", "0504", "0503",
                                                                  "0502"]
    with authority_context(town):
        process = services.start_process(actor=registry.manager, case_files=[registry.keep],
                                         archive_name="Stadtarchiv")
        # The example evaluation belongs to its own process.
        with pytest.raises(BadMessage, match="242f44e8"):
            services.import_archive_message(
                actor=registry.manager, process=process,
                content=(XDOMEA / "examples" / "xx_Aussonderung.Bewertungsverzeichnis.0502.xml")
                .read_bytes())


def test_only_records_managers_dispose(registry, town):
    with authority_context(town):
        with pytest.raises(NotPermitted):
            services.start_process(actor=registry.clerk, case_files=[registry.keep],
                                   archive_name="Stadtarchiv")
        with pytest.raises(NotPermitted):
            services.set_legal_hold(actor=registry.clerk, case_file=registry.keep, reason="x")


def test_versions_and_notes_stay_append_only_outside_the_erasure(registry, town):
    with authority_context(town):
        with pytest.raises(AppendOnlyError):
            DocumentVersion.objects.filter(document__case_file=registry.keep).delete()
        assert CaseFile.objects.filter(pk=registry.keep.pk).exists()


def test_a_destroyed_files_words_are_gone_from_the_search_index(
        registry, town, django_capture_on_commit_callbacks):
    from django.db import connection

    from rathaus.records.models import SearchEntry
    from rathaus.records.search import search_documents

    def found(word):
        return search_documents(actor=registry.manager, query=word).hits

    with authority_context(town):
        assert found("parken")
        with django_capture_on_commit_callbacks(execute=True):
            services.destroy_without_offer(actor=registry.manager,
                                           case_files=[registry.plan_v])
        assert not found("parken") and not found("Parkplatz")
        if connection.vendor == "sqlite":
            # The FTS5 table holds as many rows as there are entries: none left over.
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM records_search_terms "
                               "WHERE records_search_terms MATCH 'park'")
                assert cursor.fetchone()[0] == 0
                cursor.execute("SELECT count(*) FROM records_search_terms")
                assert cursor.fetchone()[0] == SearchEntry.all_authorities.count()
