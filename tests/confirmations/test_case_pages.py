"""What the clerk and the applicant read about the landlord's confirmation on their
case pages."""

import re

import pytest

from rathaus.confirmations import services
from tests.factories import citizen_logged_in, office_client

from .conftest import LINK, apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(moving_town, in_town, citizen, mailoutbox):
    case = apply(citizen, landlord=LINK)
    mail = next(m for m in mailoutbox if m.to == ["hausherr@example.org"])
    return case, re.search(r"/bestaetigung/([\w-]{40,})/", mail.body).group(1)


def test_the_clerk_sees_the_state_and_the_landlords_answers(requested, clerk):
    case, token = requested
    client = office_client(*clerk)
    html = client.get(f"/verwaltung/vorgaenge/{case.pk}/", HTTP_ACCEPT_LANGUAGE="de"
                      ).content.decode()
    assert 'id="third-party-confirmation"' in html
    assert "Hans Hausherr" in html and "hausherr@example.org" in html and "Angefragt" in html
    services.confirm(token=token, party_answers={"party_street": "Am Hang 3"})
    html = client.get(f"/verwaltung/vorgaenge/{case.pk}/", HTTP_ACCEPT_LANGUAGE="de"
                      ).content.decode()
    assert "Bestätigt" in html and "Am Hang 3" in html


def test_the_applicant_reads_one_sentence_on_the_case_page(requested, citizen):
    case, token = requested
    client = citizen_logged_in(citizen)
    html = client.get(f"/vorgaenge/{case.pk}/", HTTP_ACCEPT_LANGUAGE="de"
                      ).content.decode()
    assert "per E-Mail bei Hans Hausherr angefragt" in html
    services.decline(token=token)
    html = client.get(f"/vorgaenge/{case.pk}/", HTTP_ACCEPT_LANGUAGE="de"
                      ).content.decode()
    assert "Hans Hausherr hat am" in html and "abgelehnt" in html
