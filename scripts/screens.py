"""`make screens`: screenshots of every page of the citizen's and the clerks' journeys
through the dog registration, at 360 and 1280 px, with an index.html that lists them:
for reviewers, and for the user guide.

    .venv/bin/python scripts/screens.py [FOLDER]      (default: var/screens/)

It runs a scratch demo instance of its own: a temporary RATHAUS_VAR_DIR (SQLite, keys,
files), `rathaus setup` (migrations and the demo), `rathaus serve` (web server and
worker) on a free loopback port; it stops and deletes it at the end. Nothing of a
developer's own database or var/ is touched. The browser is Debian's Chromium
(RATHAUS_CHROMIUM, default /usr/bin/chromium) driven by Playwright, both installed by
`make test`.

The journey is one list, JOURNEY: each step says who acts (a demo person, each in a
browser of their own), what they do from the page they are on, and under which name the
page reached is kept. When a page changes, change its step; when a page is added, add a
step. A step that fails stops the run with its name; the pages taken so far are kept and
listed.
"""

import base64
import hashlib
import hmac
import html
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

CHECKOUT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = CHECKOUT / "var" / "screens"
CHROMIUM = os.environ.get("RATHAUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--lang=de-DE"]  # German file fields
WIDTHS = (360, 1280)
HEIGHT = 800
TIMEOUT = 30_000  # ms for a page; sending renders a PDF first

# Settings of the developer's shell that must not reach the scratch instance (above all
# DATABASE_URL, or `rathaus setup` would migrate their database).
INHERITED_CONFIG = ("RATHAUS_", "DATABASE_", "SECRET_KEY", "ALLOWED_HOSTS",
                    "DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY")

# The demo people (src/rathaus/demo/data.py) who walk the journey.
PEOPLE = {
    "citizen": "bettina.beispiel@example.org",
    "ordnungsamt": "otto.normalverbraucher@leichlingen.example",
    "steueramt": "max.mustermann@leichlingen.example",
    "teamlead": "erika.mustermann@leichlingen.example",  # Steueramt lead; Bürgerbüro
    "registratur": "registratur@leichlingen.example",  # the records manager
    "admin": "admin@leichlingen.example",
    "gruen": "lieschen.mueller@leichlingen.example",  # inspects trees and playgrounds
}
CITIZEN_JOURNEY, CLERK_JOURNEY = "Bürgerin", "Verwaltung"


# --- what a step does ----------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    person: str  # a key of PEOPLE
    name: str  # file name of the screenshots ("" = no screenshot, only the action)
    title: str  # the caption in index.html
    do: Callable[[Page, dict], None]  # from the page the person is on to this one


def go(path: str):
    def action(page, state):
        page.goto(path.format(**state))
    return action


def click(role: str, name, *, where="main"):
    """Click a link or button and wait for the page it leads to."""
    def action(page, state):
        with page.expect_navigation(timeout=TIMEOUT):
            page.locator(where).get_by_role(role, name=name).first.click()
    return action


def steps(*actions):
    def action(page, state):
        for one in actions:
            one(page, state)
    return action


def fill(label, value: str):
    def action(page, state):
        page.locator("main").get_by_label(label).fill(value.format(**state))
    return action


def choose(group, option):
    """Tick a radio button of the group whose legend matches `group`."""
    def action(page, state):
        page.locator("main").get_by_role("group", name=group).get_by_label(option).check()
    return action


def log_in(person: str, *, office: bool):
    def action(page, state):
        email, password, secret = state["people"][person]
        main = page.locator("main")
        main.get_by_label("E-Mail-Adresse").fill(email)
        main.get_by_label("Passwort").fill(password)
        if office:
            main.get_by_label("Sicherheitscode").fill(totp(secret))
        with page.expect_navigation(timeout=TIMEOUT):
            main.get_by_role("button", name="Anmelden").click()
    return action


def remember_case(page, state):
    """The case just sent: its Aktenzeichen (the clerks open it by that) and its page."""
    subline = page.locator("main .kern-hgroup .kern-subline").inner_text()
    state["reference"] = re.search(r"\d[\d.]*-\d{4}-\d+", subline).group(0)
    state["case_url"] = page.url.split("?")[0]


def upload(label, filename: str):
    def action(page, state):
        page.locator("main").get_by_label(label).set_input_files(
            {"name": filename, "mimeType": "application/pdf", "buffer": sample_pdf()})
    return action


def wait_for_mail(subject: str):
    """The worker delivers the notice after the decision; reload the mailbox until it
    is there."""
    def action(page, state):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            page.goto("/konto/postfach/")
            if page.locator("main").get_by_text(re.compile(subject)).count():
                return
            time.sleep(1)
        raise RuntimeError(f"no message {subject!r} in the mailbox after 120 s")
    return action


def open_case_in_basket(page, state):
    with page.expect_navigation(timeout=TIMEOUT):
        page.locator("main").get_by_role("link", name=state["reference"]).click()


def switch_department(name: str):
    def action(page, state):
        page.locator("main").get_by_label("Abteilung").select_option(label=name)
        with page.expect_navigation(timeout=TIMEOUT):
            page.locator("main").get_by_role("button", name="Wechseln").click()
    return action


def see(text):
    def action(page, state):
        expect(page.locator("main")).to_contain_text(text)
    return action


# --- the journey ---------------------------------------------------------------------

NEXT = "Speichern und weiter"
TAKEN_IN = (date.today() - timedelta(days=10)).strftime("%d.%m.%Y")
GIVEN_UP = date.today().strftime("%d.%m.%Y")

JOURNEY = [
    # The citizen finds the service and applies.
    Step("citizen", "startseite", "Startseite", go("/")),
    Step("citizen", "leistung", "Leistungsseite „Hund anmelden“",
         click("link", "Hund anmelden")),
    Step("citizen", "leichte-sprache", "Leichte Sprache: das Portal",
         click("link", "Leichte Sprache", where="header")),
    Step("citizen", "leichte-sprache-hund", "Leichte Sprache: Hund anmelden",
         click("link", "Hund anmelden")),
    Step("citizen", "anmeldung", "Anmeldung zum Servicekonto",
         steps(go("/leistungen/hundeanmeldung/"), click("link", "Anmelden und Antrag stellen"))),
    Step("citizen", "leistung-angemeldet", "Leistungsseite, angemeldet",
         log_in("citizen", office=False)),
    Step("citizen", "schritt-1", "Schritt 1: Halterin oder Halter (vorausgefüllt)",
         click("button", "Antrag starten")),
    Step("citizen", "schritt-2", "Schritt 2: Ihr Hund",
         steps(choose(re.compile("Wie viele Hunde"), "Nur dieser Hund"),
               click("button", NEXT))),
    Step("citizen", "schritt-2-fehler", "Schritt 2 leer abgeschickt: Fehlermeldungen",
         click("button", NEXT)),
    Step("citizen", "schritt-3", "Schritt 3: Angaben nach dem Landeshundegesetz",
         steps(fill("Name des Hundes", "Bello"),
               lambda page, state: page.locator("main").get_by_label(
                   "Rasse", exact=True).select_option(label="Labrador Retriever"),
               choose("Geschlecht", "Rüde"),
               fill("Geburtsdatum des Hundes", "01.06.2022"), fill("Farbe", "schwarz"),
               fill("Nummer des Mikrochips", "276098100123456"),
               fill("Seit wann lebt der Hund bei Ihnen?", TAKEN_IN),
               click("button", NEXT),
               choose(re.compile("mindestens 40 cm"), "Ja"))),
    Step("citizen", "schritt-4", "Schritt 4: Zahlung der Hundesteuer",
         steps(upload("Nachweis der Sachkunde", "sachkunde.pdf"),
               upload("Nachweis der Haftpflichtversicherung", "haftpflicht.pdf"),
               click("button", NEXT), choose(re.compile("Wie möchten Sie"), "Per Überweisung"))),
    Step("citizen", "zusammenfassung", "Prüfen Sie Ihre Antworten", click("button", NEXT)),
    Step("citizen", "eingang", "Antrag eingegangen (Vorgangsseite mit Aktenzeichen)",
         steps(click("button", "Antrag absenden"), remember_case)),
    Step("citizen", "meine-antraege", "Mein Konto mit „Meine Anträge“", go("/konto/")),
    Step("citizen", "vorgang", "Vorgangsseite", go("{case_url}")),

    # The Ordnungsamt checks the large dog, the Steueramt proposes, the lead confirms.
    Step("ordnungsamt", "verwaltung-anmeldung", "Anmeldung für Beschäftigte",
         go("/verwaltung/anmelden/")),
    Step("ordnungsamt", "arbeitskorb", "Arbeitskorb des Ordnungsamts",
         log_in("ordnungsamt", office=True)),
    Step("ordnungsamt", "vorgang-ordnungsamt", "Vorgang im Ordnungsamt", open_case_in_basket),
    Step("ordnungsamt", "aufgabe-erledigt", "Aufgabe des Ordnungsamts erledigt",
         steps(fill(re.compile("Ergebnis Ihrer Prüfung"), "Sachkunde und Versicherung geprüft."),
               click("button", "Meine Aufgabe als erledigt markieren"))),
    Step("steueramt", "", "", steps(go("/verwaltung/anmelden/"),
                                    log_in("steueramt", office=True))),
    Step("steueramt", "arbeitskorb-steueramt", "Arbeitskorb des Steueramts", go("/verwaltung/")),
    Step("steueramt", "vorgang-steueramt", "Vorgang im Steueramt", open_case_in_basket),
    Step("steueramt", "vorschlag", "Entscheidung vorgeschlagen (Genehmigen)",
         click("button", "Genehmigen")),
    Step("teamlead", "", "", steps(go("/verwaltung/anmelden/"),
                                   log_in("teamlead", office=True),
                                   switch_department("Steueramt"))),
    Step("teamlead", "vorgang-bestaetigen", "Vorgang zur Bestätigung (vier Augen)",
         open_case_in_basket),
    Step("teamlead", "bestaetigt", "Entscheidung bestätigt",
         click("button", "Entscheidung bestätigen")),
    Step("teamlead", "fehlgeschlagen", "Fehlgeschlagene Hintergrundarbeiten",
         go("/verwaltung/hintergrund/")),
    # Erika also works in the Bürgerbüro, which keeps the resident register.
    Step("teamlead", "melderegister", "Melderegister: Suche", go("/verwaltung/melderegister/")),
    Step("teamlead", "melderegister-treffer", "Melderegister: Personen mit „M…“",
         steps(fill("Familienname", "M"), click("button", "Suchen"))),
    Step("teamlead", "melderegister-person", "Melderegister: Eintrag einer Person",
         click("link", re.compile(","), where="main tbody")),

    # The citizen receives the notice, looks at her account and deregisters the dog
    # (Bello's: the demo gave her a dog with its notice before).
    Step("citizen", "postfach", "Postfach mit dem Steuerbescheid",
         wait_for_mail("Steuerbescheid .* Bello")),
    Step("citizen", "bescheid", "Nachricht mit dem Steuerbescheid",
         click("link", re.compile("Steuerbescheid .* Bello"))),
    Step("citizen", "vorgang-entschieden", "Vorgangsseite nach der Entscheidung",
         go("{case_url}")),
    Step("citizen", "konto", "Mein Konto mit dem Hund", go("/konto/")),
    Step("citizen", "meine-daten", "Meine Daten", go("/konto/daten/")),
    Step("citizen", "zwei-faktor", "Zwei-Faktor-Anmeldung", go("/konto/zwei-faktor/")),
    Step("citizen", "zugriffe", "Wer hat meine Daten angesehen?", go("/konto/zugriffe/")),
    Step("citizen", "abmelden", "Hund abmelden",
         steps(go("/konto/"), click("link", re.compile("^Abmelden Bello")))),
    Step("citizen", "abmelden-fehler", "Hund abmelden ohne Datum: Fehlermeldung",
         click("button", "Weiter")),
    Step("citizen", "abmelden-pruefen", "Abmeldung: Prüfen Sie Ihre Angaben",
         steps(fill(re.compile("Seit wann ist der Hund"), GIVEN_UP),
               choose(re.compile("Warum ist der Hund"), "Der Hund ist gestorben"),
               click("button", "Weiter"))),
    Step("citizen", "abgemeldet", "Hund abgemeldet: wie es weitergeht",
         click("button", "Abmeldung absenden")),
    Step("citizen", "postfach-aenderung", "Postfach mit dem Änderungsbescheid",
         wait_for_mail("Änderungsbescheid")),
    Step("citizen", "auskunft", "Meine Daten: Auskunft nach Art. 15 DSGVO",
         go("/konto/meine-daten/")),
    Step("citizen", "auskunft-angefordert", "Auskunft angefordert",
         click("button", re.compile("anfordern"))),

    # The eAkte: the Registratur's file plan, search, a file, incoming mail, disposal.
    Step("registratur", "", "", steps(go("/verwaltung/anmelden/"),
                                      log_in("registratur", office=True))),
    Step("registratur", "aktenplan", "Aktenplan", go("/verwaltung/akten/")),
    Step("registratur", "aktensuche", "Volltextsuche in den Akten: „Hund“",
         go("/verwaltung/akten/suche/?q=Hund")),
    Step("registratur", "akte", "Eine Akte: Dokumente, Versionen, Vermerke",
         click("link", re.compile("."), where="main .files-search__results")),
    Step("registratur", "posteingang", "Posteingang", go("/verwaltung/posteingang/")),
    Step("registratur", "aussonderung", "Aussonderung: Akten, deren Aufbewahrung endete",
         go("/verwaltung/aussonderung/")),
    Step("registratur", "integritaet", "Integritätsprüfungen",
         go("/verwaltung/akten/integritaet/")),
    # The cadastres: the public maps and lists, a damage report, the Grünflächen's pages
    # and the inspector's field app.
    Step("citizen", "baeume", "Bäume: Karte und Liste", go("/baeume/")),
    Step("citizen", "spielplaetze", "Spielplätze: Karte und Liste", go("/spielplaetze/")),
    Step("citizen", "spielplatz", "Ein Spielplatz mit gesperrtem Gerät",
         go("/spielplaetze/SP-04/")),
    Step("citizen", "schaden-melden", "Schaden melden",
         go("/schaden-melden/?kataster=playgrounds&objekt=SP-04")),
    Step("gruen", "", "", steps(go("/verwaltung/anmelden/"), log_in("gruen", office=True))),
    Step("gruen", "kataster", "Kataster: Übersicht", go("/verwaltung/kataster/")),
    Step("gruen", "kataster-baeume", "Baumkataster: Objekte", go("/verwaltung/kataster/trees/")),
    Step("gruen", "kataster-faellig", "Fällige Kontrollen und Plan",
         go("/verwaltung/kataster/trees/faellig/")),
    Step("gruen", "kataster-auftraege", "Arbeitsaufträge", go("/verwaltung/kataster/auftraege/")),
    Step("gruen", "kontrolle-route", "Kontrolle: die Route", go("/verwaltung/kontrolle/")),
    Step("gruen", "kontrolle-formular", "Kontrolle erfassen",
         click("link", re.compile("Kontrolle erfassen"))),
    Step("admin", "", "", steps(go("/verwaltung/anmelden/"), log_in("admin", office=True))),
    Step("admin", "protokoll", "Protokoll (Audit-Log)", go("/verwaltung/protokoll/")),
]


# --- the scratch instance ------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def instance_env(var_dir: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_CONFIG)}
    return env | {"RATHAUS_VAR_DIR": str(var_dir), "RATHAUS_MODE": "development",
                  "RATHAUS_RATE_LIMITS_ENABLED": "false", "RATHAUS_LOG_LEVEL": "WARNING",
                  "RATHAUS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}


def set_up(env: dict, var_dir: Path) -> None:
    print("rathaus setup (migrations, demo) …", flush=True)
    done = subprocess.run([sys.executable, "-m", "rathaus", "setup"], env=env, cwd=CHECKOUT,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        raise RuntimeError(f"rathaus setup failed:\n{(done.stdout + done.stderr)[-3000:]}")


def serve(env: dict, var_dir: Path, base: str) -> subprocess.Popen:
    log = open(var_dir / "serve.log", "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen([sys.executable, "-m", "rathaus", "serve"], env=env,
                              cwd=CHECKOUT, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"rathaus serve exited:\n{(var_dir / 'serve.log').read_text()}")
        try:
            # Our own instance on loopback, http only.
            urllib.request.urlopen(base + "/healthz", timeout=5).read()  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("rathaus serve did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the instance's process group (web server and worker), SIGKILL later."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def demo_people(var_dir: Path) -> dict:
    """person -> (e-mail, password, TOTP secret or None), from demo-credentials.txt."""
    text = (var_dir / "demo-credentials.txt").read_text()
    found = {}
    for person, email in PEOPLE.items():
        match = re.search(re.escape(email) + r"\s+Passwort (\S+)(?:\s+TOTP-Schlüssel (\S+))?",
                          text)
        if not match:
            raise RuntimeError(f"{email} is not in the demo credentials")
        found[person] = (email, match.group(1), match.group(2))
    return found


def totp(secret: str, at: float | None = None) -> str:
    """The current code of a TOTP secret (RFC 6238: SHA-1, 30 s, 6 digits)."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter),
                      hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def sample_pdf() -> bytes:
    """A small valid one-page PDF, written by hand (no dependency needed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


# --- taking the screenshots ----------------------------------------------------------

def shoot(page: Page, folder: Path, number: int, step: Step) -> list[str]:
    files = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        name = f"{number:02d}-{step.name}-{width}.png"
        page.screenshot(path=folder / name, full_page=True)
        files.append(name)
    return files


def walk(base: str, people: dict, folder: Path) -> tuple[list, str | None]:
    """Runs JOURNEY; returns the screenshots taken [(step, files)] and the error, if any."""
    taken, error = [], None
    state = {"people": people}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages: dict[str, Page] = {}
        number = 0
        for step in JOURNEY:
            if step.person not in pages:
                context = browser.new_context(
                    base_url=base, locale="de-DE", color_scheme="light",
                    viewport={"width": WIDTHS[-1], "height": HEIGHT})
                context.set_default_timeout(TIMEOUT)
                pages[step.person] = context.new_page()
            page = pages[step.person]
            try:
                page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
                step.do(page, state)
                if step.name:
                    number += 1
                    taken.append((step, shoot(page, folder, number, step)))
                    print(f"  {number:02d} {step.title}", flush=True)
            except Exception as exc:  # noqa: BLE001 — reported with the step's name
                error = f"step {step.name or '(' + step.person + ')'} ({step.title}): {exc}"
                page.screenshot(path=folder / "failed.png", full_page=True)
                break
        browser.close()
    return taken, error


def write_index(folder: Path, taken: list, error: str | None) -> Path:
    clerks = {"ordnungsamt", "steueramt", "teamlead", "registratur", "admin", "gruen"}
    parts = [
        "<!DOCTYPE html>", '<html lang="de">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Rathaus – Bildschirmfotos der Hundeanmeldung</title>",
        "<style>body{font-family:sans-serif;margin:2rem;max-width:90rem}"
        "figure{margin:0 0 3rem}figcaption{font-weight:bold;margin-bottom:.5rem}"
        ".shots{display:flex;gap:1.5rem;align-items:flex-start;flex-wrap:wrap}"
        ".shots img{border:1px solid #888;max-width:100%;height:auto}"
        ".w360 img{width:180px}.w1280 img{width:640px}</style>",
        "</head>", "<body>", "<h1>Hundeanmeldung: jede Seite bei 360 und 1280 px</h1>",
        f"<p>Aufgenommen am {date.today():%d.%m.%Y} mit <code>make screens</code> "
        "(scripts/screens.py) aus einer frischen Demo-Instanz. Ein Klick öffnet das Bild "
        "in voller Größe.</p>",
    ]
    if error:
        parts.append(f'<p role="alert"><strong>Abgebrochen:</strong> {html.escape(error)} '
                     '(<a href="failed.png">Seite beim Abbruch</a>)</p>')
    for journey, in_journey in ((CITIZEN_JOURNEY, lambda s: s.person not in clerks),
                                (CLERK_JOURNEY, lambda s: s.person in clerks)):
        parts.append(f"<h2>{journey}</h2>")
        for step, files in taken:
            if not in_journey(step):
                continue
            parts.append(f"<figure><figcaption>{html.escape(step.title)} "
                         f"<code>{html.escape(files[0].rsplit('-', 1)[0])}</code></figcaption>"
                         '<div class="shots">')
            for width, name in zip(WIDTHS, files, strict=True):
                alt = html.escape(f"{step.title}, {width} px breit")
                parts.append(f'<a class="w{width}" href="{name}"><img src="{name}" '
                             f'alt="{alt}" loading="lazy"></a>')
            parts.append("</div></figure>")
    parts += ["</body>", "</html>"]
    index = folder / "index.html"
    index.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return index


def main(argv: list[str]) -> int:
    folder = Path(argv[0]).resolve() if argv else DEFAULT_FOLDER
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (make browser installs it).", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="rathaus-screens-") as scratch:
        var_dir = Path(scratch)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = instance_env(var_dir, port)
        set_up(env, var_dir)
        server = serve(env, var_dir, base)
        try:
            print(f"Demo instance on {base}; screenshots into {folder}", flush=True)
            taken, error = walk(base, demo_people(var_dir), folder)
        finally:
            stop(server)
    index = write_index(folder, taken, error)
    print(f"{len(taken)} pages, {len(taken) * len(WIDTHS)} screenshots: {index}")
    if error:
        print(f"Stopped at {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
