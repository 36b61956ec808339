"""The whole dog registration on a phone (360 px), by keyboard only: Tab and Shift+Tab to
move, typing into the field that has the focus, Space and arrow keys for choices, Enter to
follow links and send forms. No mouse click and no `fill` anywhere.

At every key press the element with the focus must show it (an outline or shadow of at
least 2 px, on the element or its ::before/::after, as KERN draws the ring of a stretched
card link) and lie inside the viewport: someone who cannot see where the keyboard is
cannot use the page.
"""

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from tests.factories import (
    DOG,
    HOLDER,
    PASSWORD,
    approve_in_the_office,
    blank_pdf,
    departments_of,
    make_staff,
    office_client,
)

from .conftest import PHONE, page_findings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_PRESSES = 120  # Tab presses to reach one element; far more than any page needs
NAVIGATION = 20_000  # ms
SLOW = 40_000  # ms: sending renders the receipt PDF first

# Where the focus is and whether it shows: see the module's docstring.
# KERN scrolls smoothly, so the page may still be moving the focus into view: the probe
# waits until the element has stood still for three frames before it looks.
FOCUS_PROBE = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {lost: true};
  }
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  let last = "", still = 0;
  for (let i = 0; i < 600 && still < 3; i++) {
    await frame();
    const b = el.getBoundingClientRect();
    const now = [b.left, b.top, b.right, b.bottom, window.scrollY].join();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const shows = (style, pseudo) => {
    if (pseudo && (style.content === "none" || style.content === "normal")) return false;
    const transparent = /transparent|rgba\\([^)]*,\\s*0\\)$/.test(style.outlineColor);
    const outline = style.outlineStyle !== "none" && !transparent
                    && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return Boolean(outline || shadow);
  };
  const indicator = shows(getComputedStyle(el), false)
    || shows(getComputedStyle(el, "::after"), true)
    || shows(getComputedStyle(el, "::before"), true);
  const box = el.getBoundingClientRect();
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  const inside = box.width > 0 && box.height > 0 && box.left >= -0.5 && box.top >= -0.5
                 && box.right <= width + 0.5 && box.bottom <= height + 0.5;
  const name = (el.getAttribute("aria-label") || el.labels?.[0]?.innerText || el.innerText
                || el.value || el.name || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  return {lost: false, indicator, inside, tag: el.tagName.toLowerCase(), name,
          box: [box.left, box.top, box.right, box.bottom].map(Math.round)};
}"""


class Keyboard:
    """Drives a page with the keyboard alone and checks the focus at every key."""

    def __init__(self, page):
        self.page = page
        self.keys: Counter[str] = Counter()  # key -> how often it was pressed

    def check_focus(self, after: str) -> None:
        focus = self.page.evaluate(FOCUS_PROBE)
        where = f"after {after} on {self.page.url}"
        assert not focus["lost"], f"{where}: the focus is on no element"
        label = f"<{focus['tag']}> {focus['name']!r}"
        assert focus["indicator"], f"{where}: {label} has the focus but shows no focus ring"
        assert focus["inside"], (f"{where}: {label} has the focus outside the 360 px "
                                 f"viewport, at {focus['box']}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys[key] += 1
        self.check_focus(key)

    def _has_focus(self, locator) -> bool:
        return locator.evaluate("el => el === document.activeElement")

    def focus(self, locator) -> None:
        """Tab to `locator`, or Shift+Tab when it lies before the focus."""
        expect(locator).to_be_visible()
        for _ in range(MAX_PRESSES):
            if self._has_focus(locator):
                return
            before = locator.evaluate(
                """el => { const at = document.activeElement;
                           if (!at || at === document.body) return false;
                           return Boolean(at.compareDocumentPosition(el)
                                          & Node.DOCUMENT_POSITION_PRECEDING); }""")
            self.press("Shift+Tab" if before else "Tab")
        raise AssertionError(f"{locator} never got the focus by Tab on {self.page.url}")

    def type_into(self, locator, text: str, *, replace: bool = False) -> None:
        self.focus(locator)
        if replace:
            self.press("Control+A")
        self.page.keyboard.type(text)
        self.check_focus(f"typing {text!r}")
        expect(locator).to_have_value(text)

    def choose(self, group, label) -> None:
        """Choose the radio `label` of `group` (a fieldset) as a keyboard user does: Tab
        into the group, then the arrow keys (Space for the one the focus lands on)."""
        radios = group.get_by_role("radio")
        wanted = group.get_by_label(label, exact=isinstance(label, str))
        expect(radios.first).to_be_visible()
        for _ in range(MAX_PRESSES):
            if radios.evaluate_all("els => els.includes(document.activeElement)"):
                break
            self.press("Tab")
        for _ in range(radios.count() + 1):
            if self._has_focus(wanted):
                break
            self.press("ArrowDown")
        assert self._has_focus(wanted), f"the arrow keys never reached {label!r}"
        if not wanted.is_checked():
            self.press("Space")
        expect(wanted).to_be_checked()

    def tick(self, locator) -> None:
        self.focus(locator)
        self.press("Space")
        expect(locator).to_be_checked()

    def follow(self, locator, *, key: str = "Enter", timeout: int = NAVIGATION) -> None:
        """Focus a link or button and activate it with the keyboard; wait for the page."""
        self.focus(locator)
        with self.page.expect_navigation(timeout=timeout):
            self.page.keyboard.press(key)
        self.keys[key] += 1


@pytest.mark.usefixtures("dog_town")
def test_the_dog_journey_by_keyboard_alone_on_a_phone(town, citizen, open_page):
    page = open_page(viewport=PHONE)
    keys = Keyboard(page)
    main = page.locator("main")
    findings: list[str] = []

    def audit(where: str) -> None:
        findings.extend(page_findings(page, where))

    # The home page: the service is a card; its link takes the focus.
    page.goto("/")
    keys.follow(main.get_by_role("link", name="Hund anmelden"))
    expect(page).to_have_url(re.compile(r"/leistungen/hundeanmeldung/$"))
    audit("service page")
    # Leichte Sprache is in the header of every page, reached by Shift+Tab from here.
    keys.focus(page.locator("header").get_by_role("link", name="Leichte Sprache"))
    keys.follow(main.get_by_role("link", name="Anmelden und Antrag stellen"))

    # Log in: type into the focused fields, send with Enter from the button.
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next="))
    keys.type_into(main.get_by_label("E-Mail-Adresse"), citizen.email)
    keys.type_into(main.get_by_label("Passwort"), PASSWORD)
    keys.follow(main.get_by_role("button", name="Anmelden"))
    expect(page).to_have_url(re.compile(r"/leistungen/hundeanmeldung/$"))
    keys.follow(main.get_by_role("button", name="Antrag starten"))
    next_step = main.get_by_role("button", name="Speichern und weiter")

    # Step 1: the holder. A typo is corrected after going back with Shift+Tab.
    expect(page.locator("h1")).to_have_text("Halterin oder Halter")
    audit("step 1")
    keys.type_into(main.get_by_label("Geburtsdatum"), HOLDER["date_of_birth"])
    keys.type_into(main.get_by_label("Straße"), "Musterwge")
    keys.type_into(main.get_by_label("Hausnummer"), HOLDER["house_number"])
    keys.type_into(main.get_by_label("Straße"), HOLDER["street"], replace=True)
    keys.type_into(main.get_by_label("Postleitzahl"), HOLDER["postcode"])
    keys.type_into(main.get_by_label("Ort", exact=True), HOLDER["city"])
    keys.choose(main.get_by_role("group", name=re.compile("Wie viele Hunde")), "Zwei Hunde")
    keys.follow(next_step)

    # Step 2: the dog; the breed is chosen in the closed list by typing its name.
    expect(page.locator("h1")).to_have_text("Ihr Hund")
    audit("step 2")
    keys.type_into(main.get_by_label("Name des Hundes"), DOG["dog_name"])
    breed = main.get_by_label("Rasse", exact=True)
    keys.focus(breed)
    page.keyboard.type("Labrador")
    keys.check_focus("typing in the list of breeds")
    expect(breed).to_have_value("labrador")
    keys.choose(main.get_by_role("group", name="Geschlecht"), "Rüde")
    keys.type_into(main.get_by_label("Geburtsdatum des Hundes"), DOG["dog_birth_date"])
    keys.type_into(main.get_by_label("Farbe"), DOG["colour"])
    keys.type_into(main.get_by_label("Nummer des Mikrochips"), DOG["microchip"])
    keys.type_into(main.get_by_label("Seit wann lebt der Hund bei Ihnen?"), DOG["taken_in"])
    keys.follow(next_step)

    # Step 3: a large dog; the proof is chosen in the file dialog opened with Space.
    expect(page.locator("h1")).to_have_text("Angaben nach dem Landeshundegesetz")
    keys.choose(main.get_by_role("group", name=re.compile("mindestens 40 cm")), "Ja")
    expertise = main.get_by_label("Nachweis der Sachkunde")
    keys.focus(expertise)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    keys.keys["Space"] += 1
    chooser.value.set_files({"name": "sachkunde.pdf", "mimeType": "application/pdf",
                             "buffer": blank_pdf()})
    keys.check_focus("choosing a file")
    audit("step 3")
    keys.follow(next_step)

    # Step 4: direct debit, so that the conditional fields and the consent box appear.
    expect(page.locator("h1")).to_have_text("Zahlung der Hundesteuer")
    keys.choose(main.get_by_role("group", name=re.compile("Wie möchten Sie")),
                re.compile("Per Lastschrift"))
    keys.type_into(main.get_by_label("Kontoinhaberin oder Kontoinhaber"), "Bettina Beispiel")
    keys.type_into(main.get_by_label("IBAN"), "DE02 1203 0000 0000 2020 51")
    keys.tick(main.get_by_label(re.compile("Ich ermächtige die Stadt")))
    audit("step 4")
    keys.follow(next_step)

    # The summary, then sending.
    expect(page.locator("h1")).to_have_text("Prüfen Sie Ihre Antworten")
    for value in ("Bello", "Labrador Retriever", "Rüde", "sachkunde.pdf", "Lastschrift"):
        expect(main).to_contain_text(value)
    audit("summary")
    keys.follow(main.get_by_role("button", name="Antrag absenden"), timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/vorgaenge/[0-9a-f-]+/\?neu=1$"))
    expect(page.get_by_role("status")).to_contain_text("Ihr Antrag ist eingegangen")
    audit("receipt page")
    receipt = main.get_by_role("link", name=re.compile("Eingangsbestätigung"))
    keys.focus(receipt)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    keys.keys["Enter"] += 1
    assert download.value.suggested_filename.endswith(".pdf")

    # The Ordnungsamt checks, the Steueramt decides (in the office, not this journey).
    with authority_context(town):
        case = Case.objects.get(applicant=citizen)
        ordnungsamt = departments_of(town)["ordnungsamt"]
    checker, device = make_staff(town, departments=[ordnungsamt], email="otto@x.example")
    answer = office_client(checker, device).post(
        f"/verwaltung/vorgaenge/{case.pk}/schritt/complete_task/", {"text": "Geprüft."})
    assert answer.status_code == 302
    approve_in_the_office(town, case.pk)

    # The notice in the mailbox, reached from the header.
    page.reload()
    keys.follow(page.locator("header").get_by_role("link", name="Mein Konto"))
    expect(page.locator("h1")).to_have_text("Mein Konto")
    audit("my account")
    keys.follow(main.get_by_role("link", name="Postfach"))
    audit("mailbox")
    keys.follow(main.get_by_role("link", name=re.compile("Steuerbescheid")))
    expect(page.locator("h1")).to_contain_text("Steuerbescheid Hundesteuer")
    audit("notice message")
    keys.focus(main.get_by_role("link", name=re.compile(r"steuerbescheid.*\.pdf")))

    # A real walk by every kind of key, not a shortcut.
    assert keys.keys["Tab"] > 50, keys.keys
    for key in ("Shift+Tab", "ArrowDown", "Space", "Enter"):
        assert keys.keys[key], f"{key} was never pressed: {keys.keys}"
    assert not findings, "\n\n".join(findings)
