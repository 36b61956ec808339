"""Papers kept by the Sitzungsdienst (rathaus.council.papers, uploads): numbers per
year and type, the text typeset as the main file, uploads converted to PDF/A (or
waiting when the tool is missing), consultations and the release."""

import hashlib
import shutil

import pytest
import typst
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.council import papers, uploads, visibility
from rathaus.council.errors import CouncilError
from rathaus.council.models import CouncilFile, CouncilUpload, Paper
from rathaus.intake.recognition import Recognition, ToolMissing
from rathaus.records.blobs import read_blob
from rathaus.records.models import DocumentText
from rathaus.records.selectors import latest_version
from tests.factories import blank_pdf, make_department, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(council_world):
    with authority_context(council_world.authority):
        yield council_world


def _group(w):
    return w.council.__class__.objects.get(short_name="GM")


def test_numbers_count_per_type_and_year(w):
    year = timezone.localdate().year
    first = papers.create_paper(actor=w.clerk, name="Haushalt", paper_type="proposal")
    second = papers.create_paper(actor=w.clerk, name="Schulbau", paper_type="proposal")
    motion = papers.create_paper(actor=w.clerk, name="Radweg", paper_type="motion",
                                 originator=_group(w))
    # The world's papers V/2026/0001 and 0002 were entered with their numbers: passed
    # over.
    taken = 2 if year == 2026 else 0
    assert first.reference == f"V/{year}/{taken + 1:04d}"
    assert second.reference == f"V/{year}/{taken + 2:04d}"
    assert motion.reference == f"A/{year}/0001"
    again = papers.create_paper(actor=w.clerk, name="Schulbau", paper_type="proposal")
    assert again == second  # a double submit numbers nothing new


def test_a_motion_needs_its_party_group(w):
    with pytest.raises(CouncilError):
        papers.create_paper(actor=w.clerk, name="Radweg", paper_type="motion")
    with pytest.raises(CouncilError):
        papers.create_paper(actor=w.clerk, name="Radweg", paper_type="motion",
                            originator=w.committee)


def test_the_text_is_typeset_as_the_main_file_once(w):
    paper = papers.create_paper(actor=w.clerk, name="Haushalt", paper_type="proposal")
    text = "# Sachverhalt\nDer Haushalt 2027.\n\n# Beschlussvorschlag\nDer Rat beschließt."
    filed = papers.write_text(actor=w.clerk, paper=paper, text=text)
    assert filed.role == CouncilFile.Role.MAIN and filed.document_id
    assert papers.write_text(actor=w.clerk, paper=paper, text=text) == filed
    newer = papers.write_text(actor=w.clerk, paper=paper, text=text + " Neu.")
    filed.refresh_from_db()
    assert filed.deleted and not newer.deleted


def test_release_makes_a_public_paper_public_and_keeps_a_secret_one_secret(w):
    paper = papers.create_paper(actor=w.clerk, name="Haushalt", paper_type="proposal")
    with pytest.raises(CouncilError):
        papers.release_paper(actor=w.clerk, paper=paper)  # no main file yet
    papers.write_text(actor=w.clerk, paper=paper, text="Der Haushalt.")
    papers.release_paper(actor=w.clerk, paper=paper)
    assert paper in visibility.papers()
    secret = papers.create_paper(actor=w.clerk, name="Ankauf", paper_type="proposal",
                                 public=False)
    papers.write_text(actor=w.clerk, paper=secret, text="Vertraulich.")
    released = papers.release_paper(actor=w.clerk, paper=secret)
    assert released.released_at and secret not in visibility.papers()


def test_consultations_route_the_paper_and_deleting_marks(w):
    paper = papers.create_paper(actor=w.clerk, name="Haushalt", paper_type="proposal")
    first = papers.add_consultation(actor=w.clerk, paper=paper, organization=w.committee,
                                    role="Vorberatung")
    assert papers.add_consultation(actor=w.clerk, paper=paper, organization=w.committee,
                                   role="Vorberatung") == first
    decides = papers.add_consultation(actor=w.clerk, paper=paper, organization=w.council,
                                      role="Entscheidung")
    assert decides.authoritative and not first.authoritative
    papers.delete_paper(actor=w.clerk, paper=paper)
    paper.refresh_from_db()
    assert paper.deleted and Paper.objects.filter(pk=paper.pk).exists()
    assert all(c.deleted for c in paper.consultations.all())


def test_an_upload_waits_when_the_converter_is_missing_and_is_filed_later(w, monkeypatch):
    def missing(content, *, media_type):
        raise ToolMissing("ocrmypdf")

    monkeypatch.setattr(uploads, "recognise", missing)
    upload = uploads.upload_file(actor=w.clerk, paper=w.unreleased_paper, role="attachment",
                                 file=SimpleUploadedFile("plan.pdf", blank_pdf()),
                                 name="Lageplan")
    upload.refresh_from_db()
    assert upload.state == CouncilUpload.State.WAITING and "ocrmypdf" in upload.problem
    monkeypatch.setattr(uploads, "recognise", lambda content, *, media_type: Recognition(
        pdfa=content, text="", source="text_layer"))
    assert uploads.retry_uploads(actor=w.clerk, paper=w.unreleased_paper) == 1
    upload.refresh_from_db()
    assert upload.state == CouncilUpload.State.FILED
    assert upload.council_file.role == CouncilFile.Role.ATTACHMENT


def test_an_upload_that_is_no_pdf_is_refused(w):
    with pytest.raises(CouncilError):
        uploads.upload_file(actor=w.clerk, paper=w.unreleased_paper, role="attachment",
                            file=SimpleUploadedFile("x.pdf", b"hello, not a pdf"))


def test_staff_of_another_department_are_refused(w):
    other, _device = make_staff(w.authority, departments=[
        make_department(w.authority, slug="kaemmerei", name="Kämmerei")],
        email="k@leichlingen.example")
    with pytest.raises(NotPermitted):
        papers.create_paper(actor=other, name="X", paper_type="proposal")
    with pytest.raises(NotPermitted):
        papers.release_paper(actor=other, paper=w.unreleased_paper)


@pytest.mark.skipif(shutil.which("ocrmypdf") is None,
                    reason="OCRmyPDF is not installed here (apt-get install ocrmypdf "
                           "tesseract-ocr-deu, as .ci/run does): the real conversion is not run")
def test_an_upload_is_converted_to_pdfa_by_the_real_ocrmypdf(w):
    # A plain PDF with a text layer, not PDF/A: Typst without a PDF standard.
    plain = typst.compile(b'#set page(width: 12cm, height: 8cm)\n#set text(lang: "de")\n'
                          b"= Lageplan\nDie Zufahrt zur Turnhalle Am Hammer.")
    assert b"pdfaid:part" not in plain
    upload = uploads.upload_file(actor=w.clerk, paper=w.unreleased_paper, role="attachment",
                                 file=SimpleUploadedFile("lageplan.pdf", plain,
                                                         content_type="application/pdf"),
                                 name="Lageplan")
    upload.refresh_from_db()  # the immediate task backend converted it
    assert upload.state == CouncilUpload.State.FILED, upload.problem
    filed = upload.council_file
    assert (filed.role, filed.name, filed.paper_id) == ("attachment", "Lageplan",
                                                       w.unreleased_paper.pk)
    version = latest_version(filed.document)
    content = read_blob(version.storage_name, sha256=version.sha256)
    assert content.startswith(b"%PDF-") and content != plain
    assert b"pdfaid:part" in content  # the XMP metadata names the PDF/A part
    assert (filed.sha256, filed.size) == (hashlib.sha256(content).hexdigest(), len(content))
    # --skip-text kept the text layer: the eAkte reads it for the search.
    assert "Zufahrt zur Turnhalle" in DocumentText.objects.get(version=version).text
