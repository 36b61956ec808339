"""The OParl import (council/importing.py): a hand-written OParl 1.0 endpoint; the demo
council of one authority copied into another through its OParl API, so that a crawl of
both gives the same objects; an interrupted run resumed; an incremental run that takes
only what changed, deletions included; bad endpoints."""

import hashlib
import json
import shutil
from datetime import timedelta

import pytest
import typst
from django.core.management import call_command
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.council import pdfa, visibility
from rathaus.council.demo import set_up_demo_council
from rathaus.council.documents import council_pdf
from rathaus.council.importing import import_from
from rathaus.council.models import (
    AgendaItem,
    Consultation,
    Council,
    CouncilFile,
    ImportRun,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)
from rathaus.records.blobs import read_blob
from tests.council.oparl_crawl import by_type, crawl, django_fetch
from tests.factories import make_authority, make_department

pytestmark = pytest.mark.django_db

SOURCE = "http://leichlingen.localhost/oparl/v1/"
TARGET = "http://burscheid.localhost/oparl/v1/"


@pytest.fixture
def target(db):
    """Burscheid, with a Sitzungsdienst and nothing else."""
    authority = make_authority("burscheid", name="Stadt Burscheid", host="burscheid.localhost")
    department = make_department(authority, slug="ratsbuero", name="Ratsbüro")
    with authority_context(authority):
        Council.objects.create(department=department)
    return authority


@pytest.fixture
def source(town):
    """Leichlingen with a small demo council (6 meetings, 20 papers)."""
    department = make_department(town, slug="ratsbuero", name="Ratsbüro")
    with authority_context(town):
        set_up_demo_council(department=department, meetings=6, papers=20)
    return town


def run_import(target, fetch, url=SOURCE) -> ImportRun:
    with authority_context(target):
        return import_from(url, fetch=fetch)


def comparable(client, url):
    """A crawl of `url` by type, the System and Body aside (they name the authority)."""
    found = by_type(crawl(client, url))
    found.pop("System")
    found.pop("Body")
    return found


def test_the_demo_council_copied_into_another_authority_crawls_the_same(
        client, source, target):
    run = run_import(target, django_fetch(client))
    assert run.state == ImportRun.State.DONE, run.error
    assert run.counts["created"]["paper"] > 0 and not run.counts.get("skipped")
    original, copy = comparable(client, SOURCE), comparable(client, TARGET)
    assert set(copy) == set(original)
    for kind in original:
        assert copy[kind] == original[kind], kind
    # The files are the same bytes, in the other authority's eAkte.
    with authority_context(source):
        sums = sorted(CouncilFile.objects.filter(
            paper__public=True, paper__released_at__isnull=False).values_list("sha256", flat=True))
    with authority_context(target):
        assert sorted(CouncilFile.objects.filter(paper__isnull=False)
                      .values_list("sha256", flat=True)) == sums
        assert all(f.document.case_file.authority_id == target.pk
                   for f in CouncilFile.objects.select_related("document__case_file"))

    again = run_import(target, django_fetch(client))
    assert again.state == ImportRun.State.DONE
    assert again.pk != run.pk and again.modified_since == run.started_at
    assert not again.counts.get("created") and not again.counts.get("updated")
    assert comparable(client, TARGET) == copy


def test_the_whole_demo_council_is_copied_and_crawls_the_same(client, town, target):
    """Done-when: the import copies the demo council (the whole year: 30 meetings, 200
    papers) into another authority, and a crawl of both gives the same objects."""
    department = make_department(town, slug="ratsbuero", name="Ratsbüro")
    with authority_context(town):
        set_up_demo_council(department=department)
    run = run_import(target, django_fetch(client))
    assert run.state == ImportRun.State.DONE, run.error
    assert not run.counts.get("skipped")
    original, copy = comparable(client, SOURCE), comparable(client, TARGET)
    # Every meeting, and every paper and file the public may see.
    with authority_context(town):
        public = (visibility.papers().count(), visibility.files().count())
    assert len(original["Meeting"]) == 30
    assert (len(original["Paper"]), len(original["File"])) == public
    for kind in original:
        assert copy[kind] == original[kind], kind
    assert set(copy) == set(original)


def test_an_interrupted_import_resumes_where_it_stopped_without_duplicates(
        client, source, target):
    fetch = django_fetch(client)
    asked = []

    def breaks_after_some_pages(url):
        asked.append(url)
        if len(asked) == 14:
            raise ConnectionResetError("Verbindung getrennt")
        return fetch(url)

    stopped = run_import(target, breaks_after_some_pages)
    assert stopped.state == ImportRun.State.FAILED
    assert "Verbindung getrennt" in stopped.error
    done_lists = [kind for kind, url in stopped.cursor.items() if url == "done"]
    assert done_lists, "the pages read before the break are kept"
    with authority_context(target):
        people = Person.objects.count()
    assert people == 40

    resumed = run_import(target, fetch)
    assert resumed.pk == stopped.pk and resumed.state == ImportRun.State.DONE
    assert comparable(client, TARGET) == comparable(client, SOURCE)
    with authority_context(target):
        assert Person.objects.count() == 40
        for model in (Paper, Meeting, AgendaItem, Consultation, CouncilFile, Membership):
            sources = list(model.objects.values_list("source_id", flat=True))
            assert len(sources) == len(set(sources)), model


def test_an_incremental_import_takes_only_what_changed_and_the_deletions(
        client, source, target):
    with authority_context(source):
        # The demo was made a moment ago; modified_since is to the second, so an object
        # made in the same second as the first run's start would be read again.
        earlier = timezone.now() - timedelta(hours=1)
        for model in (Paper, Meeting, AgendaItem, Consultation, CouncilFile, Membership,
                      Person, Organization):
            model.objects.update(created_at=earlier, modified_at=earlier)
    first = run_import(target, django_fetch(client))
    assert first.state == ImportRun.State.DONE
    with authority_context(source):
        changed = Paper.objects.filter(public=True, released_at__isnull=False).first()
        changed.name = "Radweg entlang der Wupper – geänderte Planung"
        changed.touch()
        changed.save()
        gone = Meeting.objects.filter(state=Meeting.State.HELD).first()
        person = Person.objects.order_by("pk").last()
        withdrawn = Paper.objects.filter(public=True, released_at__isnull=False).exclude(
            pk=changed.pk).first()
        for row in (gone, person, withdrawn):
            row.deleted = True
            row.touch()
            row.save()

    second = run_import(target, django_fetch(client))
    assert second.state == ImportRun.State.DONE, second.error
    assert second.counts.get("created", {}) == {}
    assert second.counts["updated"] == {"paper": 1}
    assert second.counts["deleted"] == {"meeting": 1, "person": 1, "paper": 1}
    with authority_context(target):
        assert Paper.objects.get(source_id__endswith=f"/paper/{changed.pk}/").name == changed.name
        assert Meeting.objects.get(source_id__endswith=f"/meeting/{gone.pk}/").deleted
        assert Person.objects.get(source_id__endswith=f"/person/{person.pk}/").deleted
        assert Paper.objects.get(source_id__endswith=f"/paper/{withdrawn.pk}/").deleted
    assert comparable(client, TARGET) == comparable(client, SOURCE)


def test_bad_endpoints_fail_with_a_message_and_import_nothing(client, source, target):
    fetch = django_fetch(client)
    not_http = run_import(target, fetch, url="ftp://leichlingen.localhost/oparl/v1/")
    assert not_http.state == ImportRun.State.FAILED and "ftp://" in not_http.error
    missing = run_import(target, fetch, url="http://leichlingen.localhost/oparl/v1/nothing/")
    assert missing.state == ImportRun.State.FAILED and "404" in missing.error
    not_oparl = run_import(target, fetch, url="http://leichlingen.localhost/ratsinfo/")
    assert not_oparl.state == ImportRun.State.FAILED

    endpoint = Endpoint()
    endpoint.lists["person"] = [endpoint.person(1), {"type": endpoint.T + "Person"}]
    broken = run_import(target, endpoint, url=endpoint.system_url)
    assert broken.state == ImportRun.State.FAILED
    assert broken.error
    with authority_context(target):
        assert not Person.objects.exists(), "nothing of the broken page"
        assert ImportRun.objects.filter(state=ImportRun.State.DONE).count() == 0


def test_without_council_information_the_import_says_so(client, source):
    other = make_authority("witzhelden", name="Gemeinde Witzhelden", host="witz.localhost")
    run = run_import(other, django_fetch(client))
    assert run.state == ImportRun.State.FAILED and run.error


# --- a hand-written OParl 1.0 endpoint ------------------------------------------------


class Endpoint:
    """An OParl 1.0 system as some older ones write it: no membership list (persons
    embed theirs), a body organisation known only by reference, files not PDF."""

    T = "https://schema.oparl.org/1.0/"
    base = "https://ris.example.org/oparl/"

    def __init__(self):
        self.system_url = self.base
        self.lists = {"organization": [self.organization(1, "Rat", "Gemeinderat")],
                      "person": [], "meeting": [], "paper": []}
        self.objects = {}
        self.bytes = {}

    def url(self, kind, pk):
        return f"{self.base}{kind}/{pk}"

    def organization(self, pk, name, classification):
        return {"id": self.url("organization", pk), "type": self.T + "Organization",
                "name": name, "classification": classification}

    def person(self, pk):
        return {"id": self.url("person", pk), "type": self.T + "Person",
                "name": f"Dr. Hanna Altmann{pk}", "gender": "weiblich",
                "membership": [{"id": self.url("membership", pk), "type": self.T + "Membership",
                                "organization": self.url("organization", 1),
                                "role": "Mitglied"}]}

    def add_file(self, pk, content, name):
        self.bytes[f"{self.base}download/{pk}"] = content
        return {"id": self.url("file", pk), "type": self.T + "File", "name": name,
                "fileName": f"{name}.bin", "size": len(content),
                "sha1Checksum": hashlib.sha1(content).hexdigest(),  # noqa: S324 (OParl's field)
                "accessUrl": f"{self.base}download/{pk}"}

    def __call__(self, url):
        if url in self.bytes:
            return 200, self.bytes[url]
        if url == self.base:
            data = {"id": self.base, "type": self.T + "System", "oparlVersion": self.T,
                    "body": f"{self.base}bodies"}
        elif url == f"{self.base}bodies":
            data = {"data": [{"id": self.url("body", 1), "type": self.T + "Body",
                              "name": "Gemeinde Beispiel",
                              **{kind: f"{self.base}list/{kind}" for kind in self.lists}}],
                    "links": {}}
        elif url.startswith(f"{self.base}list/"):
            data = {"data": self.lists[url.rsplit("/", 1)[-1].split("?")[0]], "links": {}}
        elif url in self.objects:
            data = self.objects[url]
        else:
            return 404, b"{}"
        return 200, json.dumps(data).encode()


def test_an_oparl_1_0_endpoint_with_embedded_memberships_and_references(target):
    endpoint = Endpoint()
    with authority_context(target):
        pdf = council_pdf(kind="Vorlage", title="Kita Sonnenschein", reference="1/2020",
                          public=True)
    endpoint.lists["person"] = [endpoint.person(1), endpoint.person(2)]
    # The committee is only referred to: fetched at its URL on first sight.
    endpoint.objects[endpoint.url("organization", 2)] = endpoint.organization(
        2, "Jugendhilfeausschuss", "Ausschuss")
    meeting = {"id": endpoint.url("meeting", 1), "type": endpoint.T + "Meeting",
               "name": "Sitzung des Jugendhilfeausschusses",
               "organization": [endpoint.url("organization", 2)],
               "start": "2020-03-03T17:00:00+01:00", "meetingState": "durchgeführt",
               "agendaItem": [{"id": endpoint.url("agendaitem", 1),
                               "type": endpoint.T + "AgendaItem", "number": "3",
                               "name": "Kita Sonnenschein", "result": "Geändert beschlossen",
                               "public": True}],
               "invitation": endpoint.add_file(1, pdf, "Einladung")}
    endpoint.lists["meeting"] = [meeting]
    endpoint.lists["paper"] = [{
        "id": endpoint.url("paper", 1), "type": endpoint.T + "Paper",
        "name": "Erweiterung der Kita Sonnenschein", "reference": "1/2020",
        "paperType": "Beschlussvorlage", "date": "2020-02-01",
        "originatorOrganization": [endpoint.url("organization", 2)],
        "mainFile": endpoint.add_file(2, pdf, "Vorlage"),
        "auxiliaryFile": [endpoint.add_file(3, b"just text, not a PDF", "Notiz")],
        "consultation": [{"id": endpoint.url("consultation", 1),
                          "type": endpoint.T + "Consultation",
                          "meeting": endpoint.url("meeting", 1),
                          "agendaItem": endpoint.url("agendaitem", 1),
                          "organization": [endpoint.url("organization", 2)],
                          "role": "Entscheidung", "authoritative": True}]}]

    run = run_import(target, endpoint, url=endpoint.system_url)
    assert run.state == ImportRun.State.DONE, run.error
    with authority_context(target):
        assert Organization.objects.get(name="Rat").kind == Organization.Kind.COUNCIL
        assert Organization.objects.get(name="Jugendhilfeausschuss").kind == \
            Organization.Kind.COMMITTEE
        hanna = Person.objects.get(source_id=endpoint.url("person", 1))
        assert (hanna.title, hanna.given_name, hanna.family_name, hanna.gender) == (
            "", "Dr. Hanna", "Altmann1", "female")
        assert Membership.objects.get(person=hanna).organization.name == "Rat"
        item = AgendaItem.objects.get()
        assert item.result == AgendaItem.Result.DECIDED_AMENDED
        assert item.meeting.state == Meeting.State.HELD
        paper = Paper.objects.get()
        assert (paper.reference, paper.paper_type) == ("1/2020", Paper.Type.PROPOSAL)
        assert paper.originator.name == "Jugendhilfeausschuss"
        consultation = Consultation.objects.get()
        assert (consultation.agenda_item, consultation.meeting) == (item, item.meeting)
        assert sorted(CouncilFile.objects.values_list("role", flat=True)) == [
            "invitation", "main"]
        assert len(run.counts["skipped"]) == 1 and "Notiz" in run.counts["skipped"][0]

    # Run again: nothing new, nothing twice.
    again = run_import(target, endpoint, url=endpoint.system_url)
    assert again.state == ImportRun.State.DONE
    assert not again.counts.get("created") and not again.counts.get("updated")
    with authority_context(target):
        assert Person.objects.count() == 2 and CouncilFile.objects.count() == 2


def test_the_command_prints_the_counts(client, source, target, monkeypatch, capsys):
    import rathaus.council.importing as importing

    monkeypatch.setattr(importing, "http_fetch", lambda url, **_: django_fetch(client)(url))
    call_command("import_oparl", SOURCE, "--authority", "burscheid")
    out = capsys.readouterr().out
    assert "paper" in out and "abgeschlossen" in out
    with authority_context(target):
        assert Paper.objects.exists()
        assert ImportRun.objects.get().finished_at <= timezone.now()


@pytest.mark.skipif(shutil.which("ocrmypdf") is None,
                    reason="OCRmyPDF is not installed (Debian package ocrmypdf)")
def test_an_imported_pdf_that_is_not_pdfa_becomes_one_in_the_eakte_and_is_not_fetched_again(
        target):
    """Every council file in the eAkte is a PDF/A: the other system's PDF is kept as the
    first version, the worker's PDF/A is the second, and OParl serves the PDF/A."""
    plain = typst.compile(b'#set page(width: 12cm, height: 8cm)\n#set text(lang: "de")\n'
                          b"= Vorlage\nDer Spielplatz am Wupperufer wird erneuert.")
    assert not pdfa.is_pdfa(plain)
    endpoint = Endpoint()
    endpoint.lists["paper"] = [{
        "id": endpoint.url("paper", 1), "type": endpoint.T + "Paper",
        "name": "Spielplatz Wupperufer", "reference": "7/2021", "date": "2021-05-01",
        "mainFile": {**endpoint.add_file(1, plain, "Vorlage"),
                     "sha256Checksum": hashlib.sha256(plain).hexdigest(),
                     "mimeType": "application/pdf"}}]

    run = run_import(target, endpoint, url=endpoint.system_url)
    assert run.state == ImportRun.State.DONE, run.error
    with authority_context(target):
        filed = CouncilFile.objects.get()
        versions = list(filed.document.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].sha256 == hashlib.sha256(plain).hexdigest()  # as it came
        converted = read_blob(versions[1].storage_name, sha256=versions[1].sha256)
        assert pdfa.is_pdfa(converted)
        assert (filed.sha256, filed.size) == (versions[1].sha256, len(converted))
        assert filed.source_sha256 == hashlib.sha256(plain).hexdigest()

    again = run_import(target, endpoint, url=endpoint.system_url)
    assert again.state == ImportRun.State.DONE, again.error
    with authority_context(target):
        assert filed.document.versions.count() == 2  # compared by what was sent
