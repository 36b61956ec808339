"""Staff create a dataset, upload a file, confirm the columns and publish it."""


from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.models import Dataset, Upload
from tests.factories import (
    DISPENSERS,
    NEW_DATASET,
    create_dataset_in_office,
    upload_in_office,
)


def test_staff_upload_confirm_and_publish_a_dataset(town, lead, public):
    assert create_dataset_in_office(lead) == "/verwaltung/offene-daten/hundekotbeutelspender/"
    page = upload_in_office(lead, DISPENSERS.encode())
    assert page.status_code == 200
    assert "Die Datei ist gültig: 3 Zeilen." in page.text
    assert "Breitengrad" in page.text and "Datum" in page.text  # inferred types shown
    upload_url = page.redirect_chain[-1][0]
    form = {f"c{i}-public": "on" for i in range(7)}
    form |= {f"c{i}-type": t for i, t in enumerate(
        ["text", "text", "decimal", "decimal", "date", "decimal", "boolean"])}
    confirmed = lead.post(upload_url, form, follow=True)
    assert "Version 1 wurde gespeichert." in confirmed.text
    assert "Marktplatz" in confirmed.text  # preview of the stored rows

    assert public.get("/daten/hundekotbeutelspender/").status_code == 404
    published = lead.post("/verwaltung/offene-daten/hundekotbeutelspender/veroeffentlichen/",
                          follow=True)
    assert "Der Datensatz ist veröffentlicht." in published.text
    page = public.get("/daten/hundekotbeutelspender/")
    assert page.status_code == 200 and "Witzhelden Kirche" in page.text
    with authority_context(town):
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert {"opendata.dataset_created", "opendata.version_created",
            "opendata.published"} <= set(actions)

    lead.post("/verwaltung/offene-daten/hundekotbeutelspender/zurueckziehen/")
    assert public.get("/daten/hundekotbeutelspender/").status_code == 404


def test_invalid_upload_shows_the_line_and_is_not_published(town, lead):
    create_dataset_in_office(lead)
    page = upload_in_office(lead, b"a;b\n1;2\n3\n")
    assert "Zeile 3 enthält 1 Werte, die Kopfzeile nennt aber 2 Spalten." in page.text
    with authority_context(town):
        assert Upload.objects.get().status == Upload.Status.INVALID


def test_personal_column_is_refused_until_a_reason_is_given(town, lead):
    create_dataset_in_office(lead)
    page = upload_in_office(lead, "bezeichnung;adresse\nRathaus;Am Büscherhof 1\n".encode())
    upload_url = page.redirect_chain[-1][0]
    assert "sieht aus wie genaue Anschriften" in page.text
    form = {"c0-public": "on", "c0-type": "text", "c1-public": "on", "c1-type": "text"}
    refused = lead.post(upload_url, form)
    assert "Personenbezogene Daten dürfen nicht veröffentlicht werden" in refused.text
    accepted = lead.post(upload_url, {**form, "c1-reason": "Anschrift des Rathauses"},
                         follow=True)
    assert "Version 1 wurde gespeichert." in accepted.text


def test_clerk_prepares_but_cannot_publish(town, clerk):
    create_dataset_in_office(clerk)
    page = upload_in_office(clerk, DISPENSERS.encode())
    assert "Eine Teamleitung oder ein Administrator speichert die Version." in page.text
    refused = clerk.post(page.redirect_chain[-1][0], {"c0-public": "on", "c0-type": "text"},
                         follow=True)
    assert "Nur eine Teamleitung" in refused.text
    with authority_context(town):
        assert not Dataset.objects.get().versions.exists()


def test_wrong_file_type_and_duplicate_name_get_german_messages(town, lead):
    create_dataset_in_office(lead)
    page = upload_in_office(lead, b"%PDF-1.7", filename="plan.pdf")
    assert "Laden Sie eine CSV-, JSON- oder GeoJSON-Datei hoch" in page.text
    again = lead.post("/verwaltung/offene-daten/neu/", NEW_DATASET)
    assert "Es gibt bereits einen Datensatz mit diesem Kurznamen" in again.text


def test_office_pages_need_staff_login(town, public):
    response = public.get("/verwaltung/offene-daten/")
    assert response.status_code == 302 and "/verwaltung/anmelden/" in response["Location"]


def test_an_upload_larger_than_the_citizens_request_limit_is_received(lead, settings):
    """The open data upload is large by design: the request limit of the citizen's pages
    (RATHAUS_UPLOAD_MAX_TOTAL_MB) does not apply, RATHAUS_OPENDATA_MAX_UPLOAD_MB does."""
    settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES = 1024
    create_dataset_in_office(lead)
    rows = "".join(f"{n};Musterweg {n}\n" for n in range(500))
    response = upload_in_office(lead, ("nr;ort\n" + rows).encode())
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].count("/uploads/") == 1


def test_the_office_says_what_govdata_is_missing_until_the_contributor_id_is_set(town, lead):
    page = lead.get("/verwaltung/offene-daten/").text
    assert "GovData-Datenbereitsteller-ID fehlt" in page
    assert "dcatde:contributorID" in page
    town.contributor_id = "openNRW"  # stored without validation: not GovData's form
    town.save()
    assert "GovData-Datenbereitsteller-ID fehlt" in lead.get("/verwaltung/offene-daten/").text
    town.contributor_id = "http://dcat-ap.de/def/contributors/openNRW"
    town.save()
    assert "GovData-Datenbereitsteller-ID fehlt" not in lead.get("/verwaltung/offene-daten/").text
