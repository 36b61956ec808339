"""OParl 1.1 at /oparl/v1/: a crawl of the test council validates every object against
the schemas and finds no dead link; the System, the Body, the files' bytes, the answers'
headers; what is not public is 404 and nowhere in a list or an embedding."""

import hashlib
import json

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.council.models import Council, CouncilFile
from tests.council.conftest import SECRET_WORDS
from tests.council.oparl_crawl import crawl, normalise, validate

pytestmark = pytest.mark.django_db

HOST = "leichlingen.localhost"
BASE = f"http://{HOST}/oparl/v1/"
T = "https://schema.oparl.org/1.1/"


def get(client, path, **query):
    url = path if path.startswith("http") else BASE + path
    return client.get(url.removeprefix(f"http://{HOST}"), query, HTTP_HOST=HOST)


def kinds(objects):
    found = {}
    for obj in objects.values():
        found.setdefault(obj["type"].removeprefix(T), []).append(obj)
    return found


def test_a_crawl_from_the_system_validates_every_object_and_finds_no_dead_link(
        client, council_world):
    objects = crawl(client, BASE)
    found = kinds(objects)
    assert set(found) == {"System", "Body", "Organization", "Person", "Membership", "Meeting",
                          "AgendaItem", "Paper", "Consultation", "File", "Location",
                          "LegislativeTerm"}
    assert len(found["Organization"]) == 4
    assert len(found["Person"]) == 3
    assert len(found["Membership"]) == 6
    assert len(found["Meeting"]) == 3
    # The public item of the upcoming meeting and the past meeting's opening.
    assert sorted(i["name"] for i in found["AgendaItem"]) == [
        "Eröffnung der Sitzung", "Sanierung der Turnhalle Am Hammer"]
    assert [p["reference"] for p in found["Paper"]] == ["V/2026/0001"]
    assert len(found["Consultation"]) == 1
    # The public paper's file, the published minutes, the invitation.
    assert sorted(f["fileName"] for f in found["File"]) == [
        "V-2026-0001.pdf", "einladung.pdf", "niederschrift.pdf"]
    text = json.dumps(objects, ensure_ascii=False)
    for word in SECRET_WORDS + ("Radweg Unterberg", "clara.rat@example.org"):
        assert word not in text


def test_the_system_and_the_body(client, council_world):
    system = get(client, "").json()
    assert system["oparlVersion"] == T
    assert system["body"] == BASE + "body/"
    bodies = get(client, system["body"]).json()["data"]
    assert len(bodies) == 1
    body = bodies[0]
    assert body["name"] == "Stadt Leichlingen"
    assert body["paper"].startswith(BASE + "body/")
    assert [t["name"] for t in body["legislativeTerm"]] == ["Wahlperiode 2025–2030"]
    assert get(client, body["id"]).json() == body


def test_an_authority_without_council_information_has_no_body(client, town):
    assert get(client, "body/").json()["data"] == []
    assert get(client, "body/1/paper/").status_code == 404


def test_answers_are_json_for_browser_applications_of_any_origin(client, council_world):
    response = get(client, "")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    missing = get(client, "paper/999999/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json; charset=utf-8"
    assert missing.json()["message"]
    assert client.post("/oparl/v1/", HTTP_HOST=HOST).status_code == 405


def test_the_files_bytes_are_the_eakte_document_described(client, council_world):
    w = council_world
    paper = get(client, f"paper/{w.public_paper.pk}/").json()
    main = paper["mainFile"]
    for key, disposition in (("accessUrl", "inline"), ("downloadUrl", "attachment")):
        response = get(client, main[key])
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == main["sha256Checksum"]
        assert len(content) == main["size"]
        assert response["Content-Disposition"].startswith(disposition)
        assert response["Access-Control-Allow-Origin"] == "*"
    assert main["mimeType"] == "application/pdf"
    assert main["fileName"] == "V-2026-0001.pdf"


def test_a_file_whose_eakte_document_changed_since_is_not_served(client, council_world):
    w = council_world
    with authority_context(w.authority):
        document = CouncilFile.objects.get(paper=w.public_paper)
        CouncilFile.objects.filter(pk=document.pk).update(sha256="0" * 64)
    assert get(client, f"file/{document.pk}/access/").status_code == 404


def test_nothing_non_public_is_at_its_url_or_in_a_list(client, council_world):
    w = council_world
    with authority_context(w.authority):
        secret_file = CouncilFile.objects.get(paper=w.secret_paper)
        unreleased_file = CouncilFile.objects.get(paper=w.unreleased_paper)
        hidden_minutes = CouncilFile.objects.get(role=CouncilFile.Role.NONPUBLIC_MINUTES)
        body = Council.objects.get().pk
    for path in (f"paper/{w.secret_paper.pk}/", f"paper/{w.unreleased_paper.pk}/",
                 f"agendaItem/{w.secret_item.pk}/", f"file/{secret_file.pk}/",
                 f"file/{secret_file.pk}/access/", f"file/{unreleased_file.pk}/download/",
                 f"file/{hidden_minutes.pk}/", f"file/{hidden_minutes.pk}/access/"):
        assert get(client, path).status_code == 404, path
    for kind in ("paper", "agendaItem", "file", "consultation", "meeting"):
        text = get(client, f"body/{body}/{kind}/").content.decode()
        for word in SECRET_WORDS + ("Radweg Unterberg", "niederschrift-n.pdf"):
            assert word not in text, (kind, word)
    # The planned meeting's agenda is not published: its item is nowhere.
    planned = get(client, f"meeting/{w.planned.pk}/").json()
    assert "agendaItem" not in planned


def test_a_deleted_object_shows_only_that_it_was_deleted(client, council_world):
    w = council_world
    with authority_context(w.authority):
        w.public_paper.deleted = True
        w.public_paper.touch()
        w.public_paper.save()
        body = Council.objects.get().pk
    paper = get(client, f"paper/{w.public_paper.pk}/").json()
    assert set(paper) == {"id", "type", "created", "modified", "deleted"}
    assert paper["deleted"] is True
    validate(paper)
    listed = get(client, f"body/{body}/paper/").json()["data"]
    assert listed == [paper]
    # Its file and consultation go with it.
    assert get(client, f"body/{body}/consultation/").json()["data"][0]["deleted"] is True


def test_persons_show_their_office_only(client, council_world):
    w = council_world
    clara = get(client, f"person/{w.clara.pk}/").json()
    assert clara["name"] == "Clara Rat"
    assert "email" not in clara
    assert len(clara["membership"]) == 3
    assert "clara.rat" not in json.dumps(clara)


def test_a_consultation_links_its_agenda_item_only_when_the_agenda_is_public(
        client, council_world):
    w = council_world
    paper = get(client, f"paper/{w.public_paper.pk}/").json()
    [consultation] = paper["consultation"]
    assert consultation["agendaItem"] == BASE + f"agendaItem/{w.public_item.pk}/"
    with authority_context(w.authority):
        w.upcoming.agenda_published_at = None
        w.upcoming.save()
    paper = get(client, f"paper/{w.public_paper.pk}/").json()
    assert "agendaItem" not in paper["consultation"][0]
    assert get(client, f"agendaItem/{w.public_item.pk}/").status_code == 404


def test_normalise_drops_ids_and_dates():
    obj = {"id": BASE + "paper/3/", "type": T + "Paper", "created": "x", "modified": "y",
           "body": BASE + "body/1/", "consultation": [{"id": BASE + "consultation/4/",
                                                       "meeting": BASE + "meeting/9/"}]}
    assert normalise(obj) == {"type": T + "Paper", "body": "<body>",
                              "consultation": [{"meeting": "<meeting>"}]}
