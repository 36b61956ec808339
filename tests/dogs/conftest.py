import io
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from rathaus.dogs.demo import create_demo_dog_tax_bylaw
from rathaus.dogs.notices import TaxedDog
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.notices.letter import Recipient
from rathaus.payments.demo import create_demo_payment_account

NOTICE_DATE = date(2026, 3, 20)
AKTENZEICHEN = "21.30.10-2026-000123"
HOLDER = Recipient(name="Bettina Beispiel", street="Musterweg 12", postcode="42799",
                   city="Leichlingen (Rheinland)")
DOG = TaxedDog(name="Bello", breed="Labrador-Retriever", tax_tag_number="0042")


@pytest.fixture
def notice_setup(in_town):
    """The town with its account, notice settings and dog tax bylaw (demo values)."""
    create_demo_payment_account()
    create_demo_notice_settings()
    return create_demo_dog_tax_bylaw()


def pdf_text(pdf: bytes) -> str:
    """The text as pdftotext reads it, with runs of white space made single spaces."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def page_images(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    """Each page rasterised as a printer or a phone camera would see it."""
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-", f"{directory}/page"],
                       input=pdf, capture_output=True, check=True)
        return [Image.open(path).copy() for path in sorted(Path(directory).glob("page*.png"))]


def girocodes(pdf: bytes) -> list[list[str]]:
    """The lines of every GiroCode on the pages, as a banking app reads them."""
    codes = []
    for image in page_images(pdf):
        for barcode in zxingcpp.read_barcodes(image):
            codes.append(barcode.bytes.decode("latin-1").split("\n"))
    return codes


def pdfa_identification(pdf: bytes) -> dict:
    """`part` and `conformance` from the XMP metadata, as PDF/A validators read them."""
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    namespace = "{http://www.aiim.org/pdfa/ns/id/}"
    found = {}
    for element in ET.fromstring(xmp).iter():
        for key in ("part", "conformance"):
            if element.tag == namespace + key:
                found[key] = element.text
            if namespace + key in element.attrib:
                found[key] = element.attrib[namespace + key]
    return found
