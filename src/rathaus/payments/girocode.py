"""GiroCode: the EPC QR code (EPC069-12, version 002) that banking apps scan to fill in
a SEPA credit transfer.

segno builds the payload and the symbol (error correction level M, at most version 13,
as the guideline requires). It writes the amount without trailing zeros ("EUR72",
"EUR60.5"); the guideline allows that, as it asks only for at most two decimals with a
dot and a value from 0.01 to 999999999.99, and banking apps read it. BIC is optional
within the EEA since version 002, so it is left out unless given.
"""

from decimal import ROUND_HALF_UP, Decimal

import segno
from segno import helpers

from .iban import check_iban

CENT = Decimal("0.01")


def epc_qr(*, name: str, iban: str, amount: Decimal, text: str, bic: str = "") -> segno.QRCode:
    """The QR code of a credit transfer; `text` is the unstructured remittance
    information (Verwendungszweck), at most 140 characters."""
    if not isinstance(amount, Decimal):
        raise TypeError("Pass money as Decimal, never as float.")
    return helpers.make_epc_qr(
        name=name[:70],
        iban=check_iban(iban),
        amount=amount.quantize(CENT, rounding=ROUND_HALF_UP),
        text=text[:140],
        bic=bic or None,
    )


def epc_qr_svg_data_uri(**payment) -> str:
    """The QR code as an SVG data URI for an <img> in notice HTML.

    Without fixed dimensions, so that the stylesheet sets the printed size; the quiet
    zone of four modules stays part of the image.
    """
    return epc_qr(**payment).svg_data_uri(omitsize=True, border=4, dark="#000")
