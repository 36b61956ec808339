"""The field app's pages without JavaScript and its sync endpoint: the route of due
inspections, the inspection form, conflicts, and the queued inspections a phone sends
(created, duplicate, conflict, refused, another cadastre's asset)."""

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from rathaus.assets import services
from rathaus.assets.models import Asset, Inspection, Photo, Risk
from rathaus.authorities.tenancy import authority_context
from tests.factories import make_department, make_staff, office_client

pytestmark = pytest.mark.django_db


def jpeg(name="foto.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def swing(cadastres, town):
    with authority_context(town):
        playground = services.create_asset(
            actor=cadastres["inspector"], cadastre=cadastres["playgrounds"], kind="playground",
            number="SP-01", name="Spielplatz Am Wall", lon=7.01, lat=51.1,
            attributes={"street": "Am Wall"})
        swing = services.create_asset(
            actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
            kind="play_equipment", number="SP-01-03", type="schaukel", lon=7.01, lat=51.1,
            parent=playground, attributes={"en1176_part": "2", "manufacturer": "Kompan"})
        return swing


@pytest.fixture
def inspector(cadastres):
    return office_client(cadastres["inspector"], cadastres["device"])


def form_data(asset, **extra) -> dict:
    data = {"client_id": str(uuid.uuid4()), "seen_version": asset.version,
            "kind": "routine", "condition": "ok", "asset": asset.pk, "notes": ""}
    data.update(extra)
    return data


def test_the_route_lists_the_due_equipment_with_its_playground(inspector, swing):
    response = inspector.get(reverse("field:route"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "SP-01-03" in page and "Spielplatz Am Wall" in page
    assert reverse("field:inspect", args=[swing.pk]) in page
    assert 'rel="manifest"' in page


def test_the_inspection_form_carries_a_fresh_client_id_and_the_seen_version(inspector, swing):
    first = inspector.get(reverse("field:inspect", args=[swing.pk]) + "?kind=operational")
    second = inspector.get(reverse("field:inspect", args=[swing.pk]))
    assert first.status_code == 200
    ids = [response.context["form"]["client_id"].value() for response in (first, second)]
    assert ids[0] != ids[1]
    assert first.context["form"]["seen_version"].value() == swing.version
    assert first.context["form"]["kind"].value() == "operational"
    page = first.content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert "DIN EN 1176-2" in page


def test_posting_the_form_records_the_inspection_once_with_its_photos(inspector, swing, town):
    data = form_data(swing, photos=[jpeg("a.jpg"), jpeg("b.jpg")])
    response = inspector.post(reverse("field:inspect", args=[swing.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("field:route")
    with authority_context(town):
        assert Inspection.objects.count() == 1
        assert Photo.objects.filter(inspection__isnull=False).count() == 2
    again = inspector.post(reverse("field:inspect", args=[swing.pk]),
                           {**data, "photos": [jpeg("a.jpg")]})
    assert again.status_code == 302
    with authority_context(town):
        assert Inspection.objects.count() == 1
        assert Photo.objects.count() == 2


def test_a_finding_without_a_risk_is_refused_next_to_the_field_and_nothing_is_stored(
        inspector, swing, town):
    data = form_data(swing, finding1_description="Kette verschlissen",
                     photos=[jpeg()])
    response = inspector.post(reverse("field:inspect", args=[swing.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "finding1_risk" in form.errors
    assert response.context["photos_lost"]
    assert form["finding1_description"].value() == "Kette verschlissen"
    with authority_context(town):
        assert not Inspection.objects.exists()


def test_a_photo_that_is_no_image_refuses_the_inspection(inspector, swing, town):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = inspector.post(reverse("field:inspect", args=[swing.pk]),
                              form_data(swing, photos=[fake]))
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    with authority_context(town):
        assert not Inspection.objects.exists() and not Photo.objects.exists()


def test_the_highest_risk_closes_the_equipment(inspector, swing, town):
    data = form_data(swing, condition="defects", finding1_description="Kette gerissen",
                     finding1_risk=str(Risk.VERY_HIGH), finding1_measure="Schaukel sperren")
    response = inspector.post(reverse("field:inspect", args=[swing.pk]), data)
    assert response.status_code == 302
    with authority_context(town):
        swing.refresh_from_db()
        assert swing.status == Asset.Status.CLOSED


def test_another_departments_staff_get_a_404(swing, town):
    other_department = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    user, device = make_staff(town, departments=[other_department],
                              email="ordnung@leichlingen.example")
    client = office_client(user, device)
    assert client.get(reverse("field:inspect", args=[swing.pk])).status_code == 404
    response = client.post(reverse("field:sync"), form_data(swing))
    assert response.status_code == 404
    assert response.json()["status"] == "not_found"


def _sync(client, data):
    return client.post(reverse("field:sync"), data)


def test_sync_stores_a_queued_inspection_exactly_once(inspector, swing, town):
    data = form_data(swing, inspected_at=(timezone.now() - timedelta(hours=2)).isoformat())
    first = _sync(inspector, {**data, "photos": [jpeg()]})
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = _sync(inspector, {**data, "photos": [jpeg()]})
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    with authority_context(town):
        inspection = Inspection.objects.get()
        assert inspection.photos.count() == 1
        assert timezone.now() - inspection.inspected_at > timedelta(hours=1)


def test_sync_keeps_an_inspection_after_someone_elses_as_a_conflict(
        inspector, swing, cadastres, town):
    seen = swing.version
    with authority_context(town):
        other, _device = make_staff(town, departments=[cadastres["department"]],
                                    email="zweite@leichlingen.example")
        services.record_inspection(
            actor=other, asset=swing, client_id=uuid.uuid4(), kind="routine",
            inspected_at=timezone.now(), seen_version=seen, condition="ok")
    response = _sync(inspector, form_data(swing, seen_version=seen))
    assert response.status_code == 201
    assert response.json()["status"] == "conflict"
    page = inspector.get(reverse("field:conflicts"))
    assert page.status_code == 200 and "SP-01-03" in page.content.decode()
    assert "Erika Mustermann" in page.content.decode()  # who came first
    route = inspector.get(reverse("field:route"))
    assert reverse("field:conflicts") in route.content.decode()
    with authority_context(town):
        late = Inspection.objects.get(state=Inspection.State.CONFLICT)
    decided = inspector.post(reverse("field:conflicts"),
                             {"inspection": late.pk, "decision": "discard"})
    assert decided.status_code == 302
    with authority_context(town):
        late.refresh_from_db()
        assert late.state == Inspection.State.DISCARDED


def test_sync_refuses_bad_data_with_messages_and_stores_nothing(inspector, swing, town):
    response = _sync(inspector, form_data(swing, kind="gibt-es-nicht", seen_version="x"))
    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == "invalid"
    assert set(answer["errors"]) >= {"kind", "seen_version"}
    fake = SimpleUploadedFile("foto.jpg", b"GIF89a nope", content_type="image/jpeg")
    refused = _sync(inspector, {**form_data(swing), "photos": [fake]})
    assert refused.status_code == 400 and "photos" in refused.json()["errors"]
    with authority_context(town):
        assert not Inspection.objects.exists()


def test_sync_without_a_staff_session_answers_403_in_json(client, swing):
    response = client.post(reverse("field:sync"), form_data(swing))
    assert response.status_code == 403
    assert response.json()["status"] == "login"


def test_sync_gives_a_fresh_csrf_token(inspector, swing):
    response = inspector.get(reverse("field:sync"))
    assert response.status_code == 200 and response.json()["csrf"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_manifest_and_service_worker_cover_the_app(client, town):
    manifest = client.get(reverse("field:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["name"] == "Rathaus Kontrolle" and data["display"] == "standalone"
    assert data["start_url"] == reverse("field:route")
    for icon in data["icons"]:
        image = client.get(icon["src"])
        assert image["Content-Type"] == "image/png"
        size = Image.open(io.BytesIO(image.content)).size
        assert f"{size[0]}x{size[1]}" == icon["sizes"]
    worker = client.get(reverse("field:service_worker"))
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert "no-cache" in worker["Cache-Control"] or "max-age=0" in worker["Cache-Control"]
    assert "FIELD_CONFIG" in worker.content.decode()
