"""Moving from another council information system: an import from any OParl 1.0/1.1
endpoint into the active authority, as Meine Stadt Transparent's importer does.

It reads the System object, its body (the first, or the one asked for by id or name),
then the body's lists in an order that brings what is referred to before what refers
to it (terms, places, bodies, persons, memberships, meetings with their agenda items
and files, papers with their consultations and files; then the lists of agenda items,
consultations and files for what was not embedded). An object referred to but not yet
seen is fetched at its URL on first sight. Each OParl id is kept as the local object's
`source_id`, so a second run updates what it made instead of making it twice; an object
sent with `deleted: true` marks the local one deleted.

Resumable: every list page is written in one transaction together with the next
page's URL in the run's `cursor`, so a run that stopped (an error, a killed process)
continues at that page when started again. Incremental: a finished run's start is the
next run's `modified_since` for every list.

Files are downloaded, checked against the size and checksums the File object gives
and by the eAkte's upload checks (PDF, JPEG, PNG; a PDF without scripts or password),
and filed in the owner's case file; what is not taken is named in the run (German).
Imported PDFs are kept as they come: PDF/A if the other system made them so.
"""

import hashlib
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.records.models import Document
from rathaus.records.services import add_document, add_version
from rathaus.records.uploads import DEFAULT_ALLOWED_TYPES, UploadRejected, check_upload

from . import files, pdfa
from .import_http import FetchProblem, check_url, http_fetch
from .models import (
    AgendaItem,
    Consultation,
    Council,
    CouncilFile,
    ImportRun,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)

logger = logging.getLogger(__name__)

Fetch = Callable[[str], tuple[int, bytes]]
JSON_LIMIT = 20 * 1024 * 1024
FILE_LIMIT = 200 * 1024 * 1024
DONE = "done"
# The body's lists in the order read: (kind, the Body's key).
LISTS = [("legislativeTerm", "legislativeTermList"), ("location", "locationList"),
         ("organization", "organization"), ("person", "person"),
         ("membership", "membership"), ("meeting", "meeting"), ("paper", "paper"),
         ("agendaItem", "agendaItem"), ("consultation", "consultation"), ("file", "file")]
MODELS = {"legislativeTerm": LegislativeTerm, "location": Location,
          "organization": Organization, "person": Person, "membership": Membership,
          "meeting": Meeting, "agendaItem": AgendaItem, "paper": Paper,
          "consultation": Consultation, "file": CouncilFile}
MAX_DEPTH = 4  # references fetched on first sight, each of which may refer further


class ImportProblem(Exception):
    """The endpoint cannot be read as OParl; the message is German."""


def _kind(data: dict) -> str:
    """"https://schema.oparl.org/1.1/AgendaItem" → "agendaItem"."""
    name = str(data.get("type", "")).rstrip("/").rsplit("/", 1)[-1]
    return name[:1].lower() + name[1:]


def _moment(value) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _day(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value, limit: int) -> str:
    return ("" if value is None else str(value))[:limit]


def _labels(choices) -> dict[str, str]:
    """Each choice's label in German and English, lower-cased, to its value: what this
    system's own OParl writes."""
    found = {}
    for language in ("de", "en"):
        with translation.override(language):
            found.update({str(label).lower(): value for value, label in choices.choices})
    return found


def _by_words(text: str, table: list[tuple[tuple[str, ...], str]], default: str) -> str:
    lowered = text.lower()
    return next((value for words, value in table if any(w in lowered for w in words)),
                default)


R = AgendaItem.Result
RESULT_WORDS = [(("geändert", "amended", "modifiziert"), R.DECIDED_AMENDED),
                (("abgelehnt", "rejected"), R.REJECTED),
                (("vertagt", "zurückgestellt", "deferred", "abgesetzt"), R.DEFERRED),
                (("verwiesen", "überwiesen", "referred"), R.REFERRED),
                (("zurückgezogen", "withdrawn"), R.WITHDRAWN),
                (("kenntnis", "noted"), R.NOTED),
                (("beschlossen", "zugestimmt", "angenommen", "decided", "einstimmig"),
                 R.DECIDED)]
PAPER_WORDS = [(("antrag", "motion"), Paper.Type.MOTION),
               (("anfrage", "inquiry", "beantwortung"), Paper.Type.INQUIRY),
               (("mitteilung", "information", "bericht", "kenntnis"), Paper.Type.INFORMATION)]
K = Organization.Kind
ORGANIZATION_WORDS = [(("fraktion", "party group", "gruppe"), K.PARTY_GROUP),
                      (("bezirk", "district"), K.DISTRICT),
                      (("ausschuss", "kommission", "committee"), K.COMMITTEE),
                      (("rat", "kreistag", "council", "hauptorgan"), K.COUNCIL)]
MEETING_STATES = {"terminiert": Meeting.State.PLANNED, "geplant": Meeting.State.PLANNED,
                  "eingeladen": Meeting.State.INVITED, "durchgeführt": Meeting.State.HELD,
                  "beendet": Meeting.State.HELD, "abgeschlossen": Meeting.State.HELD}
GENDERS = {"female": "female", "weiblich": "female", "male": "male", "männlich": "male",
           "other": "other", "divers": "other"}


@dataclass
class _Import:
    run: ImportRun
    fetch: Fetch
    actor: object
    counts: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    seen: set = field(default_factory=set)  # ids taken in this run (embedded twice)

    # --- reading ---------------------------------------------------------------------

    def get(self, url: str, *, limit: int = JSON_LIMIT) -> bytes:
        check_url(url)
        status, content = self.fetch(url)
        if status != 200:
            raise ImportProblem(_("%(url)s answered with status %(status)s.") % {
                "url": url, "status": status})
        if len(content) > limit:
            raise ImportProblem(_("%(url)s is larger than %(limit)s MB.") % {
                "url": url, "limit": limit // (1024 * 1024)})
        return content

    def get_json(self, url: str) -> dict:
        try:
            data = json.loads(self.get(url))
        except (ValueError, UnicodeDecodeError):
            raise ImportProblem(_("%(url)s did not answer with OParl JSON.") % {
                "url": url}) from None
        if not isinstance(data, dict):
            raise ImportProblem(_("%(url)s did not answer with OParl JSON.") % {"url": url})
        return data

    def count(self, what: str, kind: str) -> None:
        self.counts.setdefault(what, {}).setdefault(kind, 0)
        self.counts[what][kind] += 1

    def skip(self, message: str) -> None:
        if message not in self.skipped:
            self.skipped.append(message)

    # --- writing ---------------------------------------------------------------------

    def save(self, kind: str, data: dict, fields: dict):
        """The local object of `data` created or brought up to date (fields by attname;
        only a real change counts and touches it)."""
        model = MODELS[kind]
        row = model.objects.filter(source_id=data["id"]).first()
        if row is None:
            created = _moment(data.get("created"))
            row = model(source_id=data["id"], **fields)
            if created is not None:
                row.created_at = created
            row.save()
            self.count("created", kind)
            return row
        changed = {name: value for name, value in fields.items()
                   if getattr(row, name) != value}
        if changed or row.deleted:
            for name, value in changed.items():
                setattr(row, name, value)
            row.deleted = False
            row.touch()
            row.save()
            self.count("updated", kind)
        return row

    def take(self, kind: str, data: dict, *, depth: int = 0, **context):
        """Import one object (a list's entry, an embedded one, or one fetched on first
        sight); returns the local row or None."""
        if not isinstance(data, dict) or not data.get("id"):
            raise ImportProblem(_("An object without an id came from %(url)s.") % {
                "url": self.run.endpoint})
        kind = _kind(data) if data.get("type") else kind
        if kind not in MODELS:
            return None
        if data.get("deleted"):
            return self.mark_deleted(kind, data["id"])
        key = (kind, data["id"], tuple(sorted(context)))
        if key in self.seen and kind != "file":
            return MODELS[kind].objects.filter(source_id=data["id"]).first()
        self.seen.add(key)
        return getattr(self, f"take_{kind}")(data, depth=depth, **context)

    def mark_deleted(self, kind: str, source_id: str):
        row = MODELS[kind].objects.filter(source_id=source_id).first()
        if row is not None and not row.deleted:
            row.deleted = True
            row.touch()
            row.save(update_fields=["deleted", "modified_at"])
            self.count("deleted", kind)
        return None

    def ref(self, kind: str, value, depth: int) -> int | None:
        """The local id of the object an OParl reference (a URL or an embedded object)
        names; an unknown one is fetched and imported on first sight."""
        value = _first(value)
        if isinstance(value, dict):
            row = self.take(kind, value, depth=depth + 1)
            return row.pk if row is not None else None
        if not value:
            return None
        row = MODELS[kind].objects.filter(source_id=value).first()
        if row is None and depth < MAX_DEPTH:
            try:
                row = self.take(kind, self.get_json(value), depth=depth + 1)
            except (ImportProblem, FetchProblem) as problem:
                self.skip(_("Reference skipped: %(reason)s") % {"reason": problem})
                return None
        return row.pk if row is not None else None

    # --- the types -------------------------------------------------------------------

    def take_legislativeTerm(self, data, depth, **_):
        start = _day(data.get("startDate"))
        if start is None:
            self.skip(_("Legislative term %(name)s skipped: it has no start date.") % {
                "name": data.get("name", data["id"])})
            return None
        return self.save("legislativeTerm", data, {
            "name": _text(data.get("name") or start.year, 200), "start_date": start,
            "end_date": _day(data.get("endDate"))})

    def take_location(self, data, depth, **_):
        longitude = latitude = None
        geometry = data.get("geojson") or {}
        geometry = geometry.get("geometry", geometry) if isinstance(geometry, dict) else {}
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if geometry.get("type") == "Point" and isinstance(coordinates, list) \
                and len(coordinates) >= 2:
            longitude, latitude = float(coordinates[0]), float(coordinates[1])
        description = data.get("description") or data.get("streetAddress") or data["id"]
        return self.save("location", data, {
            "description": _text(description, 300),
            "street_address": _text(data.get("streetAddress"), 200),
            "room": _text(data.get("room"), 100),
            "postal_code": _text(data.get("postalCode"), 10),
            "locality": _text(data.get("locality"), 100),
            "longitude": longitude, "latitude": latitude})

    def take_organization(self, data, depth, **_):
        classification = str(data.get("classification") or "")
        kind = _labels(Organization.Kind).get(classification.lower())
        if data.get("organizationType") == "Fraktion":
            kind = K.PARTY_GROUP
        kind = kind or _by_words(f"{classification} {data.get('name', '')}",
                                 ORGANIZATION_WORDS, K.COMMITTEE if data.get(
                                     "organizationType") == "Gremium" else K.OTHER)
        row = self.save("organization", data, {
            "name": _text(data.get("name") or data.get("shortName") or data["id"], 300),
            "short_name": _text(data.get("shortName"), 50), "kind": kind,
            "start_date": _day(data.get("startDate")), "end_date": _day(data.get("endDate")),
            "website": _text(data.get("website"), 200),
            "location_id": self.ref("location", data.get("location"), depth)})
        return row

    def take_person(self, data, depth, **_):
        given, family = data.get("givenName"), data.get("familyName")
        if not family:  # OParl 1.0 systems sometimes give the name only
            parts = str(data.get("name") or data["id"]).rsplit(" ", 1)
            given, family = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        title = data.get("title")
        status = data.get("status")
        row = self.save("person", data, {
            "given_name": _text(given, 150), "family_name": _text(family, 150),
            "form_of_address": _text(data.get("formOfAddress"), 50),
            "title": _text(" ".join(title) if isinstance(title, list) else title, 50),
            "gender": GENDERS.get(str(data.get("gender", "")).lower(), ""),
            "party": _text(status[0] if isinstance(status, list) and status
                           else data.get("party"), 100)})
        for membership in data.get("membership") or []:  # embedded in 1.0 and 1.1
            if isinstance(membership, dict):
                self.take("membership", membership, depth=depth, person=row)
        return row

    def take_membership(self, data, depth, person=None, **_):
        person_id = person.pk if person is not None else self.ref("person", data.get("person"),
                                                                  depth)
        organization_id = self.ref("organization", data.get("organization"), depth)
        if person_id is None or organization_id is None:
            self.skip(_("Membership %(id)s skipped: its person or body is unknown.") % {
                "id": data["id"]})
            return None
        return self.save("membership", data, {
            "person_id": person_id, "organization_id": organization_id,
            "role": _text(data.get("role"), 100),
            "voting_right": data.get("votingRight", True) is not False,
            "start_date": _day(data.get("startDate")), "end_date": _day(data.get("endDate")),
            "on_behalf_of_id": self.ref("organization", data.get("onBehalfOf"), depth)})

    def take_meeting(self, data, depth, **_):
        organization_id = self.ref("organization", data.get("organization"), depth)
        start = _moment(data.get("start"))
        if organization_id is None or start is None:
            self.skip(_("Meeting %(name)s skipped: it has no body or no start.") % {
                "name": data.get("name", data["id"])})
            return None
        state = MEETING_STATES.get(str(data.get("meetingState", "")).lower())
        if state is None:
            state = Meeting.State.HELD if start < timezone.now() else Meeting.State.PLANNED
        existing = Meeting.objects.filter(source_id=data["id"]).first()
        items = [i for i in data.get("agendaItem") or [] if isinstance(i, dict)]
        now = timezone.now()
        published = (state != Meeting.State.PLANNED or bool(items) or bool(data.get("invitation")))
        row = self.save("meeting", data, {
            "name": _text(data.get("name") or data["id"], 300),
            "organization_id": organization_id, "start": start, "end": _moment(data.get("end")),
            "location_id": self.ref("location", data.get("location"), depth),
            "state": state, "cancelled": bool(data.get("cancelled")),
            # What the other system published is published here: its agenda (and the
            # invitation with it) and its minutes.
            "agenda_published_at": ((existing and existing.agenda_published_at) or now)
            if published else None,
            "invited_at": ((existing and existing.invited_at) or now) if published else None,
            "minutes_published_at": ((existing and existing.minutes_published_at) or now)
            if data.get("resultsProtocol") else None})
        for position, item in enumerate(items, start=1):
            self.take("agendaItem", item, depth=depth, meeting=row, position=position)
        for key, role in (("invitation", CouncilFile.Role.INVITATION),
                          ("resultsProtocol", CouncilFile.Role.MINUTES),
                          ("verbatimProtocol", CouncilFile.Role.ATTACHMENT)):
            if isinstance(data.get(key), dict):
                self.take("file", data[key], depth=depth, owner=row, role=role)
        for position, extra in enumerate(data.get("auxiliaryFile") or []):
            if isinstance(extra, dict):
                self.take("file", extra, depth=depth, owner=row,
                          role=CouncilFile.Role.ATTACHMENT, position=position + 3)
        return row

    def take_agendaItem(self, data, depth, meeting=None, position=None, **_):
        meeting_id = meeting.pk if meeting is not None else self.ref(
            "meeting", data.get("meeting"), depth)
        if meeting_id is None:
            self.skip(_("Agenda item %(id)s skipped: its meeting is unknown.") % {
                "id": data["id"]})
            return None
        result_text = str(data.get("result") or "")
        result = _labels(AgendaItem.Result).get(result_text.lower()) or (
            _by_words(result_text, RESULT_WORDS, "") if result_text else "")
        order = data.get("order")
        fields = {"meeting_id": meeting_id, "number": _text(data.get("number"), 20),
                  "name": _text(data.get("name") or data.get("number") or "–", 500),
                  "public": data.get("public", True) is not False, "result": result,
                  "resolution_text": _text(data.get("resolutionText"), 100_000)}
        if isinstance(order, int) or position is not None:
            fields["position"] = order if isinstance(order, int) else position
        return self.save("agendaItem", data, fields)

    def take_paper(self, data, depth, **_):
        existing = Paper.objects.filter(source_id=data["id"]).first()
        reference = _text(data.get("reference") or data["id"].rstrip("/").rsplit("/", 1)[-1],
                          50)
        if Paper.objects.filter(reference=reference).exclude(source_id=data["id"]).exists():
            reference = _text(f"{reference} (Import)", 50)
        kind = str(data.get("paperType") or "")
        paper_type = _labels(Paper.Type).get(kind.lower()) or _by_words(
            kind, PAPER_WORDS, Paper.Type.PROPOSAL)
        row = self.save("paper", data, {
            "reference": reference, "name": _text(data.get("name") or reference, 500),
            "paper_type": paper_type,
            "date": _day(data.get("date")) or _day(data.get("created")) or timezone.localdate(),
            # Public in the other system: public here, released as it comes.
            "public": True,
            "released_at": (existing and existing.released_at) or timezone.now(),
            "originator_id": self.ref("organization", data.get("originatorOrganization"),
                                      depth)})
        if isinstance(data.get("mainFile"), dict):
            self.take("file", data["mainFile"], depth=depth, owner=row,
                      role=CouncilFile.Role.MAIN, position=0)
        for position, extra in enumerate(data.get("auxiliaryFile") or [], start=1):
            if isinstance(extra, dict):
                self.take("file", extra, depth=depth, owner=row,
                          role=CouncilFile.Role.ATTACHMENT, position=position)
        for position, treatment in enumerate(data.get("consultation") or []):
            if isinstance(treatment, dict):
                self.take("consultation", treatment, depth=depth, paper=row,
                          position=position)
        return row

    def take_consultation(self, data, depth, paper=None, position=None, **_):
        paper_id = paper.pk if paper is not None else self.ref("paper", data.get("paper"),
                                                               depth)
        if paper_id is None:
            self.skip(_("Consultation %(id)s skipped: its paper is unknown.") % {
                "id": data["id"]})
            return None
        fields = {"paper_id": paper_id,
                  "organization_id": self.ref("organization", data.get("organization"), depth),
                  "meeting_id": self.ref("meeting", data.get("meeting"), depth),
                  "agenda_item_id": self.ref("agendaItem", data.get("agendaItem"), depth),
                  "role": _text(data.get("role"), 100),
                  "authoritative": bool(data.get("authoritative"))}
        if position is not None:
            fields["position"] = position
        return self.save("consultation", data, fields)

    def take_file(self, data, depth, owner=None, role=None, position=None, **_):
        row = CouncilFile.objects.filter(source_id=data["id"]).first()
        if owner is None and row is None:
            paper_id = self.ref("paper", data.get("paper"), depth) if data.get("paper") else None
            meeting_id = None if paper_id else self.ref("meeting", data.get("meeting"), depth)
            owner = (Paper.objects.filter(pk=paper_id).first() if paper_id
                     else Meeting.objects.filter(pk=meeting_id).first())
            if owner is None:
                self.skip(_("File %(name)s skipped: it belongs to no paper or meeting known "
                            "here.") % {"name": data.get("name", data["id"])})
                return None
        name = _text(data.get("name") or data.get("fileName") or "Datei", 300)
        fields = {"name": name, "file_name": _text(data.get("fileName") or name, 255),
                  "date": _day(data.get("date"))}
        if role is not None:
            fields["role"] = role
        if position is not None:
            fields["position"] = position
        if row is not None and self._same_bytes(row, data):
            return self.save("file", data, fields)
        content = self._download(data, name)
        if content is None:
            return None
        if row is not None:  # new bytes: a new version of the same document
            add_version(document=row.document, content=content.content,
                        media_type=content.media_type, filename=row.file_name,
                        created_by=self.actor)
            fields.update(size=len(content.content), mime_type=content.media_type,
                          sha256=hashlib.sha256(content.content).hexdigest(),
                          source_sha256="")
            saved = self.save("file", data, fields)
            pdfa.convert_later(CouncilFile.objects.get(pk=row.pk), content.content)
            return saved
        made = self._file_new(owner, data, content, role or CouncilFile.Role.ATTACHMENT,
                              fields, position)
        self.count("created", "file")
        return made

    # --- files -----------------------------------------------------------------------

    @staticmethod
    def _same_bytes(row: CouncilFile, data: dict) -> bool:
        if data.get("sha256Checksum"):
            # A file converted to PDF/A here is compared by what the other system sent.
            return data["sha256Checksum"] == (row.source_sha256 or row.sha256)
        return data.get("size") == row.size and data.get("size") is not None

    def _download(self, data: dict, name: str):
        url = data.get("downloadUrl") or data.get("accessUrl")
        if not url:
            self.skip(_("File %(name)s skipped: it has no address to download it from.")
                      % {"name": name})
            return None
        content = self.get(url, limit=FILE_LIMIT)  # a failure stops the page: retried
        problem = None
        if data.get("size") is not None and data["size"] != len(content):
            problem = _("its size differs from the one the other system gives")
        for key, algorithm in (("sha256Checksum", "sha256"), ("sha1Checksum", "sha1"),
                               ("sha512Checksum", "sha512")):
            if data.get(key) and hashlib.new(algorithm, content).hexdigest() != \
                    str(data[key]).lower():
                problem = _("its checksum differs from the one the other system gives")
        if problem is None:
            try:
                return check_upload(io.BytesIO(content), allowed_types=DEFAULT_ALLOWED_TYPES,
                                    max_bytes=FILE_LIMIT)
            except UploadRejected as rejected:
                problem = str(rejected)
        self.skip(_("File %(name)s skipped: %(reason)s") % {"name": name, "reason": problem})
        return None

    def _file_new(self, owner, data, content, role, fields, position) -> CouncilFile:
        if content.media_type == files.PDF:
            made = files.file_pdf(owner=owner, role=role, name=fields["name"],
                                  file_name=fields["file_name"], pdf=content.content,
                                  date=fields["date"], actor=self.actor, position=position)
        else:  # an image the eAkte takes as it is
            case_file = (files.paper_case_file(owner, actor=self.actor)
                         if isinstance(owner, Paper)
                         else files.meeting_case_file(owner, actor=self.actor))
            version = add_document(case_file=case_file, title=fields["name"],
                                   kind=Document.Kind.COUNCIL, content=content.content,
                                   media_type=content.media_type,
                                   filename=fields["file_name"], created_by=self.actor)
            owned = {"paper": owner} if isinstance(owner, Paper) else {"meeting": owner}
            made = CouncilFile.objects.create(
                role=role, name=fields["name"], file_name=fields["file_name"],
                mime_type=content.media_type, size=len(content.content),
                sha256=hashlib.sha256(content.content).hexdigest(), date=fields["date"],
                document=version.document, position=position or 0, **owned)
        made.source_id = data["id"]
        created = _moment(data.get("created"))
        if created is not None:
            made.created_at = created
        made.save(update_fields=["source_id", "created_at"])
        pdfa.convert_later(made, content.content)
        return made


# --- the run ---------------------------------------------------------------------------

def _since(url: str, moment: datetime | None) -> str:
    if moment is None:
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["modified_since"] = timezone.localtime(moment).isoformat(timespec="seconds")
    return urlunsplit(parts._replace(query=urlencode(query)))


def _start(endpoint_url: str) -> ImportRun:
    """The run that stopped before its end (resumed), or a new one asking for what
    changed since the last complete run began."""
    unfinished = ImportRun.objects.filter(endpoint=endpoint_url).exclude(
        state=ImportRun.State.DONE).order_by("-started_at", "-id").first()
    if unfinished is not None:
        unfinished.state, unfinished.error = ImportRun.State.RUNNING, ""
        unfinished.save(update_fields=["state", "error"])
        return unfinished
    last = ImportRun.objects.filter(endpoint=endpoint_url, state=ImportRun.State.DONE) \
        .order_by("-started_at", "-id").first()
    return ImportRun.objects.create(endpoint=endpoint_url,
                                    modified_since=last.started_at if last else None)


def _body(work: _Import, system: dict, chosen: str | None) -> dict:
    listed = system.get("body")
    bodies = []
    url = listed if isinstance(listed, str) else None
    if isinstance(listed, list):
        bodies = [b for b in listed if isinstance(b, dict)]
    while url:
        page = work.get_json(url)
        bodies += [b for b in page.get("data") or [] if isinstance(b, dict)]
        url = (page.get("links") or {}).get("next")
    for found in bodies:
        if chosen in (None, found.get("id"), found.get("name"), found.get("shortName")):
            return found
    if chosen:
        raise ImportProblem(_("The system has no body %(body)s.") % {"body": chosen})
    raise ImportProblem(_("The system at %(url)s has no body.") % {"url": system.get("id")})


def _read_lists(work: _Import, body: dict) -> None:
    run = work.run
    with transaction.atomic():
        for term in body.get("legislativeTerm") or []:
            if isinstance(term, dict):
                work.take("legislativeTerm", term)
    for kind, key in LISTS:
        url = body.get(key)
        if not isinstance(url, str) or run.cursor.get(kind) == DONE:
            continue
        next_url = run.cursor.get(kind) or _since(url, run.modified_since)
        read = set()
        while next_url:
            if next_url in read:  # a server whose `next` leads back would never end
                raise ImportProblem(_("The list %(url)s leads back to a page read before.")
                                    % {"url": next_url})
            read.add(next_url)
            page = work.get_json(next_url)
            if not isinstance(page.get("data"), list):
                raise ImportProblem(_("%(url)s is not an OParl list.") % {"url": next_url})
            with transaction.atomic():
                for data in page["data"]:
                    work.take(kind, data)
                next_url = (page.get("links") or {}).get("next")
                run.cursor = {**run.cursor, kind: next_url or DONE}
                _save_progress(work)


def _save_progress(work: _Import) -> None:
    run = work.run
    counts = dict(run.counts)
    for what, kinds in work.counts.items():
        merged = dict(counts.get(what, {}))
        for kind, number in kinds.items():
            merged[kind] = merged.get(kind, 0) + number
        counts[what] = merged
    counts["skipped"] = list(dict.fromkeys([*counts.get("skipped", []), *work.skipped]))
    run.counts = counts
    run.save(update_fields=["cursor", "counts"])
    work.counts, work.skipped = {}, []


@unguarded("an administrator's command (rathaus import_oparl) copying public data into "
           "the authority; no person's rights are asked")
def import_from(endpoint_url: str, *, actor=None, body: str | None = None,
                fetch: Fetch | None = None) -> ImportRun:
    """Import the council information at the OParl System `endpoint_url` into the active
    authority. Returns the run: DONE, or FAILED with a German `error` (started again,
    it resumes)."""
    run = _start(endpoint_url)
    work = _Import(run=run, fetch=fetch or (lambda url: http_fetch(url, max_bytes=FILE_LIMIT)),
                   actor=actor)
    try:
        if not Council.objects.exists():
            raise ImportProblem(_("The council information of this authority is not set up "
                                  "yet (its Sitzungsdienst is missing)."))
        system = work.get_json(endpoint_url)
        if _kind(system) != "system":
            raise ImportProblem(_("%(url)s is not an OParl System object.") % {
                "url": endpoint_url})
        _read_lists(work, _body(work, system, body))
    except (ImportProblem, FetchProblem) as problem:
        return _stop(run, str(problem))
    except Exception as error:  # noqa: BLE001 (the run must say it stopped; logged)
        logger.exception("OParl import from %s stopped", endpoint_url)
        return _stop(run, _("The import stopped: %(reason)s") % {"reason": error})
    run.state, run.finished_at = ImportRun.State.DONE, timezone.now()
    run.cursor = {}
    run.save(update_fields=["state", "finished_at", "cursor"])
    record("council.imported", actor=actor, target=run,
           data={"endpoint": endpoint_url, "counts": run.counts})
    return run


def _stop(run: ImportRun, message: str) -> ImportRun:
    run.state, run.error = ImportRun.State.FAILED, message
    run.save(update_fields=["state", "error"])
    return run
