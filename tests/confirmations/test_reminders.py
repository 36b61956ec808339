"""The housekeeping reminds an unanswered landlord once, after the service's seven days,
and lets a request expire after fourteen."""

import datetime
import re

import pytest
from django.utils import timezone

from rathaus.background.housekeeping import tidy_up
from rathaus.confirmations import services
from rathaus.confirmations.housekeeping import expire_confirmations, send_reminders
from rathaus.confirmations.models import Confirmation

from .conftest import LINK, apply

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def to_landlord(mailoutbox):
    return [m for m in mailoutbox if m.to == ["hausherr@example.org"]]


@pytest.fixture
def case(moving_town, in_town, citizen):
    return apply(citizen, landlord=LINK)


def test_no_reminder_before_seven_days(case, mailoutbox):
    assert send_reminders(now=timezone.now() + 6 * DAY) == 0
    assert len(to_landlord(mailoutbox)) == 1


def test_one_reminder_after_seven_days_with_a_link_that_works(case, mailoutbox):
    later = timezone.now() + 7 * DAY + datetime.timedelta(minutes=1)
    assert send_reminders(now=later) == 1
    assert send_reminders(now=later + DAY) == 0
    first, reminder = to_landlord(mailoutbox)
    assert reminder.subject.startswith("Erinnerung")
    assert Confirmation.objects.get(case=case).reminded_at == later
    old, new = (re.search(r"/bestaetigung/([\w-]{40,})/", m.body).group(1)
                for m in (first, reminder))
    with pytest.raises(services.LinkNotValid):
        services.confirm(token=old, party_answers={})
    services.confirm(token=new, party_answers={})


def test_an_answered_request_is_not_reminded(case, mailoutbox):
    token = re.search(r"/bestaetigung/([\w-]{40,})/", to_landlord(mailoutbox)[0].body).group(1)
    services.decline(token=token)
    assert send_reminders(now=timezone.now() + 8 * DAY) == 0


def test_a_request_past_its_fourteen_days_expires(case):
    assert expire_confirmations(now=timezone.now() + 13 * DAY) == 0
    assert expire_confirmations(now=timezone.now() + 14 * DAY + DAY) == 1
    assert Confirmation.objects.get(case=case).status == Confirmation.Status.EXPIRED


def test_the_hourly_housekeeping_runs_both(case):
    done = tidy_up()
    assert done["confirmation reminders sent"] == 0 and done["confirmations expired"] == 0


def test_a_page_read_before_the_reminder_cannot_confirm_with_the_old_link(case, mailoutbox):
    """The party's page passes the request it read to `confirm`, which checks it again
    under the lock: the reminder may have replaced the link in between."""
    from rathaus.confirmations.selectors import open_request

    old = re.search(r"/bestaetigung/([\w-]{40,})/", to_landlord(mailoutbox)[0].body).group(1)
    page = open_request(token=old)
    assert send_reminders(now=timezone.now() + 7 * DAY + DAY) == 1
    with pytest.raises(services.LinkNotValid):
        services.confirm(token=old, party_answers={}, opened=page.confirmation)
    assert Confirmation.objects.get(case=case).status == Confirmation.Status.REQUESTED
