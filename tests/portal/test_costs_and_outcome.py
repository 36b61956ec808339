"""What the citizen is told about costs before applying, and about the outcome after the
decision: the rates on the service page, the estimate on the summary, and on the case
page the decision with a link to its notice in the mailbox."""

import re

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.cases import actions
from rathaus.cases.models import Case
from rathaus.mailbox.models import Attachment
from tests.factories import (
    DOG,
    HOLDER,
    PAYMENT_TRANSFER,
    approve_in_the_office,
    make_case,
    pdf_upload,
    send_application,
    start_application,
)


def test_the_service_page_shows_the_rates_of_the_bylaw(dog_town):
    page = Client().get("/leistungen/hundeanmeldung/").text
    costs = page[page.index('id="costs-heading"'):page.index("</section>", page.index(
        'id="costs-heading"'))]
    assert "Hundesteuer pro Jahr" in costs
    for label, amount in [("Erster Hund", "96,00 €"), ("Zweiter Hund", "120,00 €"),
                          ("Jeder weitere Hund", "150,00 €"),
                          ("Erster gefährlicher Hund (§ 3 oder § 10 LHundG NRW)", "600,00 €"),
                          ("Jeder weitere gefährliche Hund", "750,00 €")]:
        assert re.search(rf">{re.escape(label)}</th>\s*<td[^>]*>{amount}</td>", costs), label
    assert "steuerfrei" in costs
    assert "Sätze der Hundesteuersatzung der Stadt Leichlingen" in costs


def test_without_a_bylaw_the_service_page_promises_no_rates(dog_service):
    page = Client().get("/leistungen/hundeanmeldung/").text
    assert 'id="costs-heading"' not in page and "€" not in page


def test_the_summary_says_what_this_application_costs(dog_town, citizen_client):
    draft_id = start_application(citizen_client)
    for number, data in enumerate([HOLDER, DOG, {"is_large": "no"}, PAYMENT_TRANSFER], 1):
        citizen_client.post(f"/antraege/{draft_id}/schritt/{number}/", data)
    page = citizen_client.get(f"/antraege/{draft_id}/pruefen/").text
    assert "{#" not in page and "{%" not in page  # no template comment leaks out
    costs = page[page.index('id="summary-costs"'):page.index('class="send-form"')]
    assert "Was es kostet" in costs
    assert "Hundesteuer pro Jahr (Erster Hund)" in costs and "96,00 €" in costs
    assert re.search(r"Für \d{4}: \d+ Monate ab 01\.04\.2026", costs), costs


def test_the_estimate_is_what_the_notice_sets(dog_town, citizen_client):
    draft_id = start_application(citizen_client)
    for number, data in enumerate([HOLDER, DOG, {"is_large": "no"}, PAYMENT_TRANSFER], 1):
        citizen_client.post(f"/antraege/{draft_id}/schritt/{number}/", data)
    summary = citizen_client.get(f"/antraege/{draft_id}/pruefen/").text
    year, promised = re.search(r"Für (\d{4}): \d+ Monate ab [\d.]+</dt>\s*<dd[^>]*>([\d.,]+ €)",
                               summary).groups()
    case_id = citizen_client.post(f"/antraege/{draft_id}/absenden/")["Location"].split("/")[2]
    approve_in_the_office(dog_town, case_id)
    page = citizen_client.get(f"/vorgaenge/{case_id}/").text
    message_url = re.search(r'href="(/konto/postfach/[0-9a-f-]+/)"', page).group(1)
    message = citizen_client.get(message_url).text.replace("\xa0", " ")
    assert f"Hundesteuer {year}: {promised}" in message


def test_before_the_decision_the_case_page_shows_no_outcome(dog_town, citizen_client):
    case_id = send_application(citizen_client)
    page = citizen_client.get(f"/vorgaenge/{case_id}/")
    assert page.context["outcome"] is None and 'id="outcome-heading"' not in page.text


def test_after_approval_the_case_page_links_to_the_notice(dog_town, citizen, citizen_client):
    case_id = send_application(citizen_client)
    approve_in_the_office(dog_town, case_id)
    page = citizen_client.get(f"/vorgaenge/{case_id}/").text
    outcome = page[page.index('id="outcome-heading"'):page.index("</section>",
                                                                 page.index('id="outcome-heading"'))]
    assert "Ihr Antrag ist genehmigt" in outcome
    assert "Der Bescheid mit allem, was Sie wissen müssen, liegt in Ihrem Postfach" in outcome
    with authority_context(dog_town):
        attachment = Attachment.objects.get(message__recipient=citizen)
    message_url = f"/konto/postfach/{attachment.message_id}/"
    download_url = f"{message_url}anhang/{attachment.pk}/"
    assert f'<a class="kern-link" href="{message_url}">Steuerbescheid Hundesteuer' in outcome
    assert f'href="{download_url}"' in outcome and "PDF-Dokument" in outcome
    assert "application/pdf" not in page
    download = citizen_client.get(download_url)
    assert download.status_code == 200 and download.getvalue().startswith(b"%PDF-")
    message = citizen_client.get(message_url).text
    assert 'data-label="Dateityp">PDF-Dokument</td>' in message
    assert "application/pdf" not in message


def test_after_rejection_the_case_page_links_to_the_rejection_notice(dog_town, people):
    from tests.factories import citizen_logged_in

    with authority_context(dog_town):
        case = make_case(people.owner)
        actions.propose_decision(case=case, staff=people.decider, decision="reject",
                                 reason="Der Hund ist bereits angemeldet.")
        actions.confirm_decision(case=Case.objects.get(pk=case.pk), staff=people.second)
    page = citizen_logged_in(people.owner).get(f"/vorgaenge/{case.pk}/").text
    assert "Ihr Antrag ist abgelehnt" in page
    assert re.search(r'href="/konto/postfach/[0-9a-f-]+/">Ablehnungsbescheid</a>', page)


def test_a_decision_whose_notice_is_still_being_made_says_so(dog_town, people, settings):
    from tests.factories import citizen_logged_in

    # The queue in the database, with no worker: the decision stands, the notice waits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    with authority_context(dog_town):
        case = make_case(people.owner, large=False)
        actions.propose_decision(case=case, staff=people.decider, decision="approve")
        actions.confirm_decision(case=Case.objects.get(pk=case.pk), staff=people.second)
    page = citizen_logged_in(people.owner).get(f"/vorgaenge/{case.pk}/").text
    assert "Ihr Antrag ist genehmigt" in page
    assert "Wir erstellen den Bescheid gerade" in page


@pytest.mark.parametrize(("count", "words"), [(1, "(1 Datei)"), (2, "(2 Dateien)")])
def test_an_answer_with_files_counts_them_in_proper_german(dog_town, people, count, words):
    from rathaus.records.uploads import check_upload

    with authority_context(dog_town):
        case = make_case(people.owner)
        actions.request_information(case=case, staff=people.decider, text="Bitte Nachweis.")
        files = [check_upload(pdf_upload(f"n{n}.pdf"), max_bytes=10_000_000)
                 for n in range(count)]
        actions.give_information(case=Case.objects.get(pk=case.pk), citizen=people.owner,
                                 text="Anbei.", files=files)
        event = case.events.filter(kind="information_given").get()
    assert event.text == f"Anbei. {words}"
