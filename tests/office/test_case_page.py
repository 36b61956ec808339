"""The office's case page: the request, the proposal and the confirmation in sections of
their own, the steps each person is offered, what the office says after each step, the
history in words, and a case that belongs to another of the clerk's departments."""

import re
import uuid
from dataclasses import replace

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case, Task
from rathaus.catalog import registry
from tests.factories import (
    DOG_SERVICE,
    departments_of,
    make_department,
    make_staff,
    office_client,
    send_application,
)

STEP = re.compile(r'action="/verwaltung/vorgaenge/[0-9a-f-]+/schritt/([a-z_]+)/"')


def steps_offered(page) -> set[str]:
    """The steps whose forms the page shows (each form posts to its step's URL)."""
    return set(STEP.findall(page.content.decode()))


def clerk(town, slug, email, first, last, *, also=()):
    departments = departments_of(town)
    user, device = make_staff(town, departments=[departments[slug], *also], email=email)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return office_client(user, device)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def office(dog_town):
    """The clerks of the dog town: two of the Steueramt (four eyes), one of the
    Ordnungsamt and one of the Bürgerbüro, each logged in to the office."""
    make_department(dog_town, slug="buergerbuero", name="Bürgerbüro")

    class Office:
        steuer = clerk(dog_town, "steueramt", "max@x.example", "Max", "Steuer")
        second = clerk(dog_town, "steueramt", "erika@x.example", "Erika", "Zweit")
        ordnung = clerk(dog_town, "ordnungsamt", "otto@x.example", "Otto", "Ordnung")
        buero = clerk(dog_town, "buergerbuero", "lieschen@x.example", "Lieschen", "Büro")

    return Office


@pytest.fixture
def large_dog_case(dog_town, citizen_client):
    """A large dog: the Steueramt decides, the Ordnungsamt has a task too."""
    return send_application(citizen_client, safety={"is_large": "yes"})


def url(case_id, step=""):
    return f"/verwaltung/vorgaenge/{case_id}/" + (f"schritt/{step}/" if step else "")


def status_of(town, case_id) -> str:
    with authority_context(town):
        return Case.objects.get(pk=case_id).status


# --- Steps per role ------------------------------------------------------------------------

def test_each_role_is_offered_only_its_own_steps(office, large_dog_case, dog_town):
    case_id = large_dog_case
    # Before any proposal: the deciding department asks or decides; nobody confirms.
    deciding = office.steuer.get(url(case_id))
    assert steps_offered(deciding) == {"request_information", "approve", "reject",
                                       "take_task", "note"}
    # The Ordnungsamt has its task to complete, and no decision.
    assert steps_offered(office.ordnung.get(url(case_id))) == {"complete_task", "take_task",
                                                               "note"}
    # The Bürgerbüro has no task on the case: it cannot open it at all.
    assert office.buero.get(url(case_id)).status_code == 404

    office.ordnung.post(url(case_id, "complete_task"), {"text": "Geprüft."})
    assert steps_offered(office.ordnung.get(url(case_id))) == {"note"}
    office.steuer.post(url(case_id, "approve"))
    assert status_of(dog_town, case_id) == "awaiting_confirmation"

    # The proposer: no confirm button, only withdrawing the proposal.
    proposer = office.steuer.get(url(case_id))
    assert steps_offered(proposer) == {"send_back", "take_task", "note"}
    assert "Meinen Vorschlag zurücknehmen" in proposer.text
    assert "Sie können Ihren eigenen Vorschlag nicht bestätigen" in proposer.text

    # The second clerk: confirm or send back, and no "Warum?" field anywhere.
    confirmer = office.second.get(url(case_id))
    assert steps_offered(confirmer) == {"confirm", "send_back", "take_task", "note"}
    assert "Warum?" not in confirmer.text
    assert "Was soll geändert werden? (intern" in confirmer.text
    assert "Grund für die Ablehnung" not in confirmer.text

    office.second.post(url(case_id, "confirm"))
    assert status_of(dog_town, case_id) == "approved"
    # Decided: nothing left to do but notes, for anyone.
    for client in (office.steuer, office.second, office.ordnung):
        assert steps_offered(client.get(url(case_id))) == {"note"}


def test_request_proposal_and_confirmation_are_separate_sections(office, large_dog_case):
    case_id = large_dog_case
    office.ordnung.post(url(case_id, "complete_task"))
    page = office.steuer.get(url(case_id)).text
    sections = re.findall(r'<section id="([a-z-]+)"', page)
    assert sections[:2] == ["request", "documents"]
    assert "decision" in sections and "confirmation" not in sections
    decision = page.split('<section id="decision"')[1].split("</section>")[0]
    assert "Entscheidung vorschlagen" in decision
    assert "/schritt/approve/" in decision and "/schritt/reject/" in decision
    assert "Grund für die Ablehnung (sichtbar für die Bürgerin oder den Bürger)" in decision
    request = page.split('<section id="request"')[1].split("</section>")[0]
    assert "Bello" in request and "/schritt/" not in request

    office.steuer.post(url(case_id, "reject"), {"text": "Der Hund ist schon angemeldet."})
    page = office.second.get(url(case_id)).text
    sections = re.findall(r'<section id="([a-z-]+)"', page)
    assert "confirmation" in sections and "decision" not in sections
    confirmation = page.split('<section id="confirmation"')[1].split("</section>")[0]
    assert "Ablehnung" in confirmation and "Max Steuer" in confirmation
    assert "Der Hund ist schon angemeldet." in confirmation
    assert "/schritt/confirm/" in confirmation and "/schritt/send_back/" in confirmation


def test_without_four_eyes_the_clerk_decides_at_once(office, large_dog_case, monkeypatch):
    plain = replace(registry.definition(DOG_SERVICE), four_eyes=False)
    monkeypatch.setitem(registry._definitions, DOG_SERVICE, plain)
    page = office.steuer.get(url(large_dog_case))
    assert steps_offered(page) == {"request_information", "approve", "reject", "take_task",
                                   "note"}
    assert "Entscheiden" in page.text and "Entscheidung vorschlagen" not in page.text


# --- What the office says after each step ------------------------------------------------

def test_every_step_says_what_happened(office, large_dog_case, dog_town):
    case_id = large_dog_case
    said = {}

    def step(client, name, text=""):
        response = client.post(url(case_id, name), {"text": text}, follow=True)
        said[name] = messages_of(response)
        return said[name]

    assert step(office.steuer, "take_task") == [
        "Sie bearbeiten diese Aufgabe jetzt: Sie steht in Ihrem Arbeitskorb unter "
        "„Mir zugewiesen“."]
    assert step(office.steuer, "give_back_task")[0].startswith("Aufgabe zurückgegeben")
    assert step(office.steuer, "note", "Rückruf vereinbart.") == [
        "Interne Notiz zum Verlauf hinzugefügt."]
    assert step(office.steuer, "request_information", "Bitte Versicherung nachreichen.") == [
        "Rückfrage in das Postfach der Bürgerin oder des Bürgers gesendet. Der Vorgang "
        "wartet auf die Antwort."]
    with authority_context(dog_town):
        Case.objects.filter(pk=case_id).update(status="in_review")
    assert step(office.ordnung, "complete_task", "Sachkunde geprüft.") == [
        "Aufgabe erledigt: Meldung nach dem Landeshundegesetz prüfen."]
    assert step(office.steuer, "approve")[0].startswith(
        "Bescheid zur Bestätigung vorgelegt (Genehmigung).")
    assert step(office.second, "send_back", "Bitte Steuersatz prüfen.") == [
        "Vorschlag zurückgegeben. Der Vorgang ist wieder in Bearbeitung."]
    step(office.steuer, "approve")
    assert step(office.second, "confirm")[0].startswith(
        "Entscheidung bestätigt: Der Antrag ist genehmigt.")
    assert all("Erledigt." not in message for messages in said.values()
               for message in messages)


def test_a_missing_text_is_asked_for_by_name(office, large_dog_case):
    response = office.steuer.post(url(large_dog_case, "reject"), {"text": " "}, follow=True)
    assert messages_of(response) == [
        "Bitte geben Sie den Grund für die Ablehnung an: Die Bürgerin oder der Bürger liest "
        "ihn im Bescheid."]


# --- Other departments ---------------------------------------------------------------------

def test_approving_before_another_department_is_done_names_that_department(
        office, large_dog_case, dog_town):
    response = office.steuer.post(url(large_dog_case, "approve"), follow=True)
    assert messages_of(response) == [
        "Noch nicht möglich: Erst muss die Abteilung Ordnungsamt ihre Aufgabe erledigen "
        "(Ordnungsamt: Meldung nach dem Landeshundegesetz prüfen)."]
    assert status_of(dog_town, large_dog_case) == "submitted"


def test_the_deciding_department_follows_the_other_departments_tasks(
        office, large_dog_case):
    page = office.steuer.get(url(large_dog_case)).text
    tasks = page.split('<section id="tasks"')[1].split("</section>")[0]
    assert "Ordnungsamt: Meldung nach dem Landeshundegesetz prüfen" in tasks
    assert "Offen" in tasks and "fällig" in tasks
    # The approve card says so before anyone tries.
    decision = page.split('<section id="decision"')[1].split("</section>")[0]
    assert "Die Abteilung Ordnungsamt hat ihre Aufgabe" in decision

    office.ordnung.post(url(large_dog_case, "take_task"))
    tasks = office.steuer.get(url(large_dog_case)).text.split('<section id="tasks"')[1]
    assert "zugewiesen an Otto Ordnung" in tasks.split("</section>")[0]

    office.ordnung.post(url(large_dog_case, "complete_task"), {"text": "Alles da."})
    page = office.steuer.get(url(large_dog_case)).text
    tasks = page.split('<section id="tasks"')[1].split("</section>")[0]
    assert "Erledigt" in tasks and "von Otto Ordnung" in tasks
    assert "Die Abteilung Ordnungsamt hat ihre Aufgabe" not in page
    # The Ordnungsamt sees its own task, not a list of the others'.
    own = office.ordnung.get(url(large_dog_case)).text
    assert 'id="tasks"' not in own and "Ihre Aufgabe: Meldung nach dem" in own


# --- History in words -----------------------------------------------------------------------

def test_history_says_what_happened_to_staff_and_to_the_citizen(
        office, large_dog_case, citizen_client):
    case_id = large_dog_case
    office.steuer.post(url(case_id, "request_information"), {"text": "Versicherung fehlt."})
    citizen_client.post(f"/vorgaenge/{case_id}/", {"text": "Liegt bei."})
    office.ordnung.post(url(case_id, "complete_task"), {"text": "Geprüft."})
    office.steuer.post(url(case_id, "approve"))
    office.second.post(url(case_id, "send_back"), {"text": "Bitte prüfen."})
    office.steuer.post(url(case_id, "approve"))
    office.second.post(url(case_id, "confirm"))

    staff = office.steuer.get(url(case_id)).text
    history = staff.split('<section id="history"')[1]
    for line in ("Antrag eingegangen",
                 "Angaben angefordert von Max Steuer",
                 "Angaben nachgereicht von Bettina Beispiel",
                 "Aufgabe erledigt von Otto Ordnung",
                 "Genehmigung vorgeschlagen von Max Steuer",
                 "Vorschlag zurückgegeben von Erika Zweit",
                 "Genehmigung bestätigt von Erika Zweit",
                 "Bescheid in das Postfach der Bürgerin oder des Bürgers zugestellt: "
                 "Steuerbescheid Hundesteuer"):
        assert line in history, line
    assert "Status geändert" not in staff
    # The notice went out after the decision was confirmed, and the history says so.
    assert history.index("Genehmigung bestätigt") < history.index("Bescheid in das Postfach")

    citizen = citizen_client.get(f"/vorgaenge/{case_id}/").text
    history = citizen.split("case-history")[1]
    for line in ("Antrag eingegangen", "Wir haben Sie um Angaben gebeten: Versicherung fehlt.",
                 "Sie haben Angaben nachgereicht: Liegt bei.", "Antrag genehmigt",
                 "Bescheid in Ihr Postfach zugestellt: Steuerbescheid Hundesteuer"):
        assert line in history, line
    for internal in ("Status geändert", "vorgeschlagen", "zurückgegeben", "Geprüft.",
                     "Max Steuer"):
        assert internal not in history, internal


def test_a_rejection_reads_as_one_to_the_citizen(office, citizen_client, dog_town):
    case_id = send_application(citizen_client)
    office.steuer.post(url(case_id, "reject"), {"text": "Hund bereits angemeldet."})
    office.second.post(url(case_id, "confirm"))
    staff = office.steuer.get(url(case_id)).text
    assert "Ablehnung vorgeschlagen von Max Steuer" in staff
    assert "Ablehnung bestätigt von Erika Zweit" in staff
    citizen = citizen_client.get(f"/vorgaenge/{case_id}/").text
    assert "Antrag abgelehnt: Hund bereits angemeldet." in citizen
    assert "Bescheid in Ihr Postfach zugestellt: Ablehnungsbescheid" in citizen


def test_staff_read_staff_words_for_the_status(office, large_dog_case, citizen_client):
    office.steuer.post(url(large_dog_case, "request_information"), {"text": "Was fehlt."})
    staff = office.steuer.get(url(large_dog_case)).text
    assert "Wartet auf Angaben der Bürgerin oder des Bürgers" in staff
    assert "Wartet auf Ihre Angaben" not in staff
    basket = office.steuer.get("/verwaltung/").text
    assert "Wartet auf Angaben der Bürgerin oder des Bürgers" in basket
    assert "Wartet auf Ihre Angaben" in citizen_client.get(f"/vorgaenge/{large_dog_case}/").text


# --- A case of another department ---------------------------------------------------------

def test_a_case_of_another_of_my_departments_offers_the_switch(dog_town, large_dog_case):
    buero = make_department(dog_town, slug="buergerbuero", name="Bürgerbüro")
    # Erika works in the Bürgerbüro (chosen) and in the Ordnungsamt.
    client = clerk(dog_town, "ordnungsamt", "erika@x.example", "Erika", "Zwei", also=[buero])
    client.post("/verwaltung/abteilung/", {"department": buero.pk})

    page = client.get(url(large_dog_case))
    assert page.status_code == 200
    assert "gehört zur Abteilung Ordnungsamt" in page.text
    assert "Sie arbeiten gerade in der Abteilung Bürgerbüro" in page.text
    assert "Zur Abteilung Ordnungsamt wechseln und den Vorgang öffnen" in page.text
    assert "Bello" not in page.text  # the case itself only after the switch

    ordnungsamt = departments_of(dog_town)["ordnungsamt"]
    response = client.post("/verwaltung/abteilung/", {
        "department": ordnungsamt.pk, "next": url(large_dog_case)})
    assert response.status_code == 302 and response["Location"] == url(large_dog_case)
    opened = client.get(url(large_dog_case))
    assert opened.status_code == 200 and "Bello" in opened.text


def test_the_switch_never_leads_off_the_site(dog_town, office):
    steueramt = departments_of(dog_town)["steueramt"]
    response = office.steuer.post("/verwaltung/abteilung/", {
        "department": steueramt.pk, "next": "https://example.org/verwaltung/"})
    assert response["Location"] == "/verwaltung/"


def test_a_case_of_a_department_i_am_not_in_is_a_plain_404(office, large_dog_case):
    """The Bürgerbüro clerk learns nothing: the same answer as for no case at all."""
    missing = uuid.uuid4()
    theirs = office.buero.get(url(large_dog_case))
    nothing = office.buero.get(url(missing))
    assert theirs.status_code == nothing.status_code == 404
    # Word for word, but for the address itself (the language switch links back to it).
    assert (theirs.text.replace(str(large_dog_case), "ID")
            == nothing.text.replace(str(missing), "ID"))
    assert "Ordnungsamt" not in theirs.text and "Steueramt" not in theirs.text


# --- Taking a task on ---------------------------------------------------------------------

def test_a_clerk_takes_a_task_on_and_gives_it_back(office, large_dog_case, dog_town):
    page = office.steuer.get(url(large_dog_case)).text
    assert "noch niemand" in page and "Aufgabe übernehmen" in page
    office.steuer.post(url(large_dog_case, "take_task"))
    with authority_context(dog_town):
        task = Task.objects.get(case_id=large_dog_case, department__slug="steueramt")
        assert task.assigned_to.email == "max@x.example"
    page = office.steuer.get(url(large_dog_case)).text
    assert "Aufgabe zurückgeben" in page
    # A colleague sees who has it and may take it over.
    assert "Max Steuer" in office.second.get(url(large_dog_case)).text
    office.second.post(url(large_dog_case, "take_task"))
    # Giving back is for the one who has it.
    response = office.steuer.post(url(large_dog_case, "give_back_task"), follow=True)
    assert messages_of(response) == [
        "Die Aufgabe hat sich inzwischen geändert: Sie ist erledigt, oder jemand anderes "
        "hat sie übernommen."]
    with authority_context(dog_town):
        task.refresh_from_db()
        assert task.assigned_to.email == "erika@x.example"


def test_nobody_takes_on_a_task_of_another_department(office, large_dog_case, dog_town):
    # The Steueramt's clerk posts for the Ordnungsamt's task: his page's task is his own.
    office.steuer.post(url(large_dog_case, "take_task"))
    with authority_context(dog_town):
        order_task = Task.objects.get(case_id=large_dog_case, department__slug="ordnungsamt")
        assert order_task.assigned_to is None
    assert office.buero.post(url(large_dog_case, "take_task")).status_code == 404


def test_a_done_task_cannot_be_taken_on(office, large_dog_case, dog_town):
    office.ordnung.post(url(large_dog_case, "complete_task"))
    page = office.ordnung.get(url(large_dog_case)).text
    assert "Aufgabe übernehmen" not in page
    response = office.ordnung.post(url(large_dog_case, "take_task"), follow=True)
    assert messages_of(response)[0].startswith("Die Aufgabe hat sich inzwischen geändert")


def test_the_office_is_closed_to_anonymous_visitors(large_dog_case):
    assert Client().get(url(large_dog_case)).status_code == 302
