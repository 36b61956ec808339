"""Spent account tokens are deleted by the hourly housekeeping; live ones stay."""

import datetime

from django.utils import timezone

from rathaus.accounts.housekeeping import delete_spent_tokens
from rathaus.accounts.models import AccountToken
from rathaus.accounts.tokens import InvalidToken, issue_token, redeem_token
from tests.factories import make_citizen

PURPOSE = AccountToken.Purpose.EMAIL_VERIFICATION


def test_used_and_expired_tokens_are_deleted_and_live_ones_kept(db):
    citizen = make_citizen()
    used = issue_token(citizen, purpose=PURPOSE, max_age=3600)
    redeem_token(used, purpose=PURPOSE)
    expired = issue_token(citizen, purpose=PURPOSE, max_age=3600)
    AccountToken.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    live = issue_token(citizen, purpose=PURPOSE, max_age=3600)

    assert delete_spent_tokens() == 2
    assert AccountToken.objects.count() == 1
    assert redeem_token(live, purpose=PURPOSE) == citizen
    for spent in (used, expired):
        try:
            redeem_token(spent, purpose=PURPOSE)
        except InvalidToken:
            continue
        raise AssertionError("a deleted token opened the account")
