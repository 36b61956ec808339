"""The satisfaction check: one optional, anonymous question after a finished matter,
published per service and month without small counts, the comments for team leads."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.satisfaction.models import RatedCase, Rating
from rathaus.satisfaction.open_data import satisfaction_rows
from rathaus.satisfaction.selectors import last_twelve_months
from rathaus.satisfaction.services import AlreadyRated, rate
from tests.factories import (
    citizen_logged_in,
    departments_of,
    make_case,
    make_citizen,
    make_staff,
    office_client,
)

FORM_HEADING = "Eine Frage zum Schluss"


def _finished(case, status=Case.Status.APPROVED):
    Case.objects.filter(pk=case.pk).update(status=status, decided_at=timezone.now())
    case.refresh_from_db()
    return case


@pytest.fixture
def finished_case(dog_town, citizen):
    with authority_context(dog_town):
        return _finished(make_case(citizen, large=False))


def test_a_finished_matter_is_rated_once_and_the_answer_names_no_one(finished_case,
                                                                        citizen_client):
    page = f"/vorgaenge/{finished_case.pk}/"
    assert FORM_HEADING in citizen_client.get(page).text
    answer = citizen_client.post(f"{page}bewertung/", {"score": "4", "comment": " Gut. "})
    assert answer.status_code == 302
    after = citizen_client.get(answer["Location"]).text
    assert "Danke für Ihre Antwort" in after
    assert FORM_HEADING not in after

    rating = Rating.all_authorities.get()
    assert (rating.service_id, rating.score, rating.comment) == ("hundeanmeldung", 4, "Gut.")
    assert rating.month == timezone.localdate().replace(day=1)
    # Nothing in the rating points at the case, the citizen or the moment.
    assert {f.name for f in Rating._meta.get_fields()} == {
        "id", "authority", "service_id", "month", "score", "comment"}
    assert RatedCase.all_authorities.filter(case=finished_case).exists()

    again = citizen_client.post(f"{page}bewertung/", {"score": "1"}, follow=True)
    assert "Sie haben schon geantwortet" in again.text
    assert Rating.all_authorities.count() == 1


def test_only_the_applicant_may_rate_the_finished_matter(finished_case, dog_town, citizen):
    steueramt = departments_of(dog_town)["steueramt"]
    clerk, _device = make_staff(dog_town, departments=[steueramt])
    with authority_context(dog_town):
        for someone in (make_citizen("other@example.org"), clerk):
            with pytest.raises(NotPermitted):
                rate(user=someone, case=finished_case, score=5)
        rate(user=citizen, case=finished_case, score=5)
        with pytest.raises(AlreadyRated):
            rate(user=citizen, case=finished_case, score=1)
    assert list(Rating.all_authorities.values_list("score", flat=True)) == [5]


def test_a_matter_not_finished_is_not_asked_about(dog_town, citizen, citizen_client):
    with authority_context(dog_town):
        case = make_case(citizen, large=False)
    assert FORM_HEADING not in citizen_client.get(f"/vorgaenge/{case.pk}/").text
    answer = citizen_client.post(f"/vorgaenge/{case.pk}/bewertung/", {"score": "5"},
                                 follow=True)
    assert "sobald es erledigt ist" in answer.text
    assert not Rating.all_authorities.exists()


def test_another_citizens_matter_cannot_be_rated(finished_case, dog_town):
    other = citizen_logged_in(make_citizen("other@example.org"))
    answer = other.post(f"/vorgaenge/{finished_case.pk}/bewertung/", {"score": "1"})
    assert answer.status_code == 404
    assert not Rating.all_authorities.exists()


@pytest.mark.parametrize("data", [{}, {"score": "6"}, {"score": "fünf"},
                                  {"score": "3", "comment": "x" * 1001}])
def test_a_wrong_answer_gets_a_german_message_and_nothing_is_stored(finished_case,
                                                                   citizen_client, data):
    answer = citizen_client.post(f"/vorgaenge/{finished_case.pk}/bewertung/", data)
    assert answer.status_code == 400
    assert ("Wählen Sie, wie zufrieden Sie sind." in answer.text
            or "höchstens 1000 Zeichen" in answer.text)
    assert not Rating.all_authorities.exists()
    assert not RatedCase.all_authorities.exists()


def _ratings(authority, scores, *, service="hundeanmeldung", month=None, comment=""):
    month = month or timezone.localdate().replace(day=1)
    with authority_context(authority):
        for score in scores:
            Rating.objects.create(service_id=service, month=month, score=score,
                                  comment=comment)


def test_the_open_data_leave_out_months_with_fewer_than_three_answers():
    may, june = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)
    rows = satisfaction_rows([
        {"service_id": "hundeanmeldung", "month": may, "count": 2, "average": 4.5,
         "satisfied": 2},
        {"service_id": "hundeanmeldung", "month": june, "count": 3, "average": 11 / 3,
         "satisfied": 2},
    ])
    assert rows == [
        {"leistung": "Hund anmelden", "monat": "2026-05", "bewertungen": None,
         "durchschnitt": None, "zufrieden_prozent": None},
        {"leistung": "Hund anmelden", "monat": "2026-06", "bewertungen": 3,
         "durchschnitt": 3.7, "zufrieden_prozent": 67},
    ]


@pytest.mark.parametrize(("today", "first"), [
    (datetime.date(2026, 12, 6), datetime.date(2026, 1, 1)),
    (datetime.date(2026, 3, 1), datetime.date(2025, 4, 1)),
    (datetime.date(2026, 1, 31), datetime.date(2025, 2, 1)),
])
def test_twelve_months_are_this_month_and_the_eleven_before(dog_town, today, first):
    before = datetime.date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    _ratings(dog_town, [5, 5, 5], month=first)
    _ratings(dog_town, [1, 1, 1], month=before)
    with authority_context(dog_town):
        assert last_twelve_months(today=today).average == 5.0


def test_the_home_page_shows_the_last_twelve_months(dog_town):
    assert "Wie zufrieden" not in Client().get("/").text
    _ratings(dog_town, [5, 4, 4])
    long_ago = (timezone.localdate() - datetime.timedelta(days=400)).replace(day=1)
    _ratings(dog_town, [1, 1, 1], month=long_ago)
    cache.clear()  # anonymous visitors get the home page from a minute's cache
    page = Client().get("/").text
    assert "Wie zufrieden unsere Bürgerinnen und Bürger sind" in page
    assert "4,3 von 5 im Durchschnitt der letzten 12 Monate: 100 % von 3 Antworten" in page
    with authority_context(dog_town):
        refresh_automatic_datasets()
    cache.clear()
    assert 'href="/daten/zufriedenheit/"' in Client().get("/").text
    assert "Hund anmelden" in Client().get("/daten/zufriedenheit/").text


def test_team_leads_read_the_comments_from_three_answers_on(dog_town):
    _ratings(dog_town, [2, 3], service="hundeanmeldung", comment="Zu lange gewartet.")
    _ratings(dog_town, [5, 5, 4], service="wohnsitzanmeldung", comment="Sehr schnell!")
    steueramt = departments_of(dog_town)["steueramt"]
    lead = office_client(*make_staff(dog_town, departments=[steueramt], role="team_lead",
                                     email="lead@leichlingen.example"))
    page = lead.get("/verwaltung/zufriedenheit/")
    assert page.status_code == 200
    assert "Sehr schnell!" in page.text
    assert "Zu lange gewartet." not in page.text  # two answers only
    assert "ab 3 Antworten" in page.text
    clerk = office_client(*make_staff(dog_town, departments=[steueramt]))
    assert clerk.get("/verwaltung/zufriedenheit/").status_code == 404
