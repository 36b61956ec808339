"""The domains' parts of the copy that do not hang on the account: the resident
register, found through the citizen's approved Wohnsitzanmeldung, and only their own
entry, not those of the people who moved with them."""

import io
import json
import zipfile

import pytest

from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.actions import propose_decision
from rathaus.mailbox.services import attachment_content
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.subject_access.models import CopyRequest
from rathaus.subject_access.providers import parts_for
from rathaus.subject_access.services import request_copy
from tests.factories import (
    OWNER_MOVING_IN,
    apply_for_moving_house,
    make_citizen,
    make_staff,
    offer_moving_house,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_in(town, citizen):
    """Bettina's Wohnsitzanmeldung, with Jan moving with her, approved."""
    offer_moving_house(town)
    with authority_context(town):
        create_demo_notice_settings()
        office = Department.objects.get(slug="buergerbuero")
    clerk = make_staff(town, departments=[office], email="melde@leichlingen.example")[0]
    with authority_context(town):
        case = apply_for_moving_house(citizen, landlord=OWNER_MOVING_IN)
        propose_decision(case=case, staff=clerk, decision="approve")
    return case


def test_the_copy_holds_the_citizens_own_register_entry(moved_in, town, citizen):
    with authority_context(town):
        copy = request_copy(citizen=citizen)
        copy = CopyRequest.objects.get(pk=copy.pk)
        message = copy.delivered_message
        delivered = attachment_content(user=citizen, message_id=message.pk,
                                       attachment_id=message.attachments.get().pk)
    archive = zipfile.ZipFile(io.BytesIO(delivered.content))
    [person] = json.loads(archive.read("register/melderegister.json"))["daten"]
    assert person["vornamen"] == "Bettina"
    assert person["wohnungen"][0]["anschrift"] == "Marktstraße 17, 42799 Leichlingen"
    assert person["wohnungen"][0]["ausgezogen_am"] is None
    assert [o["art"] for o in person["widersprueche"]]
    # Jan moved with her: his entry is his, not hers.
    assert b'"Jan"' not in archive.read("register/melderegister.json")
    assert "register/melderegister.json" in archive.read("LIESMICH.txt").decode()


def test_a_citizen_without_a_registration_has_no_register_part(moved_in, town):
    neighbour = make_citizen("nachbar@example.org")
    with authority_context(town):
        assert parts_for(citizen=neighbour, case_references=[]) == []
