"""The members' mailbox messages (rathaus.council.announcements): to current members
with a reading room account, once per occasion."""

from datetime import date

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.council import announcements
from rathaus.council.models import MemberMessage, Membership
from rathaus.mailbox.models import Message
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_only_current_members_with_an_account_are_told_once(council_world):
    w = council_world
    with authority_context(w.authority):
        kurt_account = make_citizen("kurt@example.org")
        w.kurt.user = kurt_account
        w.kurt.save()
        Membership.objects.filter(person=w.kurt, organization=w.committee).update(
            end_date=date(2025, 12, 31))
        assert announcements.members(w.planned) == [w.clara]
        assert announcements.new_paper(w.planned, paper=w.unreleased_paper) == 1
        assert announcements.new_paper(w.planned, paper=w.unreleased_paper) == 0
        assert Message.objects.filter(recipient=w.councillor).count() == 1
        assert not Message.objects.filter(recipient=kurt_account).exists()
        message = MemberMessage.objects.get()
        assert message.kind == MemberMessage.Kind.NEW_PAPER and message.message_id
