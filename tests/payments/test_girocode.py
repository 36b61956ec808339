import io
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from rathaus.payments.girocode import epc_qr, epc_qr_svg
from rathaus.payments.iban import InvalidIBAN

PAYEE = {"name": "Stadtkasse Leichlingen", "iban": "DE89 3704 0044 0532 0130 00"}


def decode(qr) -> list[str]:
    """Scan the symbol as a banking app would and split the EPC lines."""
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6)
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    lines = barcode.bytes.decode("latin-1").split("\n")
    assert lines[2] == "2"  # character set ISO 8859-1, so latin-1 is right
    return lines


def test_payload_follows_epc069_12_version_2():
    lines = decode(epc_qr(**PAYEE, amount=Decimal("72.00"), text="Hundesteuer 2026 Az. 21-1"))
    assert lines[:4] == ["BCD", "002", "2", "SCT"]
    assert lines[4] == ""  # no BIC needed within the EEA
    assert lines[5:7] == ["Stadtkasse Leichlingen", "DE89370400440532013000"]
    assert lines[8:10] == ["", ""]  # no purpose code, no structured reference
    assert lines[10] == "Hundesteuer 2026 Az. 21-1"


@pytest.mark.parametrize(("amount", "written"), [
    (Decimal("72"), "EUR72.00"),
    (Decimal("60.50"), "EUR60.50"),
    (Decimal("1234.56"), "EUR1234.56"),
    (Decimal("0.10"), "EUR0.10"),
    (Decimal("8.005"), "EUR8.01"),  # rounded half up to the cent before encoding
])
def test_amount_has_two_decimals_and_decodes_to_the_same_value(amount, written):
    lines = decode(epc_qr(**PAYEE, amount=amount, text="x"))
    assert lines[7] == written
    assert Decimal(lines[7].removeprefix("EUR")) == amount.quantize(Decimal("0.01"),
                                                                     rounding="ROUND_HALF_UP")


def test_bic_is_included_when_given():
    assert decode(epc_qr(**PAYEE, bic="COBADEFFXXX", amount=Decimal(1), text="x"))[4] == (
        "COBADEFFXXX"
    )


def test_money_as_float_is_refused():
    with pytest.raises(TypeError):
        epc_qr(**PAYEE, amount=72.0, text="x")


def test_invalid_iban_never_reaches_a_code():
    with pytest.raises(InvalidIBAN):
        epc_qr(name="Stadtkasse", iban="DE88370400440532013000", amount=Decimal(1), text="x")


def test_svg_has_no_fixed_size_so_the_template_sets_it():
    svg = epc_qr_svg(**PAYEE, amount=Decimal("24.00"), text="x")
    opening = svg.split(">", 1)[0]
    assert opening.startswith("<svg") and "viewBox" in opening
    assert "width" not in opening


def test_text_beyond_latin_1_is_sent_as_utf_8():
    qr = epc_qr(name="Miasto Łódź", iban=PAYEE["iban"], amount=Decimal(5), text="Opłata")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6)
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    lines = barcode.bytes.decode("utf-8").split("\n")
    assert lines[2] == "1" and lines[5] == "Miasto Łódź" and lines[10] == "Opłata"


@pytest.mark.parametrize("amount", [Decimal(0), Decimal("-1"), Decimal("1000000000")])
def test_amounts_a_girocode_cannot_carry_are_refused(amount):
    with pytest.raises(ValueError):
        epc_qr(**PAYEE, amount=amount, text="x")
