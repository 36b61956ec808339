"""The office pages of the Aussonderung, driven as a records manager does: the list,
the offer, the archive's messages uploaded, the package downloaded, destruction with
confirmation, the deletion records and a legal hold. Others get a 404."""

import io
import zipfile

import pytest

from rathaus.archive.models import DeletionRecord, OfferedFile, Process
from rathaus.authorities.tenancy import authority_context
from rathaus.records.models import CaseFile, Document
from tests.factories import TOWN_HOST, _staff, post_with_token

from .conftest import evaluation, import_confirmation

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(registry):
    return _staff(registry.manager, TOWN_HOST)


def _upload(client, process, content, name="antwort.xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return post_with_token(client, f"/verwaltung/aussonderung/{process.process_id}/nachricht/",
                           {"file": SimpleUploadedFile(name, content, "application/xml")})


def test_a_records_manager_hands_files_over_page_by_page(registry, town, manager_client):
    page = manager_client.get("/verwaltung/aussonderung/")
    assert page.status_code == 200
    text = page.content.decode()
    for case_file in (registry.keep, registry.drop, registry.plan_v):
        assert case_file.aktenzeichen in text
    assert registry.held.aktenzeichen in text  # in the list of holds, not of due files
    assert registry.not_due.aktenzeichen not in text

    response = post_with_token(manager_client, "/verwaltung/aussonderung/anbieten/", {
        "files": [registry.keep.pk, registry.drop.pk], "archive_name": "Stadtarchiv",
        "offer": ""})
    assert response.status_code == 302
    with authority_context(town):
        process = Process.objects.get()
    base = f"/verwaltung/aussonderung/{process.process_id}/"
    offer = manager_client.get(base + "anbietung.xml")
    assert offer["Content-Disposition"].endswith(
        f'{process.process_id}_Aussonderung.Anbieteverzeichnis.0501.xml"')
    assert str(registry.keep.uuid).encode() in offer.content

    assert _upload(manager_client, process, evaluation(process.process_id, {
        str(registry.keep.uuid): "A", str(registry.drop.uuid): "V"})).status_code == 302
    assert post_with_token(manager_client, base + "uebergabe/", {}).status_code == 302
    package = manager_client.get(base + "paket.zip")
    assert package.status_code == 200 and package.streaming
    with zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content))) as archive:
        assert len(archive.namelist()) == 4  # the XML, two versions, the notes

    refused = post_with_token(manager_client, base + "vernichten/", {})
    assert refused.status_code == 400
    with authority_context(town):
        assert Document.objects.filter(case_file=registry.drop).count() == 2
    assert post_with_token(manager_client, base + "vernichten/",
                           {"confirm": "on"}).status_code == 302
    assert _upload(manager_client, process, import_confirmation(
        process.process_id, {str(registry.keep.uuid): "StAL 7"})).status_code == 302
    with authority_context(town):
        process.refresh_from_db()
        assert process.status == Process.Status.COMPLETED
        assert DeletionRecord.objects.count() == 2
    listed = manager_client.get("/verwaltung/aussonderung/")
    assert listed.status_code == 200 and "Stadtarchiv" in listed.content.decode()
    assert manager_client.get(base).status_code == 200
    records = manager_client.get("/verwaltung/aussonderung/loeschprotokolle/").content.decode()
    assert registry.keep.aktenzeichen in records and "StAL 7" in records
    assert "Bettina" not in records


def test_a_bad_upload_is_explained_on_the_page(registry, town, manager_client):
    post_with_token(manager_client, "/verwaltung/aussonderung/anbieten/", {
        "files": [registry.keep.pk], "archive_name": "Stadtarchiv", "offer": ""})
    with authority_context(town):
        process = Process.objects.get()
    response = _upload(manager_client, process, b"<kaputt")
    assert response.status_code == 400
    assert "XML" in response.content.decode()
    with authority_context(town):
        assert OfferedFile.objects.get().state == OfferedFile.State.OFFERED


def test_destroying_without_an_offer_needs_a_confirmation(registry, town, manager_client):
    data = {"files": [registry.plan_v.pk], "destroy": ""}
    assert post_with_token(manager_client, "/verwaltung/aussonderung/anbieten/",
                           data).status_code == 400
    with authority_context(town):
        assert Document.objects.filter(case_file=registry.plan_v).exists()
    response = post_with_token(manager_client, "/verwaltung/aussonderung/anbieten/",
                               {**data, "confirm_destroy": "on"})
    assert response.status_code == 302
    with authority_context(town):
        assert not Document.objects.filter(case_file=registry.plan_v).exists()


def test_a_legal_hold_is_set_and_lifted_on_its_page(registry, town, manager_client):
    url = f"/verwaltung/aussonderung/akten/{registry.keep.pk}/sperre/"
    assert manager_client.get(url).status_code == 200
    assert post_with_token(manager_client, url, {"reason": ""}).status_code == 400
    assert post_with_token(manager_client, url, {"reason": "Klage"}).status_code == 302
    with authority_context(town):
        assert CaseFile.objects.get(pk=registry.keep.pk).legal_hold == "Klage"
    assert post_with_token(manager_client, url, {"lift": ""}).status_code == 302
    with authority_context(town):
        assert CaseFile.objects.get(pk=registry.keep.pk).legal_hold == ""


def test_other_staff_find_no_archive_pages(registry):
    client = _staff(registry.clerk, TOWN_HOST)
    assert client.get("/verwaltung/aussonderung/").status_code == 404
    assert client.get(f"/verwaltung/aussonderung/akten/{registry.keep.pk}/sperre/"
                      ).status_code == 404
