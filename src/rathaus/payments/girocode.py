"""GiroCode: the EPC QR code (EPC069-12, version 002) that banking apps scan to fill in
a SEPA credit transfer.

The payload is written here, line by line as the guideline lists them; segno draws the
symbol with error correction level M, as the guideline requires (at most version 13).
Character set ISO 8859-1 where the text fits it, else UTF-8. The amount has two
decimals ("EUR72.00"). BIC is optional within the EEA since version 002, so it is left
out unless given.

The mask pattern is fixed instead of chosen by scoring all eight: every QR decoder reads
every mask, and the scoring took three quarters of the time of a whole notice.
"""

from decimal import ROUND_HALF_UP, Decimal

import segno

from .iban import check_iban

CENT = Decimal("0.01")
MAX_VERSION = 13
MASK = 4
_CHARACTER_SETS = (("1", "utf-8"), ("2", "iso-8859-1"))  # EPC codes, Python codecs


def epc_payload(*, name: str, iban: str, amount: Decimal, text: str, bic: str = "") -> bytes:
    """The EPC069-12 payload of a credit transfer; `text` is the unstructured remittance
    information (Verwendungszweck), at most 140 characters."""
    if not isinstance(amount, Decimal):
        raise TypeError("Pass money as Decimal, never as float.")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if not Decimal("0.01") <= amount <= Decimal("999999999.99"):
        raise ValueError(f"A GiroCode cannot carry the amount {amount}.")
    fields = [" ".join(name.split())[:70], check_iban(iban), f"EUR{amount}", "", "",
              " ".join(text.split())[:140]]
    for code, codec in reversed(_CHARACTER_SETS):  # the narrower set first
        try:
            lines = ["BCD", "002", code, "SCT", bic or "", *fields]
            return "\n".join(lines).encode(codec)
        except UnicodeEncodeError:
            continue
    raise AssertionError("UTF-8 encodes every text")  # pragma: no cover


def epc_qr(*, name: str, iban: str, amount: Decimal, text: str, bic: str = "") -> segno.QRCode:
    """The QR code of a credit transfer (see `epc_payload`)."""
    qr = segno.make_qr(epc_payload(name=name, iban=iban, amount=amount, text=text, bic=bic),
                       error="m", boost_error=False, mask=MASK)
    if qr.version > MAX_VERSION:
        raise ValueError(f"EPC QR codes stop at version {MAX_VERSION}, got {qr.version}.")
    return qr


def epc_qr_svg(**payment) -> str:
    """The QR code as an SVG document for a notice.

    Without fixed dimensions, so that the template sets the printed size; the quiet
    zone of four modules stays part of the image.
    """
    return epc_qr(**payment).svg_inline(omitsize=True, border=4, dark="#000")
