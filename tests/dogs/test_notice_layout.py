"""The title and the subtitle of every notice stand apart: the text of the one must not
touch the other (they nearly did: 0.6 mm from the title's baseline)."""

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

from rathaus.dogs.dog_tax import assess, change_assessment
from rathaus.dogs.notices import render_dog_tax_change_notice, render_dog_tax_notice
from rathaus.notices.rejection import render_rejection_notice
from rathaus.payments.selectors import payment_instruction
from rathaus.records.models import Document
from rathaus.records.selectors import latest_version, read_content
from tests.factories import make_case

from .conftest import AKTENZEICHEN, DOG, HOLDER, NOTICE_DATE

XHTML = "{http://www.w3.org/1999/xhtml}"


def lines(pdf: bytes) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each line of the first page, in points, as pdftotext
    measures them: the font's full height, ascenders and descenders included."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", "-", "-"],
                         input=pdf, capture_output=True, check=True).stdout.decode()
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    return [(float(line.get("yMin")), float(line.get("yMax")),
             " ".join(word.text for word in line.iter(XHTML + "word")))
            for line in root.iter(XHTML + "line")]


def gap_below(pdf: bytes, title: str) -> float:
    """Points between the title's line and the next line below it."""
    found = lines(pdf)
    top, bottom, _text = next(line for line in found if line[2].startswith(title))
    below = min((line for line in found if line[0] > top), key=lambda line: line[0])
    return below[0] - bottom


def test_the_tax_notice_title_and_subtitle_do_not_touch(notice_setup):
    assessment = assess(notice_setup, dog_category="standard", position_in_household=1,
                        taken_in=date(2026, 3, 14), year=2026, notice_date=NOTICE_DATE)
    pdf = render_dog_tax_notice(assessment=assessment, holder=HOLDER, dog=DOG,
                                aktenzeichen=AKTENZEICHEN, payment=payment_instruction(),
                                notice_date=NOTICE_DATE)
    assert gap_below(pdf, "Bescheid über die Festsetzung der Hundesteuer") >= 1.0


def test_the_change_notice_title_and_subtitle_do_not_touch(notice_setup):
    previous = assess(notice_setup, dog_category="standard", position_in_household=1,
                      taken_in=date(2026, 3, 14), year=2026, notice_date=NOTICE_DATE)
    change = change_assessment(previous, notice_setup, given_up=date(2026, 10, 3),
                               notice_date=date(2026, 12, 1))
    pdf = render_dog_tax_change_notice(change=change, holder=HOLDER, dog=DOG,
                                       aktenzeichen=AKTENZEICHEN,
                                       payment=payment_instruction(),
                                       previous_notice_date=NOTICE_DATE)
    assert gap_below(pdf, "Änderungsbescheid über die Hundesteuer") >= 1.0


def test_the_rejection_title_and_subtitle_do_not_touch(notice_setup):
    pdf = render_rejection_notice(holder=HOLDER, aktenzeichen=AKTENZEICHEN,
                                  service_title="Hund anmelden", submitted_on=NOTICE_DATE,
                                  reason="Der Hund ist bereits angemeldet.",
                                  notice_date=NOTICE_DATE)
    assert gap_below(pdf, "Bescheid über die Ablehnung") >= 1.0


def test_the_receipt_title_and_subtitle_do_not_touch(dog_town, citizen, in_town):
    case = make_case(citizen)
    receipt = Document.objects.get(case_file=case.case_file, kind="receipt")
    pdf = read_content(latest_version(receipt))
    assert gap_below(pdf, "Eingangsbestätigung") >= 1.0
