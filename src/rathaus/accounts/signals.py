"""Logins and password changes belong in the audit trail like any other change."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from rathaus.audit.services import record
from rathaus.authorities.tenancy import active_authority_or_none


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if active_authority_or_none() is not None:
        record("account.logged_in", actor=user, target=user, data={"kind": user.kind})
