"""The council information as OParl 1.1 objects (https://schema.oparl.org/1.1/): one
function per type, each turning a row into the dict that is sent.

The rows come from `visibility.py` only, and so do the objects embedded in them (a
paper's files and consultations, a meeting's agenda and protocols, a person's
memberships): the caller prefetches them with `prefetches(kind)`, so that a list page
costs the same few queries whatever its length. A deleted object is sent as OParl
wants it, with its id, type, dates and `deleted: true` only.

URLs are written by `Links`, without `reverse()`: a page of a hundred papers names
some thousand URLs.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language

from . import visibility
from .models import AgendaItem, Council, CouncilFile, Meeting, Organization, Paper

SCHEMA = "https://schema.oparl.org/1.1/"
# Council papers, agendas and resolutions are official works (§ 5 UrhG); the metadata
# is given without conditions.
LICENSE = "https://www.govdata.de/dl-de/zero-2-0"
VENDOR = "https://rathaus.example/"
PRODUCT = "https://rathaus.example/ratsinformation/"

# The path segment of each object type and of each of the body's lists.
KINDS = ("body", "organization", "person", "membership", "meeting", "agendaItem", "paper",
         "consultation", "file", "location", "legislativeTerm")

_ORGANIZATION_TYPES = {Organization.Kind.PARTY_GROUP: "Fraktion"}
_MEETING_STATES = {Meeting.State.PLANNED: "terminiert", Meeting.State.INVITED: "eingeladen",
                   Meeting.State.HELD: "durchgeführt"}


class Links:
    """The absolute URLs of the OParl objects and lists of one request's host."""

    def __init__(self, base: str):
        self.base = base if base.endswith("/") else base + "/"

    def system(self) -> str:
        return self.base

    def of(self, kind: str, pk) -> str:
        return f"{self.base}{kind}/{pk}/"

    def body_list(self) -> str:
        return f"{self.base}body/"

    def list_of(self, body: Council, kind: str) -> str:
        return f"{self.base}body/{body.pk}/{kind}/"

    def file_bytes(self, pk, how: str) -> str:  # how: "access" or "download"
        return f"{self.base}file/{pk}/{how}/"


_LABELS: dict = {}


def label(choices, value) -> str:
    """The label of a choice in the active language; `get_FOO_display()` costs some
    hundred microseconds (it hashes the lazy choices), a page of meetings a thousand."""
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {v: str(text) for v, text in choices.choices}
    return labels.get(value, value)


def stamp(moment) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def day(value) -> str | None:
    return None if value is None else value.isoformat()


def _object(kind: str, row, links: Links, **fields) -> dict:
    """The common part and the fields given, leaving out empty ones (OParl: a field
    without a value is left out, not null)."""
    data = {"id": links.of(kind, row.pk), "type": SCHEMA + kind[0].upper() + kind[1:]}
    data.update((key, value) for key, value in fields.items()
                if value is not None and value != "" and value != [])
    data["created"] = stamp(row.created_at)
    data["modified"] = stamp(row.modified_at)
    return data


def deleted(kind: str, row, links: Links) -> dict:
    stub = {"id": links.of(kind, row.pk), "type": SCHEMA + kind[0].upper() + kind[1:],
            "created": stamp(row.created_at), "modified": stamp(row.modified_at),
            "deleted": True}
    if kind == "file":
        # The File schema requires an accessUrl even of a deleted file; it answers
        # 410 Gone (oparl_views.file_bytes).
        stub["accessUrl"] = links.file_bytes(row.pk, "access")
    return stub


def system(*, authority, links: Links, website: str) -> dict:
    return {
        "id": links.system(), "type": SCHEMA + "System", "oparlVersion": SCHEMA,
        "license": LICENSE, "body": links.body_list(),
        "name": f"Ratsinformation {authority.name}", "website": website,
        "vendor": VENDOR, "product": PRODUCT,
    }


def body(council: Council, *, links: Links, terms, website: str) -> dict:
    authority = council.authority
    key = authority.municipality_key or ""
    lists = {kind: links.list_of(council, kind) for kind in (
        "organization", "person", "meeting", "paper", "agendaItem", "consultation", "file",
        "membership")}
    data = {
        "id": links.of("body", council.pk), "type": SCHEMA + "Body",
        "system": links.system(), "name": authority.name, "shortName": authority.short_name,
        "website": council.website or website, "license": LICENSE,
        **lists,
        "locationList": links.list_of(council, "location"),
        "legislativeTermList": links.list_of(council, "legislativeTerm"),
        "legislativeTerm": [legislative_term(term, links=links, council=council)
                            for term in terms],
        "created": stamp(council.created_at), "modified": stamp(council.modified_at),
    }
    if len(key) == 8:
        data["ags"] = key
    elif len(key) == 12:
        data["rgs"] = key
    return {k: v for k, v in data.items() if v not in ("", None)}


def legislative_term(term, *, links: Links, council: Council) -> dict:
    if term.deleted:
        return deleted("legislativeTerm", term, links)
    return _object("legislativeTerm", term, links, body=links.of("body", council.pk),
                   name=term.name, startDate=day(term.start_date), endDate=day(term.end_date))


def location(place, *, links: Links) -> dict:
    if place.deleted:
        return deleted("location", place, links)
    geojson = None
    if place.longitude is not None and place.latitude is not None:
        geojson = {"type": "Feature", "properties": {"name": place.description},
                   "geometry": {"type": "Point",
                                "coordinates": [place.longitude, place.latitude]}}
    return _object("location", place, links, description=place.description,
                   geojson=geojson, streetAddress=place.street_address, room=place.room,
                   postalCode=place.postal_code, locality=place.locality)


def _embedded_location(place, links: Links) -> dict | None:
    # A deleted place is not offered inside another object (its stub is in the list).
    return None if place is None or place.deleted else location(place, links=links)


def organization(org, *, links: Links, council: Council) -> dict:
    if org.deleted:
        return deleted("organization", org, links)
    return _object(
        "organization", org, links, body=links.of("body", council.pk), name=org.name,
        shortName=org.short_name,
        membership=[links.of("membership", m.pk) for m in org.oparl_memberships],
        organizationType=_ORGANIZATION_TYPES.get(org.kind, "Gremium"),
        classification=label(Organization.Kind, org.kind), startDate=day(org.start_date),
        endDate=day(org.end_date), website=org.website,
        location=_embedded_location(org.location, links))


def membership(member, *, links: Links, with_person: bool = True) -> dict:
    if member.deleted:
        return deleted("membership", member, links)
    return _object(
        "membership", member, links,
        person=links.of("person", member.person_id) if with_person else None,
        organization=links.of("organization", member.organization_id), role=member.role,
        votingRight=member.voting_right, startDate=day(member.start_date),
        endDate=day(member.end_date),
        onBehalfOf=(links.of("organization", member.on_behalf_of_id)
                    if member.on_behalf_of_id else None))


def person(someone, *, links: Links, council: Council) -> dict:
    """Name, title, party and memberships: what the office makes public. Never the
    account, an address or an e-mail address."""
    if someone.deleted:
        return deleted("person", someone, links)
    return _object(
        "person", someone, links, body=links.of("body", council.pk), name=someone.name,
        familyName=someone.family_name, givenName=someone.given_name,
        formOfAddress=someone.form_of_address,
        title=[someone.title] if someone.title else None, gender=someone.gender,
        status=[someone.party] if someone.party else None,
        membership=[membership(m, links=links, with_person=False)
                    for m in someone.oparl_memberships])


def file(document, *, links: Links) -> dict:
    if document.deleted:
        return deleted("file", document, links)
    owner = ({"paper": [links.of("paper", document.paper_id)]} if document.paper_id
             else {"meeting": [links.of("meeting", document.meeting_id)]})
    return _object(
        "file", document, links, name=document.name, fileName=document.file_name,
        mimeType=document.mime_type, date=day(document.date), size=document.size,
        # OParl 1.1 names sha1 and sha512 only; the eAkte keeps SHA-256, given as is.
        sha256Checksum=document.sha256,
        accessUrl=links.file_bytes(document.pk, "access"),
        downloadUrl=links.file_bytes(document.pk, "download"), license=LICENSE, **owner)


def consultation(treatment, *, links: Links, with_paper: bool = True) -> dict:
    """The agenda item only when the public may see it (`visibility.consultation_item`)."""
    if treatment.deleted:
        return deleted("consultation", treatment, links)
    item = visibility.consultation_item(treatment)
    return _object(
        "consultation", treatment, links,
        paper=links.of("paper", treatment.paper_id) if with_paper else None,
        agendaItem=links.of("agendaItem", item.pk) if item is not None else None,
        meeting=links.of("meeting", treatment.meeting_id) if treatment.meeting_id else None,
        organization=([links.of("organization", treatment.organization_id)]
                      if treatment.organization_id else None),
        authoritative=treatment.authoritative, role=treatment.role)


def paper(document, *, links: Links, council: Council) -> dict:
    if document.deleted:
        return deleted("paper", document, links)
    files = document.oparl_files
    main = next((f for f in files if f.role == CouncilFile.Role.MAIN), None)
    return _object(
        "paper", document, links, body=links.of("body", council.pk), name=document.name,
        reference=document.reference, date=day(document.date),
        paperType=label(Paper.Type, document.paper_type),
        mainFile=file(main, links=links) if main is not None else None,
        auxiliaryFile=[file(f, links=links) for f in files if f is not main],
        originatorOrganization=([links.of("organization", document.originator_id)]
                                if document.originator_id else None),
        consultation=[consultation(c, links=links) for c in document.oparl_consultations])


def agenda_item(item, *, links: Links, with_meeting: bool = True) -> dict:
    if item.deleted:
        return deleted("agendaItem", item, links)
    treatments = item.oparl_consultations
    return _object(
        "agendaItem", item, links,
        meeting=links.of("meeting", item.meeting_id) if with_meeting else None,
        number=item.number, order=item.position, name=item.name, public=True,
        consultation=links.of("consultation", treatments[0].pk) if treatments else None,
        result=label(AgendaItem.Result, item.result) if item.result else None,
        resolutionText=item.resolution_text)


def meeting(session, *, links: Links) -> dict:
    if session.deleted:
        return deleted("meeting", session, links)
    files = session.oparl_files
    invitation = next((f for f in files if f.role == CouncilFile.Role.INVITATION), None)
    minutes = next((f for f in files if f.role == CouncilFile.Role.MINUTES), None)
    return _object(
        "meeting", session, links, name=session.name,
        meetingState=_MEETING_STATES.get(session.state), cancelled=session.cancelled,
        start=stamp(session.start), end=stamp(session.end),
        location=_embedded_location(session.location, links),
        organization=[links.of("organization", session.organization_id)],
        invitation=file(invitation, links=links) if invitation else None,
        resultsProtocol=file(minutes, links=links) if minutes else None,
        agendaItem=[agenda_item(i, links=links, with_meeting=False)
                    for i in session.oparl_items])


# --- what each type reads with it -------------------------------------------------------


def _files() -> Prefetch:
    return Prefetch("files", to_attr="oparl_files",
                    queryset=visibility.files().order_by("position", "id"))


def _consultations(*, with_item: bool) -> Prefetch:
    treatments = visibility.consultations().order_by("position", "id")
    if with_item:  # what visibility.consultation_item asks of the item and its meeting
        treatments = treatments.select_related("agenda_item__meeting").only(
            "id", "created_at", "modified_at", "deleted", "paper_id", "agenda_item_id",
            "meeting_id", "organization_id", "authoritative", "role",
            "agenda_item__public", "agenda_item__deleted", "agenda_item__meeting_id",
            "agenda_item__meeting__deleted", "agenda_item__meeting__agenda_published_at")
    else:  # an agenda item names its consultation's URL only
        treatments = treatments.only("id", "agenda_item_id")
    return Prefetch("consultations", to_attr="oparl_consultations", queryset=treatments)


def _memberships() -> Prefetch:
    return Prefetch("memberships", to_attr="oparl_memberships",
                    queryset=visibility.memberships().order_by("id"))


def prefetches(kind: str) -> tuple[list[str], list]:
    """(select_related, prefetch_related) of a queryset of `kind` for these functions."""
    return {
        "organization": (["location"], [_memberships()]),
        "person": ([], [_memberships()]),
        "paper": ([], [_files(), _consultations(with_item=True)]),
        # The paper of a consultation and the owner of a file: deleted with it.
        "consultation": (["agenda_item__meeting", "paper"], []),
        "file": (["paper"], []),
        "agendaItem": ([], [_consultations(with_item=False)]),
        "meeting": (["location"], [
            _files(),
            Prefetch("agenda_items", to_attr="oparl_items",
                     queryset=visibility.agenda_items().order_by("position", "id")
                     .prefetch_related(_consultations(with_item=False)))]),
    }.get(kind, ([], []))


# The queryset of each type, deleted objects included, and its function.
QUERYSETS = {
    "organization": visibility.organizations, "person": visibility.persons,
    "membership": visibility.memberships, "meeting": visibility.meetings,
    "agendaItem": visibility.agenda_items, "paper": visibility.papers,
    "consultation": visibility.consultations, "file": visibility.files,
    "location": visibility.locations, "legislativeTerm": visibility.legislative_terms,
}


def queryset(kind: str):
    related, prefetched = prefetches(kind)
    rows = QUERYSETS[kind](with_deleted=True)
    if related:
        rows = rows.select_related(*related)
    if prefetched:
        rows = rows.prefetch_related(*prefetched)
    return rows


def to_oparl(kind: str, row, *, links: Links, council: Council) -> dict:
    writers = {
        "organization": lambda: organization(row, links=links, council=council),
        "person": lambda: person(row, links=links, council=council),
        "membership": lambda: membership(row, links=links),
        "meeting": lambda: meeting(row, links=links),
        "agendaItem": lambda: agenda_item(row, links=links),
        "paper": lambda: paper(row, links=links, council=council),
        "consultation": lambda: (deleted(kind, row, links) if row.paper.deleted
                                 else consultation(row, links=links)),
        "file": lambda: (deleted(kind, row, links) if row.paper_id and row.paper.deleted
                         else file(row, links=links)),
        "location": lambda: location(row, links=links),
        "legislativeTerm": lambda: legislative_term(row, links=links, council=council),
    }
    return writers[kind]()
