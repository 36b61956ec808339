"""The Meldebestätigung (§ 24 (2) BMG) as PDF: plain data in, PDF/A bytes out.

The template is `typst/meldebestaetigung.typ`; it receives the data formatted here as
JSON. The caller files the bytes in the eAkte and delivers them to the citizen's
mailbox. A household moving together gets one certificate for all its members, as
§ 24 (2) BMG allows for those who move in on the same day.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from rathaus.accounts.permissions import unguarded_module
from rathaus.authorities.models import Department
from rathaus.notices.formats import datum
from rathaus.notices.letter import Recipient, issued_by, letter_data
from rathaus.notices.typesetting import render_pdf

from .changes import Change
from .models import ResidenceKind

# Who may act is asked by the services that call these (accounts.permissions).
unguarded_module(__name__, "renders PDFs and writes nothing; called inside the decision "
                           "handler of the registration")

TITLE = "Meldebestätigung"

# The certificate is a German document whatever language the portal speaks.
_KIND_LABELS = {ResidenceKind.MAIN: "Hauptwohnung", ResidenceKind.SECONDARY: "Nebenwohnung"}


@dataclass(frozen=True)
class RegisteredPerson:
    given_names: str
    family_name: str
    date_of_birth: date


@dataclass(frozen=True)
class Address:
    street: str
    house_number: str
    postcode: str
    place: str


@dataclass(frozen=True)
class Meldebestaetigung:
    """What the certificate states: who registered, where, since when, and where they
    lived before (empty when not known, e.g. moving in from abroad)."""

    recipient: Recipient
    reference: str  # Aktenzeichen
    issued_on: date
    persons: tuple[RegisteredPerson, ...]
    address: Address
    moved_in: date
    kind: str  # ResidenceKind
    previous_address: str = ""
    # The registration office that issues it; empty: the notice settings' office.
    issuing_office: str = ""


def meldebestaetigung_for(change: Change, *, recipient: Recipient, reference: str,
                          issued_on: date, previous_address: str = "") -> Meldebestaetigung:
    """The certificate of a move into a dwelling (`register_move_in`, `move_within`).
    Without a `previous_address`, a move within the town names the dwelling it left."""
    started = sorted(change.started, key=lambda r: r.pk)
    if not started:
        raise ValueError("A move away starts no residence to certify.")
    dwelling = started[0].dwelling
    if not previous_address and change.ended:
        previous_address = str(change.ended[0].dwelling)
    return Meldebestaetigung(
        recipient=recipient, reference=reference, issued_on=issued_on,
        persons=tuple(RegisteredPerson(given_names=r.person.given_names,
                                       family_name=r.person.family_name,
                                       date_of_birth=r.person.date_of_birth)
                      for r in started),
        address=Address(street=dwelling.street, house_number=dwelling.house_number,
                        postcode=dwelling.postcode, place=dwelling.place),
        moved_in=change.effective_on, kind=started[0].kind,
        previous_address=previous_address, issuing_office=registration_office())


def registration_office() -> str:
    """The name of the department that keeps the register (RATHAUS_RESIDENTS_OFFICE),
    or "" when the authority has none of that name."""
    return (Department.objects.filter(slug=settings.RATHAUS_RESIDENTS_OFFICE)
            .values_list("name", flat=True).first() or "")


def render_meldebestaetigung(data: Meldebestaetigung) -> bytes:
    """The Meldebestätigung as PDF/A-2b."""
    address = data.address
    letter = issued_by(letter_data(title=TITLE, recipient=data.recipient,
                                    aktenzeichen=data.reference, notice_date=data.issued_on,
                                    payee=None), data.issuing_office)
    return render_pdf("residents/typst/meldebestaetigung.typ", letter | {
        "persons": [[p.family_name, p.given_names, datum(p.date_of_birth)]
                    for p in data.persons],
        "address": [f"{address.street} {address.house_number}",
                    f"{address.postcode} {address.place}"],
        "moved_in": datum(data.moved_in),
        "kind": _KIND_LABELS[ResidenceKind(data.kind)],
        "previous_address": " ".join(data.previous_address.split()) or None,
    })
