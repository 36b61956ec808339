"""What every notice letter prints: letterhead, address window, info block, footer."""

from dataclasses import dataclass
from datetime import date

from rathaus.authorities.tenancy import current_authority
from rathaus.payments.instructions import Payee

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


def letter_context(
    *, recipient: Recipient, aktenzeichen: str, notice_date: date, payee: Payee
) -> dict:
    """Template context shared by all notices of the active authority."""
    office = NoticeSettings.objects.first()
    if office is None:
        raise NoticeSettingsMissing("The active authority has no notice settings.")
    return {
        "authority": current_authority(),
        "office": office,
        "recipient": recipient,
        "aktenzeichen": aktenzeichen,
        "notice_date": notice_date,
        "payee": payee,
    }
