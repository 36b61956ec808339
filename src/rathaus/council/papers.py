"""Papers (Drucksachen) kept by the Sitzungsdienst: numbered per year and type, written
in Rathaus (typeset as PDF/A) or uploaded (uploads.py), routed through the bodies
(consultations: Vorberatung in a committee, Entscheidung in the council) and released.

A paper is read by nobody outside the administration until it is released: with the
agenda that treats it (meetings.invite) or here, on its own. A non-public paper,
released, is read by the members of its bodies only (visibility.py, permissions.py).
"""

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record
from rathaus.authorities.sequences import next_value

from .documents import council_pdf
from .errors import CouncilError
from .files import file_pdf
from .models import Consultation, CouncilFile, Organization, Paper
from .permissions import may_keep

# The number's prefix per type, as German councils print them: "V/2026/0042" is the
# 42nd Vorlage of 2026, "A/2026/0007" the 7th Antrag.
PREFIXES = {Paper.Type.PROPOSAL: "V", Paper.Type.MOTION: "A",
            Paper.Type.INFORMATION: "M", Paper.Type.INQUIRY: "F"}
# What the typeset paper calls itself.
KINDS = {Paper.Type.PROPOSAL: "Beschlussvorlage", Paper.Type.MOTION: "Antrag",
         Paper.Type.INFORMATION: "Mitteilungsvorlage", Paper.Type.INQUIRY: "Anfrage"}
ROLES = ("Vorberatung", "Entscheidung", "Kenntnisnahme")


def _save(obj, *fields) -> None:
    obj.touch()
    obj.save(update_fields=[*fields, "modified_at"])


def _locked(paper: Paper) -> Paper:
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.deleted:
        raise CouncilError(_("This paper has been deleted."))
    return paper


def _check_originator(paper_type: str, originator: Organization | None) -> None:
    if paper_type == Paper.Type.MOTION and (
            originator is None or originator.kind != Organization.Kind.PARTY_GROUP):
        raise CouncilError(_("A motion is brought by a party group: choose it."))


def _next_reference(paper_type: str, year: int) -> str:
    """The sequence's next number; one taken already (a paper imported from the former
    system, or entered with its number) is passed over."""
    while True:
        number = next_value(f"council.paper.{paper_type}", period=str(year))
        reference = f"{PREFIXES[paper_type]}/{year}/{number:04d}"
        if not Paper.objects.filter(reference=reference).exists():
            return reference


@guarded_by(may_keep)
@transaction.atomic
def create_paper(*, actor, name: str, paper_type: str, public: bool = True,
                 originator: Organization | None = None, date=None) -> Paper:
    """A new paper with the next number of its type and year."""
    if paper_type not in PREFIXES:
        raise CouncilError(_("Choose the kind of paper."))
    name = name.strip()[:500]
    if not name:
        raise CouncilError(_("Give the paper a title."))
    _check_originator(paper_type, originator)
    date = date or timezone.localdate()
    twin = Paper.objects.filter(name=name, paper_type=paper_type, date=date, public=public,
                                originator=originator, deleted=False).first()
    if twin is not None:
        return twin  # the same form sent twice
    paper = Paper.objects.create(
        reference=_next_reference(paper_type, date.year), name=name,
        paper_type=paper_type, date=date, public=public, originator=originator)
    record("council.paper_created", actor=actor, target=paper,
           data={"reference": paper.reference, "type": paper_type, "public": public})
    return paper


@guarded_by(may_keep)
@transaction.atomic
def change_paper(*, actor, paper: Paper, name: str, public: bool,
                 originator: Organization | None = None) -> Paper:
    paper = _locked(paper)
    name = name.strip()[:500]
    if not name:
        raise CouncilError(_("Give the paper a title."))
    _check_originator(paper.paper_type, originator)
    if public and paper.consultations.filter(deleted=False, agenda_item__public=False,
                                             agenda_item__deleted=False).exists():
        raise CouncilError(_("The paper is treated under a non-public item and cannot "
                             "become public."))
    values = {"name": name, "public": public, "originator": originator}
    changed = [field for field, value in values.items() if getattr(paper, field) != value]
    if changed:
        for field, value in values.items():
            setattr(paper, field, value)
        _save(paper, *changed)
        record("council.paper_changed", actor=actor, target=paper, data={"fields": changed})
    return paper


@guarded_by(may_keep)
@transaction.atomic
def delete_paper(*, actor, paper: Paper) -> Paper:
    """Marked deleted with its consultations and files (OParl's `deleted: true`)."""
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.deleted:
        return paper
    if paper.consultations.filter(deleted=False, agenda_item__deleted=False,
                                  meeting__state="held").exists():
        raise CouncilError(_("The paper was treated at a meeting and stays in the record."))
    for related in (*paper.consultations.filter(deleted=False),
                    *paper.files.filter(deleted=False)):
        related.deleted = True
        _save(related, "deleted")
    paper.deleted = True
    _save(paper, "deleted")
    record("council.paper_deleted", actor=actor, target=paper)
    return paper


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """Paragraphs separated by blank lines; a line "# Heading" starts a section."""
    sections: list[tuple[str, list[str]]] = []
    heading, paragraphs, lines = "", [], []

    def close_paragraph():
        if lines:
            paragraphs.append(" ".join(lines))
            lines.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("#"):
            close_paragraph()
            if heading or paragraphs:
                sections.append((heading, list(paragraphs)))
            heading, paragraphs = line.lstrip("#").strip(), []
        elif not line:
            close_paragraph()
        else:
            lines.append(line)
    close_paragraph()
    if heading or paragraphs:
        sections.append((heading or "Sachverhalt", list(paragraphs)))
    return sections


@guarded_by(may_keep)
@transaction.atomic
def write_text(*, actor, paper: Paper, text: str) -> CouncilFile:
    """Typeset the paper's text as its main file (PDF/A). A new text replaces the
    earlier main file, which is marked deleted; the same text again files nothing."""
    paper = _locked(paper)
    sections = _sections(text)
    if not sections:
        raise CouncilError(_("Write the paper's text."))
    facts = [("Datum", paper.date.strftime("%d.%m.%Y"))]
    if paper.originator:
        facts.append(("Eingereicht von", paper.originator.name))
    # Created on the paper's date, so the same text gives the same bytes (a double
    # submit a second later files nothing).
    created = timezone.make_aware(datetime.datetime.combine(paper.date, datetime.time()))
    pdf = council_pdf(kind=KINDS[paper.paper_type], title=paper.name, reference=paper.reference,
                      public=paper.public, facts=facts, sections=sections, created=created)
    mains = paper.files.filter(deleted=False, role=CouncilFile.Role.MAIN)
    same = mains.filter(sha256=hashlib.sha256(pdf).hexdigest()).first()
    if same is not None:
        return same  # the same text sent twice
    for old in mains:
        old.deleted = True
        _save(old, "deleted")
    filed = file_pdf(owner=paper, role=CouncilFile.Role.MAIN, name=KINDS[paper.paper_type],
                     file_name=f"{paper.reference.replace('/', '-')}.pdf", pdf=pdf,
                     date=timezone.localdate(), actor=actor, position=0)
    record("council.paper_written", actor=actor, target=paper, data={"file": filed.pk})
    return filed


@guarded_by(may_keep)
@transaction.atomic
def remove_file(*, actor, council_file: CouncilFile) -> CouncilFile:
    council_file = CouncilFile.objects.select_for_update().get(pk=council_file.pk)
    if council_file.paper_id is None:
        raise CouncilError(_("Invitations and minutes stay in the meeting's record."))
    if not council_file.deleted:
        council_file.deleted = True
        _save(council_file, "deleted")
        paper = council_file.paper
        _save(paper)
        record("council.file_removed", actor=actor, target=council_file)
    return council_file


# --- The way through the bodies ---------------------------------------------------------

@guarded_by(may_keep)
@transaction.atomic
def add_consultation(*, actor, paper: Paper, organization: Organization,
                     role: str) -> Consultation:
    """The paper goes to a body (to prepare, to decide, or to take note); it gets its
    meeting and item when it is put on that body's agenda (meetings.add_item)."""
    paper = _locked(paper)
    if not organization.is_body or organization.deleted:
        raise CouncilError(_("A paper is consulted by a body, not by a party group."))
    if role not in ROLES:
        raise CouncilError(_("Choose the role of the consultation."))
    twin = paper.consultations.filter(organization=organization, role=role, deleted=False,
                                      meeting__isnull=True).first()
    if twin is not None:
        return twin
    consultation = Consultation.objects.create(
        paper=paper, organization=organization, role=role,
        authoritative=role == "Entscheidung",
        position=paper.consultations.count())
    _save(paper)
    record("council.consultation_added", actor=actor, target=consultation,
           data={"paper": paper.pk, "organization": organization.pk, "role": role})
    return consultation


@guarded_by(may_keep)
@transaction.atomic
def remove_consultation(*, actor, consultation: Consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.deleted:
        return consultation
    if consultation.agenda_item_id and not consultation.agenda_item.deleted:
        raise CouncilError(_("The paper is on a meeting's agenda: remove it from the agenda "
                             "first."))
    consultation.deleted = True
    _save(consultation, "deleted")
    record("council.consultation_removed", actor=actor, target=consultation)
    return consultation


@guarded_by(may_keep)
@transaction.atomic
def release_paper(*, actor, paper: Paper) -> Paper:
    """Released, a public paper is public (visibility.papers); a non-public one is read
    by the members of its bodies."""
    paper = _locked(paper)
    if paper.released_at is None:
        if not paper.files.filter(deleted=False, role=CouncilFile.Role.MAIN).exists():
            raise CouncilError(_("The paper has no main file yet: write its text or upload "
                                 "it first."))
        paper.released_at = timezone.now()
        _save(paper, "released_at")
        record("council.paper_released", actor=actor, target=paper)
    return paper
