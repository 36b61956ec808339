"""A town offering the Wohnsitzanmeldung, a citizen moving into Marktstraße 17 with her
husband, and the ways her landlord confirms it."""

import datetime

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.residents.models import Dwelling
from tests.factories import make_department, make_staff

SERVICE = "wohnsitzanmeldung"


@pytest.fixture
def moving_town(town):
    """The town's Bürgerbüro offering the service, with Marktstraße in its directory."""
    make_department(town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(town):
        offer_service(definition=definition(SERVICE))
        Dwelling.objects.create(street="Marktstraße", street_key="01210", house_number="17",
                                postcode="42799", place="Leichlingen")
    return town


@pytest.fixture
def clerk(moving_town):
    from tests.factories import departments_of

    return make_staff(moving_town, departments=[departments_of(moving_town)["buergerbuero"]],
                      email="melde@leichlingen.example")


def pages(*, landlord: dict, move_in: datetime.date | None = None) -> list[dict]:
    """The five steps as a browser posts them."""
    move_in = move_in or timezone.localdate() - datetime.timedelta(days=3)
    return [
        {"first_name": "Bettina", "last_name": "Beispiel", "date_of_birth": "02.03.1985",
         "place_of_birth": "Köln", "sex": "w", "old_street": "Domstraße",
         "old_house_number": "5", "old_postcode": "50667", "old_city": "Köln"},
        {"move_kind": "into", "new_street": "Marktstraße", "new_house_number": "17",
         "new_postcode": "42799", "move_in_date": move_in.strftime("%d.%m.%Y"),
         "residence_kind": "main"},
        {"members_count": "1", "member1_given_names": "Jan", "member1_family_name": "Weber",
         "member1_date_of_birth": "09.07.1983", "member1_place_of_birth": "Solingen",
         "member1_sex": "m", "member1_relationship": "spouse", "same_old_address": "on"},
        landlord,
        {"objection_elections": "on"},
    ]


LINK = {"landlord_mode": "link", "landlord_name": "Hans Hausherr",
        "landlord_email": "hausherr@example.org"}
SELF = {"landlord_mode": "self"}


def code_answers(code: str) -> dict:
    return {"landlord_mode": "code", "landlord_code": code}


def apply(citizen, *, landlord: dict, move_in=None):
    """Fill in and send the application through the services (no HTTP, no login level:
    the service functions do not check levels). In the active authority."""
    from rathaus.cases.submission import submit_application
    from rathaus.forms.services import fill_in, start_draft

    service = definition(SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=pages(landlord=landlord, move_in=move_in))
    return submit_application(user=citizen, draft_id=draft.pk, definition=service)


ISSUE = {"landlord_name": "Hans Hausherr", "new_street": "Marktstraße",
         "new_house_number": "17", "new_postcode": "42799",
         "persons": "Bettina Beispiel\nJan Weber", "statement": "on"}


def issue_answers(**changes) -> dict:
    """The issue form's answers as JSON, as the issue page hands them to the service."""
    move_in = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    answers = {key: value for key, value in ISSUE.items() if key != "statement"}
    return {**answers, "move_in_date": move_in, **changes}
