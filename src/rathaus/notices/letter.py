"""What every notice letter prints: letterhead, address window, info block, footer."""

from dataclasses import dataclass
from datetime import date

from rathaus.authorities.tenancy import current_authority
from rathaus.payments.instructions import Payee

from .formats import datum
from .models import NoticeSettings


class NoticeSettingsMissing(LookupError):
    """Without the court to name, a notice would lack a valid Rechtsbehelfsbelehrung."""


@dataclass(frozen=True)
class Recipient:
    """The addressee as printed in the address window."""

    name: str
    street: str
    postcode: str
    city: str
    address_extra: str = ""  # e.g. "c/o …" or "Apartment 3"

    def lines(self) -> list[str]:
        return [line for line in (self.name, self.address_extra, self.street,
                                  f"{self.postcode} {self.city}") if line]


def authority_data() -> dict:
    """The active authority as letters print it."""
    authority = current_authority()
    return {"name": authority.name, "street": authority.street,
            "postcode": authority.postcode, "city": authority.city,
            "phone": authority.phone, "email": authority.email}


def payee_data(payee: Payee) -> dict:
    return {"account_holder": payee.account_holder, "bank_name": payee.bank_name,
            "iban": payee.iban_formatted, "bic": payee.bic, "creditor_id": payee.creditor_id}


def letter_data(
    *, title: str, recipient: Recipient, aktenzeichen: str, notice_date: date,
    payee: Payee | None,
) -> dict:
    """Data shared by all notices of the active authority (see notices/typst/letter.typ)."""
    office = NoticeSettings.objects.first()
    if office is None:
        raise NoticeSettingsMissing("The active authority has no notice settings.")
    info = [["Aktenzeichen", aktenzeichen, True], ["Auskunft", office.issuing_office]]
    if office.contact_phone:
        info.append(["Telefon", office.contact_phone])
    if office.contact_email:
        info.append(["E-Mail", office.contact_email])
    info.append(["Datum", datum(notice_date), True])
    return {
        "title": title,
        "authority": authority_data(),
        "office": {"issuing_office": office.issuing_office,
                   "office_hours": office.office_hours, "court_name": office.court_name,
                   "court_address": office.court_address},
        "recipient": recipient.lines(),
        "recipient_name": recipient.name,
        "info": info,
        "payee": payee_data(payee) if payee else None,
    }


def issued_by(letter: dict, office: str) -> dict:
    """The letter (`letter_data`) as the department `office` sends it. The notice
    settings' phone and e-mail belong to their own office, so they are left out; the
    footer still gives the authority's."""
    if not office:
        return letter
    info = [row for row in letter["info"] if row[0] not in ("Telefon", "E-Mail")]
    info = [["Auskunft", office] if row[0] == "Auskunft" else row for row in info]
    return letter | {"office": letter["office"] | {"issuing_office": office}, "info": info}
