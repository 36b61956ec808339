"""A town offering the Wohnsitzanmeldung, a citizen moving into Marktstraße 17 with her
husband, and the ways her landlord confirms it (built by tests/factories.py)."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    LANDLORD_BY_LINK,
    MOVING_SERVICE,
    OWNER_MOVING_IN,
    apply_for_moving_house,
    departments_of,
    make_staff,
    moving_pages,
    offer_moving_house,
)

SERVICE = MOVING_SERVICE
LINK, SELF = LANDLORD_BY_LINK, OWNER_MOVING_IN
apply, pages = apply_for_moving_house, moving_pages


@pytest.fixture
def moving_town(town):
    return offer_moving_house(town)


@pytest.fixture
def clerk(moving_town):
    """(user, TOTP device) of a clerk of the Bürgerbüro, which decides."""
    return make_staff(moving_town, departments=[departments_of(moving_town)["buergerbuero"]],
                      email="melde@leichlingen.example")


def code_answers(code: str) -> dict:
    return {"landlord_mode": "code", "landlord_code": code}


def issue_answers(**changes) -> dict:
    """The issue form's answers as JSON, as the issue page hands them to the service."""
    move_in = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    return {"landlord_name": "Hans Hausherr", "new_street": "Marktstraße",
            "new_house_number": "17", "new_postcode": "42799",
            "persons": "Bettina Beispiel\nJan Weber", "move_in_date": move_in, **changes}
