"""A large dog, from the citizen's application through the Steueramt, the Ordnungsamt and
four eyes to the tax notice in the citizen's mailbox, all in the browser.

The browser twin of tests/cases/test_case_workflow.py. What the citizen takes home is
checked the way an outsider would check it, without the project's code: the signed
retrieval receipt with PyNaCl against the published key, and the GiroCode on the
notice by rendering the PDF and reading the code like a banking app.
"""

import base64
import calendar
import hashlib
import io
import json
import os
import re
import subprocess
import time
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import nacl.exceptions
import nacl.signing
import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.payments.models import PaymentAccount
from tests.factories import DOG, HOLDER, PASSWORD, current_totp, make_staff

# The town with its departments, the dog service, the bylaw, the bank account, the court.
from .conftest import DESKTOP, PHONE, page_findings, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The office case page shows each PDF in an <iframe>, and every one starts Chromium's
# whole PDF viewer (a web app of ~1000 modules) at each page load: over a journey with
# ~20 case page loads that doubles the CPU time of the test. So the clerks' browsers get
# a placeholder inside those frames; `check_pdf_previews` still fetches every preview
# URL and checks what it serves. RATHAUS_PDF_PREVIEWS=1 shows the real viewer.
REAL_PDF_PREVIEWS = os.environ.get("RATHAUS_PDF_PREVIEWS", "") not in ("", "0")
PREVIEW_PLACEHOLDER = "<!DOCTYPE html><html lang=de><title>PDF</title><p>PDF-Vorschau</p>"
NAVIGATION = 20_000  # ms; generous, as CI machines are often busy
SLOW = 40_000  # ms, for pages that render a PDF and send e-mail before they answer
REFERENCE = re.compile(r"21\.33\.01-[\w./-]+")
FIRST_DOG_RATE = Decimal("96.00")  # the demo bylaw, dogs/demo.py
# (last month the instalment pays for, (month, day) it is due): the quarterly plan.
QUARTERS = ((3, (2, 15)), (6, (5, 15)), (9, (8, 15)), (12, (11, 15)))


# --- what the citizen brings ---------------------------------------------------------------

def text_pdf(*lines: str) -> bytes:
    """A small, valid one-page PDF that says something (Helvetica, Latin-1 text)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    operators = ["BT", "/F1 14 Tf", "72 770 Td", "20 TL"]
    operators += [f"({line}) Tj T*" for line in lines]
    operators.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(operators).encode("latin-1"))
    page.replace_contents(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_file(name: str, *lines: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": text_pdf(*lines)}


# --- auditing every page -------------------------------------------------------------------

class Audit:
    """axe-core, CSP and broken resources on every page visited; main pages also at
    phone width (with screenshots when RATHAUS_SCREENSHOTS=1). Collected, so that one
    run reports every page that has a problem."""

    def __init__(self):
        self.findings: list[str] = []

    def __call__(self, page, where: str, *, shot: str | None = None) -> None:
        if shot is None:
            self.findings += page_findings(page, where)
            return
        original = page.viewport_size
        for viewport in (DESKTOP, PHONE):
            if page.viewport_size != viewport:
                page.set_viewport_size(viewport)
            self.findings += page_findings(page, f"{where} at {viewport['width']} px")
            screenshot(page, f"dog-{shot}")
        page.set_viewport_size(original)

    def assert_clean(self):
        assert not self.findings, "\n\n".join(self.findings)


# --- people --------------------------------------------------------------------------------

def staff_member(town, department_slug: str, email: str, first: str, last: str):
    with authority_context(town):
        department = Department.objects.get(slug=department_slug)
    user, device = make_staff(town, departments=[department], email=email)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user, device


def click_and_wait(page, locator, *, timeout=NAVIGATION):
    """Click a submit button or link and wait for the next page."""
    with page.expect_navigation(timeout=timeout):
        locator.click()


def _placeholder_in_frames(route):
    frame = route.request.frame
    if route.request.is_navigation_request() and frame.parent_frame is not None:
        route.fulfill(status=200, content_type="text/html", body=PREVIEW_PLACEHOLDER)
    else:
        route.continue_()


def check_pdf_previews(page, *, count: int):
    """Every document preview of the case page serves its PDF, sandboxed, to this site
    only (see REAL_PDF_PREVIEWS)."""
    frames = page.locator("main iframe.document__preview")
    expect(frames).to_have_count(count)
    for index in range(count):
        frame = frames.nth(index)
        assert frame.get_attribute("title")
        response = page.request.get(frame.get_attribute("src"))
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("inline;")
        policy = response.headers["content-security-policy"]
        assert "sandbox" in policy and "frame-ancestors 'self'" in policy, policy
        assert response.body().startswith(b"%PDF-")


def office_login(open_page, audit, user, device, *, where: str):
    page = open_page()
    if not REAL_PDF_PREVIEWS:
        page.route(re.compile(r"/verwaltung/vorgaenge/[^/]+/dokumente/[^/?]+/$"),
                   _placeholder_in_frames)
    page.goto("/verwaltung/anmelden/")
    audit(page, f"office login ({where})")
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(user.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    main.get_by_label("Sicherheitscode").fill(current_totp(device))
    click_and_wait(page, main.get_by_role("button", name="Anmelden"))
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    expect(page.locator("h1")).to_have_text("Arbeitskorb")
    expect(page.locator("header")).to_contain_text(user.full_name)
    return page


def open_case_from_basket(page, audit, reference: str, *, where: str, shot=None):
    audit(page, f"work basket ({where})", shot=shot and f"{shot}-basket")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_have_count(1)
    click_and_wait(page, row.get_by_role("link", name=reference))
    expect(page.locator("h1")).to_contain_text(reference)
    audit(page, f"office case page ({where})", shot=shot and f"{shot}-case")


def office_action(page, button_name: str, *, says: str, text_label: str | None = None,
                  text: str = ""):
    """Use one of the case page's step forms and see that the office says what happened."""
    if text_label:
        page.get_by_label(text_label).fill(text)
    click_and_wait(page, page.locator("main").get_by_role("button", name=button_name),
                   timeout=SLOW)
    expect(page.locator(".messages")).to_contain_text(says)


def status_badge(page):
    return page.locator("main dl .kern-badge").first


# --- what an outsider checks -----------------------------------------------------------------

def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def canonical(value) -> bytes:
    """As receipts.py documents it: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def verify_receipt(document: dict, key_set: dict) -> dict:
    """Check a receipt file with PyNaCl and the published JWK set; return its claims."""
    assert document["alg"] == "EdDSA"
    claims = document["receipt"]
    assert claims["kid"] == document["kid"]
    jwk = next(k for k in key_set["keys"] if k["kid"] == document["kid"])
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    public = b64url_decode(jwk["x"])
    # The key id is the RFC 7638 thumbprint of the key, so the two cannot be mixed up.
    thumbprint = canonical({"crv": "Ed25519", "kty": "OKP", "x": jwk["x"]})
    assert document["kid"] == b64url(hashlib.sha256(thumbprint).digest())
    verify_key = nacl.signing.VerifyKey(public)
    signature = b64url_decode(document["signature"])
    verify_key.verify(canonical(claims), signature)  # raises BadSignatureError
    forged = {**claims, "time": "2000-01-01T00:00:00Z"}
    with pytest.raises(nacl.exceptions.BadSignatureError):
        verify_key.verify(canonical(forged), signature)
    return claims


def first_payment(*, taken_in: date, notice_date: date) -> tuple[date, Decimal]:
    """The demo bylaw's first dog, worked out by hand: liable from the month after it
    was taken in, charged by month, paid quarterly; instalments due less than one month
    after the notice is known (its date + 4 days) fall due on that day together."""
    year = notice_date.year
    start = date(taken_in.year + taken_in.month // 12, taken_in.month % 12 + 1, 1)
    start = max(start, date(year, 1, 1))
    known = notice_date + timedelta(days=4)
    next_month = date(known.year + known.month // 12, known.month % 12 + 1, 1)
    earliest = next_month.replace(
        day=min(known.day, calendar.monthrange(next_month.year, next_month.month)[1]))
    due: dict[date, Decimal] = {}
    paid_before = Decimal("0.00")
    for last_month, (month, day) in QUARTERS:
        months = max(0, last_month - start.month + 1) if start.year == year else 0
        cumulative = (FIRST_DOG_RATE * months / 12).quantize(Decimal("0.01"), ROUND_HALF_UP)
        amount, paid_before = cumulative - paid_before, cumulative
        if amount:
            due_on = max(date(year, month, day), earliest)
            due[due_on] = due.get(due_on, Decimal("0.00")) + amount
    first = min(due)
    return first, due[first]


def euro(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") + " €"


def read_girocode(pdf: Path) -> str:
    """Render the PDF like a screen and read the QR code like a banking app."""
    out = pdf.parent / "pages"
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(out / "page")],
                   check=True, timeout=60)
    texts = []
    for image in sorted(out.glob("page*.png")):
        with Image.open(image) as picture:
            texts += [code.text for code in zxingcpp.read_barcodes(picture)
                      if code.format == zxingcpp.BarcodeFormat.QRCode]
    girocodes = [t for t in texts if t.startswith("BCD\n")]
    assert len(girocodes) == 1, f"expected one GiroCode in the notice, read {texts!r}"
    return girocodes[0]


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def wait_for_mail(smtp_inbox, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp_inbox.messages if predicate(m)]
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError("the expected e-mail did not arrive")


# --- the journey ---------------------------------------------------------------------------

@pytest.mark.usefixtures("dog_town")
def test_large_dog_from_application_to_verified_notice(
    town, citizen, smtp_inbox, open_page, live_server, tmp_path, settle
):
    audit = Audit()
    clerk, clerk_device = staff_member(town, "steueramt", "max@leichlingen.example",
                                       "Max", "Steuer")
    second, second_device = staff_member(town, "steueramt", "erika@leichlingen.example",
                                         "Erika", "Zweitblick")
    order, order_device = staff_member(town, "ordnungsamt", "otto@leichlingen.example",
                                       "Otto", "Ordnung")

    # 1. The citizen finds the service, logs in and applies on her phone. -----------------
    page = open_page(viewport=PHONE)
    page.goto("/")
    audit(page, "home")
    page.get_by_role("link", name="Hund anmelden").click()
    expect(page).to_have_url(re.compile(r"/leistungen/hundeanmeldung/$"))
    expect(page.locator("h1")).to_have_text("Hund anmelden")
    audit(page, "service page (logged out)", shot="service")

    page.get_by_role("link", name="Anmelden und Antrag stellen").click()
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next="))
    audit(page, "citizen login")
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(citizen.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    click_and_wait(page, main.get_by_role("button", name="Anmelden"))
    expect(page).to_have_url(re.compile(r"/leistungen/hundeanmeldung/$"))
    audit(page, "service page (logged in)")

    click_and_wait(page, main.get_by_role("button", name="Antrag starten"))
    expect(page).to_have_url(re.compile(r"/antraege/[0-9a-f-]+/schritt/1/$"))
    next_step = main.get_by_role("button", name="Speichern und weiter")

    # Step 1: the holder, prefilled from the account and checked.
    expect(page.locator("h1")).to_have_text("Halterin oder Halter")
    expect(main.get_by_label("Vorname")).to_have_value(HOLDER["first_name"])
    expect(main.get_by_label("Nachname")).to_have_value(HOLDER["last_name"])
    audit(page, "step 1", shot="step-1")
    main.get_by_label("Geburtsdatum").fill(HOLDER["date_of_birth"])
    main.get_by_label("Straße").fill(HOLDER["street"])
    main.get_by_label("Hausnummer").fill(HOLDER["house_number"])
    main.get_by_label("Postleitzahl").fill(HOLDER["postcode"])
    main.get_by_label("Ort", exact=True).fill(HOLDER["city"])
    main.get_by_role("group", name="Wie viele Hunde").get_by_label("Nur dieser Hund").check()
    click_and_wait(page, next_step)

    # Step 2: the dog.
    expect(page).to_have_url(re.compile(r"/schritt/2/$"))
    expect(page.locator("h1")).to_have_text("Ihr Hund")
    audit(page, "step 2", shot="step-2")
    main.get_by_label("Name des Hundes").fill(DOG["dog_name"])
    main.get_by_label("Rasse", exact=True).select_option(label="Labrador Retriever")
    main.get_by_role("group", name="Geschlecht").get_by_label("Rüde").check()
    main.get_by_label("Geburtsdatum des Hundes").fill(DOG["dog_birth_date"])
    main.get_by_label("Farbe").fill(DOG["colour"])
    main.get_by_label("Nummer des Mikrochips").fill(DOG["microchip"])
    main.get_by_label("Seit wann lebt der Hund bei Ihnen?").fill(DOG["taken_in"])
    click_and_wait(page, next_step)

    # Step 3: a large dog; the proofs are asked for once the citizen says so.
    expect(page).to_have_url(re.compile(r"/schritt/3/$"))
    expect(page.locator("h1")).to_have_text("Angaben nach dem Landeshundegesetz")
    large = main.get_by_role("group", name=re.compile("mindestens 40 cm"))
    large.get_by_label("Nein").check()
    expect(main.get_by_label("Nachweis der Sachkunde")).to_be_hidden()
    large.get_by_label("Ja").check()
    expertise = main.get_by_label("Nachweis der Sachkunde")
    expect(expertise).to_be_visible()
    expect(main.get_by_label("Nachweis der Haftpflichtversicherung")).to_be_visible()
    audit(page, "step 3 with the proofs asked for", shot="step-3")
    expertise.set_input_files(pdf_file("sachkunde.pdf", "Sachkundebescheinigung",
                                       "Bettina Beispiel, Leichlingen"))
    click_and_wait(page, next_step)  # the insurance proof is left for later

    # Step 4: payment by bank transfer, so that the notice carries a GiroCode.
    expect(page).to_have_url(re.compile(r"/schritt/4/$"))
    expect(page.locator("h1")).to_have_text("Zahlung der Hundesteuer")
    main.get_by_label("Per Überweisung").check()
    expect(main.get_by_label("IBAN")).to_be_hidden()
    audit(page, "step 4", shot="step-4")
    click_and_wait(page, next_step)

    # The summary shows what was entered; then the citizen sends.
    expect(page).to_have_url(re.compile(r"/pruefen/$"))
    expect(page.locator("h1")).to_have_text("Prüfen Sie Ihre Antworten")
    for value in ("Bettina", "Musterweg", "Bello", "Labrador Retriever", "Rüde",
                  "276098100123456", "14.03.2026", "sachkunde.pdf", "Überweisung"):
        expect(main).to_contain_text(value)
    audit(page, "summary", shot="summary")
    click_and_wait(page, main.get_by_role("button", name="Antrag absenden"), timeout=SLOW)

    expect(page).to_have_url(re.compile(r"/vorgaenge/[0-9a-f-]+/\?neu=1$"))
    expect(page.get_by_role("status")).to_contain_text("Ihr Antrag ist eingegangen")
    subline = page.locator(".kern-hgroup .kern-subline")
    expect(subline).to_contain_text(REFERENCE)
    reference = REFERENCE.search(subline.inner_text()).group(0)
    expect(page.get_by_role("status")).to_contain_text(reference)
    expect(status_badge(page)).to_have_text("Eingegangen")
    case_url = page.url.split("?")[0]
    with authority_context(town):
        case = Case.objects.get(reference=reference)
    assert case_url.endswith(f"/vorgaenge/{case.pk}/")
    audit(page, "receipt page", shot="received")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Eingangsbestätigung herunterladen (PDF)").click()
    receipt_pdf = tmp_path / "eingangsbestaetigung.pdf"
    download_info.value.save_as(receipt_pdf)
    assert receipt_pdf.read_bytes().startswith(b"%PDF-")
    receipt_text = pdf_text(receipt_pdf)
    assert reference in receipt_text and "Bello" in receipt_text

    # 2. The Steueramt clerk asks for the missing insurance proof. -----------------------
    office = office_login(open_page, audit, clerk, clerk_device, where="Steueramt")
    open_case_from_basket(office, audit, reference, where="Steueramt", shot="office")
    office_main = office.locator("main")
    expect(office_main).to_contain_text("Bettina Beispiel")
    expect(office_main).to_contain_text("Labrador Retriever")
    expect(office_main.get_by_role("heading", name="Nachweis der Sachkunde")).to_be_visible()
    check_pdf_previews(office, count=2)  # the receipt and the proof of expertise
    # The Ordnungsamt has not checked yet: approving is refused with a reason.
    click_and_wait(office, office_main.get_by_role("button", name="Genehmigen"))
    expect(office.locator(".messages")).to_contain_text(
        "Erst muss die Abteilung Ordnungsamt ihre Aufgabe erledigen")
    audit(office, "office case page after a refused approval")
    request_text = "Bitte reichen Sie den Nachweis der Haftpflichtversicherung nach."
    office_action(office, "Angaben bei der Bürgerin oder dem Bürger anfordern",
                  says="Rückfrage in das Postfach", text_label="Was fehlt?", text=request_text)
    expect(status_badge(office)).to_have_text("Wartet auf Angaben der Bürgerin oder des Bürgers")
    audit(office, "office case page waiting for the citizen")

    # 3. The citizen sees the request and answers with the proof. ------------------------
    page.goto("/konto/")
    audit(page, "my account with a waiting application")
    click_and_wait(page, main.get_by_role("link", name=reference))
    expect(status_badge(page)).to_have_text("Wartet auf Ihre Angaben")
    expect(main.get_by_role("heading", name="Wir brauchen Angaben von Ihnen")).to_be_visible()
    expect(main.locator("blockquote")).to_have_text(request_text)
    audit(page, "case page with the request", shot="request")
    main.get_by_label("Ihre Antwort").fill("Anbei der Versicherungsnachweis.")
    main.get_by_label(re.compile(r"Dateien")).set_input_files(pdf_file(
        "haftpflicht.pdf", "Versicherungsbestaetigung",
        "Hundehalter-Haftpflicht fuer Bello, Mikrochip 276098100123456"))
    click_and_wait(page, main.get_by_role("button", name="Antwort senden"), timeout=SLOW)
    expect(page.locator(".messages")).to_contain_text("Vielen Dank. Ihre Antwort wurde gesendet.")
    expect(status_badge(page)).to_have_text("In Bearbeitung")
    expect(main.get_by_role("heading", name="Wir brauchen Angaben von Ihnen")).to_have_count(0)
    audit(page, "case page after answering")

    # 4. The Ordnungsamt checks and completes its task. ----------------------------------
    ordnungsamt = office_login(open_page, audit, order, order_device, where="Ordnungsamt")
    open_case_from_basket(ordnungsamt, audit, reference, where="Ordnungsamt")
    expect(ordnungsamt.locator("main")).to_contain_text("Meldung nach dem Landeshundegesetz")
    expect(ordnungsamt.locator("main").get_by_role(
        "heading", name="Nachgereicht: haftpflicht.pdf")).to_be_visible()
    check_pdf_previews(ordnungsamt, count=3)
    office_action(ordnungsamt, "Meine Aufgabe als erledigt markieren",
                  says="Aufgabe erledigt: Meldung nach dem Landeshundegesetz prüfen",
                  text_label="Ergebnis Ihrer Prüfung",
                  text="Sachkunde und Haftpflichtversicherung geprüft.")
    audit(ordnungsamt, "office case page after the task is done")

    # 5. The clerk approves; a second clerk confirms, and the notice goes out. -----------
    office.goto("/verwaltung/")
    open_case_from_basket(office, audit, reference, where="Steueramt, to approve")
    office_action(office, "Genehmigen", says="Bescheid zur Bestätigung vorgelegt")
    expect(status_badge(office)).to_have_text("Entscheidung wartet auf Bestätigung")
    expect(office_main).to_contain_text("Max Steuer")
    audit(office, "office case page awaiting confirmation")

    confirming = office_login(open_page, audit, second, second_device, where="second clerk")
    open_case_from_basket(confirming, audit, reference, where="second clerk", shot="confirm")
    expect(confirming.locator("main")).to_contain_text("Vorgeschlagene Entscheidung")
    office_action(confirming, "Entscheidung bestätigen", says="Entscheidung bestätigt")
    settle(confirming)  # against the cluster, the workers issue the notice meanwhile
    expect(status_badge(confirming)).to_have_text("Genehmigt")
    expect(confirming.locator("main").get_by_role(
        "heading", name=re.compile(r"^Steuerbescheid Hundesteuer"))).to_be_visible()
    audit(confirming, "office case page approved")

    # 6. The citizen opens the notice in her mailbox. ------------------------------------
    page.goto(case_url)
    expect(status_badge(page)).to_have_text("Genehmigt")
    page.locator("header").get_by_role("link", name="Mein Konto").click()
    expect(page.locator("h1")).to_have_text("Mein Konto")
    expect(main).to_contain_text(re.compile(r"Sie haben \d+ ungelesene"))
    audit(page, "my account with unread messages")
    main.get_by_role("link", name="Postfach").click()
    expect(page).to_have_url(re.compile(r"/konto/postfach/$"))
    audit(page, "mailbox", shot="mailbox")
    notice_row = page.get_by_role("listitem").filter(has_text="Steuerbescheid")
    expect(notice_row).to_contain_text(reference)
    expect(notice_row).to_contain_text("Ungelesen")
    click_and_wait(page, notice_row.get_by_role("link", name=re.compile("Steuerbescheid")))
    expect(page).to_have_url(re.compile(r"/konto/postfach/[0-9a-f-]+/$"))
    message_path = page.url.removeprefix(live_server.url)
    message_id = message_path.rstrip("/").rsplit("/", 1)[1]
    subject = page.locator("h1").inner_text()
    assert subject.startswith("Steuerbescheid Hundesteuer") and "Bello" in subject
    body = page.locator("main > div.account-section").inner_text()
    assert "Bello" in body and "Hundesteuermarke" in body
    audit(page, "notice message", shot="message")

    # The e-mail told her where to look, without the content.
    mail = wait_for_mail(smtp_inbox, lambda m: message_path in smtp_inbox.body(m))
    assert mail["To"] == citizen.email
    assert "Hundesteuer" not in smtp_inbox.body(mail)

    attachment_link = main.get_by_role("link", name=re.compile(r"steuerbescheid.*\.pdf"))
    filename = attachment_link.inner_text().strip()
    with page.expect_download() as download_info:
        attachment_link.click()
    assert download_info.value.suggested_filename == filename
    notice_pdf = tmp_path / "notice" / filename
    notice_pdf.parent.mkdir()
    download_info.value.save_as(notice_pdf)
    assert notice_pdf.read_bytes().startswith(b"%PDF-")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Abholbestätigung").click()
    assert download_info.value.suggested_filename == f"nachweis-abholung-{message_id}.json"
    receipt_file = json.loads(Path(download_info.value.path()).read_bytes())

    # --- the retrieval receipt, checked with nothing but PyNaCl and the published keys ---
    response = page.request.get(f"{live_server.url}/.well-known/rathaus/receipt-keys.json")
    assert response.ok
    assert response.headers["content-type"].startswith("application/jwk-set+json")
    claims = verify_receipt(receipt_file, response.json())
    assert claims["event"] == "retrieved"
    assert claims["message_id"] == message_id
    assert claims["authority"] == {"id": town.slug, "name": town.name}
    retrieved_at = datetime.fromisoformat(claims["time"].replace("Z", "+00:00"))
    assert abs((datetime.now(retrieved_at.tzinfo) - retrieved_at).total_seconds()) < 300
    # It proves what she received: subject, text and the very PDF she downloaded.
    manifest = {
        "subject": subject, "body": body,
        "attachments": [{"filename": filename, "media_type": "application/pdf",
                         "sha256": hashlib.sha256(notice_pdf.read_bytes()).hexdigest()}],
    }
    assert claims["content_sha256"] == hashlib.sha256(canonical(manifest)).hexdigest()

    # --- the GiroCode pays exactly the first amount due, to the town's account -----------
    lines = read_girocode(notice_pdf).split("\n")
    # Service tag, version 002, a character set the guideline allows, SEPA credit transfer.
    assert lines[:2] == ["BCD", "002"] and lines[2] in set("12345678") and lines[3] == "SCT", lines
    name, iban, amount_field = lines[5], lines[6], lines[7]
    remittance = lines[9:]
    with authority_context(town):
        account = PaymentAccount.objects.get()
    assert iban == account.iban
    assert name == account.account_holder
    assert amount_field.startswith("EUR")
    amount = Decimal(amount_field.removeprefix("EUR"))
    taken_in = datetime.strptime(DOG["taken_in"], "%d.%m.%Y").date()
    due_on, expected = first_payment(taken_in=taken_in, notice_date=timezone.localdate())
    assert amount == expected
    assert any(reference in line for line in remittance), remittance
    text = pdf_text(notice_pdf)
    assert reference in text
    # What the code pays is what the letter says, to the account it prints.
    assert " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) in text
    assert f"Zahlen mit Code {euro(expected)} fällig am {due_on:%d.%m.%Y}" in text, text

    audit.assert_clean()
