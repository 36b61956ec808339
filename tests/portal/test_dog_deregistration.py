"""Deregistering a dog: a question, a summary to check with "Ändern" links, one button
that confirms, and a confirmation page. The change notice is issued only after
confirming, and only once however often the button is sent."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.dogs.dog_deregistration import AlreadyDeregistered, deregister_dog
from rathaus.dogs.models import Dog
from rathaus.mailbox.models import Message
from rathaus.records.models import Document
from tests.factories import approve_in_the_office, citizen_logged_in, make_citizen, send_application


@pytest.fixture
def dog(dog_town, citizen_client):
    case_id = send_application(citizen_client)  # Bello, taken in on 14.03.2026
    approve_in_the_office(dog_town, case_id)
    with authority_context(dog_town):
        return Dog.objects.get()


def urls(dog) -> tuple[str, str, str]:
    base = f"/hunde/{dog.pk}/abmelden/"
    return base, base + "pruefen/", base + "bestaetigung/"


def notices(dog) -> list[str]:
    with authority_context(dog.authority):
        return sorted(d.title.split()[0] for d in Document.objects.filter(
            case_file=dog.case.case_file, kind="notice"))


def given_up_on(dog):
    with authority_context(dog.authority):
        return Dog.objects.get(pk=dog.pk).given_up_on


def yesterday() -> str:
    return f"{timezone.localdate() - timedelta(days=1):%d.%m.%Y}"


def test_the_question_has_no_date_filled_in(dog, citizen_client):
    question, _check, _done = urls(dog)
    page = citizen_client.get(question)
    assert page.status_code == 200
    assert page.context["form"]["given_up_on"].value() in (None, "")
    assert 'name="given_up_on"' in page.text and 'name="given_up_on" value=' not in page.text
    assert "Seit wann ist der Hund nicht mehr bei Ihnen?" in page.text
    assert "Warum ist der Hund nicht mehr bei Ihnen?" in page.text
    assert ">Weiter<" in page.text


def test_the_date_is_required_with_a_message_that_says_how(dog, citizen_client):
    question, _check, _done = urls(dog)
    page = citizen_client.post(question, {"reason": "died"})
    assert page.status_code == 200
    assert page.context["form"].errors["given_up_on"] == [
        "Geben Sie das Datum ein, an dem der Hund Sie verlassen hat, zum Beispiel 30.11.2026."]
    assert page.text.count("Geben Sie das Datum ein, an dem der Hund") == 2  # summary, field
    title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Fehler: ") and title.count("Fehler") == 1, title
    assert given_up_on(dog) is None and notices(dog) == ["Steuerbescheid"]


@pytest.mark.parametrize(("typed", "message"), [
    ("31.02.2026", "Dieses Datum gibt es nicht. Prüfen Sie Tag und Monat."),
    ("morgen", "Geben Sie das Datum mit Tag, Monat und Jahr ein, zum Beispiel 30.11.2026."),
    ("01.01.2026", "Das Datum muss zwischen dem 14.03.2026, als der Hund zu Ihnen kam, und "
                   "heute, dem {today}, liegen."),
    ("{tomorrow}", "Das Datum muss zwischen dem 14.03.2026, als der Hund zu Ihnen kam, und "
                   "heute, dem {today}, liegen."),
])
def test_a_date_that_cannot_be_gets_one_specific_message(dog, citizen_client, typed, message):
    today = timezone.localdate()
    values = {"today": f"{today:%d.%m.%Y}", "tomorrow": f"{today + timedelta(days=1):%d.%m.%Y}"}
    question, _check, _done = urls(dog)
    page = citizen_client.post(question, {"given_up_on": typed.format(**values),
                                          "reason": "died"})
    assert page.status_code == 200
    assert page.context["form"].errors["given_up_on"] == [message.format(**values)]


def test_a_reason_is_asked_for(dog, citizen_client):
    question, _check, _done = urls(dog)
    page = citizen_client.post(question, {"given_up_on": yesterday()})
    assert page.context["form"].errors["reason"] == [
        "Wählen Sie aus, warum der Hund nicht mehr bei Ihnen ist."]


def test_no_notice_before_the_citizen_confirms(dog, citizen, citizen_client):
    question, check, _done = urls(dog)
    with authority_context(dog.authority):
        messages_before = Message.objects.filter(recipient=citizen).count()
    response = citizen_client.post(question, {"given_up_on": yesterday(), "reason": "given_away"})
    assert response.status_code == 302 and response["Location"] == check
    page = citizen_client.get(check)
    assert page.status_code == 200
    assert given_up_on(dog) is None and notices(dog) == ["Steuerbescheid"]
    with authority_context(dog.authority):
        assert Message.objects.filter(recipient=citizen).count() == messages_before
    # The summary: every answer, a way back to each question, and one button.
    text = page.text
    assert "{#" not in text and "{%" not in text  # no template comment leaks out
    assert "Prüfen Sie Ihre Antworten" in text
    assert f"Bello (Labrador Retriever), Steuermarke {dog.tax_tag_number}" in text
    assert yesterday() in text and "Ich habe den Hund abgegeben oder verkauft" in text
    assert f'href="{question}#id_given_up_on"' in text
    assert f'href="{question}#id_reason_0"' in text
    assert text.count(">Ändern<") == 2
    assert f'action="{check}"' in text and "Abmeldung absenden" in text
    tax_end = page.context["tax_ends_on"]
    assert f"Die Hundesteuer endet am {tax_end:%d.%m.%Y}" in text


def test_change_leads_back_to_the_question_with_the_answers_kept(dog, citizen_client):
    question, check, _done = urls(dog)
    citizen_client.post(question, {"given_up_on": yesterday(), "reason": "moved"})
    page = citizen_client.get(question)
    assert f'value="{yesterday()}"' in page.text
    assert 'value="moved" checked' in page.text
    # A changed answer replaces the kept one.
    citizen_client.post(question, {"given_up_on": yesterday(), "reason": "died"})
    assert "Der Hund ist gestorben" in citizen_client.get(check).text


def test_confirming_deregisters_and_sending_twice_issues_one_notice(dog, citizen, citizen_client):
    question, check, done = urls(dog)
    citizen_client.post(question, {"given_up_on": yesterday(), "reason": "died"})
    first = citizen_client.post(check)
    second = citizen_client.post(check)  # a double click, or the back button and again
    assert first["Location"] == done and second["Location"] == done
    assert given_up_on(dog) == timezone.localdate() - timedelta(days=1)
    assert notices(dog) == ["Steuerbescheid", "Änderungsbescheid"]
    with authority_context(dog.authority):
        assert Message.objects.filter(recipient=citizen).count() == 2


def test_the_service_refuses_a_second_deregistration(dog, citizen):
    with authority_context(dog.authority):
        deregister_dog(dog=dog, holder=citizen, given_up_on=timezone.localdate(),
                       reason="died")
        with pytest.raises(AlreadyDeregistered):
            deregister_dog(dog=dog, holder=citizen, given_up_on=timezone.localdate(),
                           reason="died")


def test_the_confirmation_page_says_what_happens_next(dog, citizen_client, town):
    question, check, done = urls(dog)
    citizen_client.post(question, {"given_up_on": yesterday(), "reason": "died"})
    page = citizen_client.post(check, follow=True)
    assert page.request["PATH_INFO"] == done
    text = page.text
    assert "Bello ist abgemeldet" in text and "Wie es weitergeht" in text
    notice = page.context["notice"]
    assert notice.title.startswith("Änderungsbescheid Hundesteuer")
    assert f'href="{notice.message_url}"' in text
    assert f"Hundesteuermarke Nummer {dog.tax_tag_number} zurück" in text
    assert town.street in text
    # The dog is deregistered now: the question leads to the confirmation.
    assert citizen_client.get(question)["Location"] == done
    assert citizen_client.get(check)["Location"] == done
    assert "abgemeldet am" in citizen_client.get("/konto/").text


def test_the_summary_without_answers_asks_the_question(dog, citizen_client):
    question, check, done = urls(dog)
    assert citizen_client.get(check)["Location"] == question
    assert citizen_client.post(check)["Location"] == question
    assert citizen_client.get(done)["Location"] == question
    assert given_up_on(dog) is None and notices(dog) == ["Steuerbescheid"]


def test_answers_kept_in_one_session_are_not_another_sessions(dog, citizen, citizen_client):
    question, check, _done = urls(dog)
    citizen_client.post(question, {"given_up_on": yesterday(), "reason": "died"})
    other_session = citizen_logged_in(citizen)
    assert other_session.post(check)["Location"] == question
    assert given_up_on(dog) is None


def test_nobody_else_reaches_the_pages(dog, citizen_client):
    other = citizen_logged_in(make_citizen("nachbar@example.org"))
    for url in urls(dog):
        assert other.get(url).status_code == 404
        assert other.post(url, {"given_up_on": yesterday(), "reason": "died"}).status_code == 404
    for url in urls(dog):
        assert Client().get(url)["Location"].startswith("/konto/anmelden/")
    assert given_up_on(dog) is None
