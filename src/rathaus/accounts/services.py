"""Changing accounts. Each function is one transaction with its audit entry."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.outbound_email import queue_email

from .models import CitizenProfile, StaffMembership, User
from .permissions import NotPermitted, guarded_by, may_work_in, unguarded
from .tokens import redeem_email_verification_token


@unguarded("sends to the address of the account just registered or asking again")
def send_verification_email(*, user: User, link: str, authority_name: str) -> None:
    body = render_to_string(
        "accounts/email/verify_email.txt",
        {"user": user, "link": link, "authority_name": authority_name},
    )
    queue_email(
        to=user.email, subject=gettext("Please confirm your e-mail address"), body=body
    )


def _tell_owner_of_existing_account(*, user: User, links: dict, authority_name: str) -> None:
    body = render_to_string(
        "accounts/email/already_registered.txt",
        {"user": user, "authority_name": authority_name, **links},
    )
    queue_email(
        to=user.email, subject=gettext("You already have an account"), body=body
    )


@unguarded("anyone may open a citizen account; the e-mail address is verified next")
@transaction.atomic
def register_citizen(
    *, email: str, password: str, first_name: str, last_name: str, link_for, links: dict
) -> User | None:
    """Create an unverified citizen account and send the verification link.

    `link_for(user)` builds the absolute verification URL. If the address already has an
    account (citizen or staff), nothing is created and its owner is told by e-mail, with
    the absolute `links` "login", "password_reset" and "office_login" (a citizen who has
    not confirmed the address yet gets a new confirmation link instead); the caller
    answers the same either way, so the page does not tell whether an address has an
    account.
    """
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the same work as for a new account
        if existing.is_citizen and existing.email_verified_at is None:
            # Registering again is how someone whose link expired or got lost asks for a
            # new one; the account keeps its first password.
            send_verification_email(user=existing, link=link_for(existing),
                                    authority_name=current_authority().name)
        else:
            _tell_owner_of_existing_account(
                user=existing, links=links, authority_name=current_authority().name
            )
        return None
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, kind=User.Kind.CITIZEN
    )
    CitizenProfile.objects.create(user=user)
    record("account.registered", actor=user, target=user)
    send_verification_email(user=user, link=link_for(user), authority_name=current_authority().name)
    return user


@unguarded("the single-use token is the proof: only the link's recipient has it")
@transaction.atomic
def verify_email(*, token: str) -> User:
    user = redeem_email_verification_token(token)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        record("account.email_verified", actor=user, target=user)
    return user


@unguarded("the logged-in person's own account: callers pass request.user, never someone else")
@transaction.atomic
def update_profile(*, user: User, names: dict, profile: dict) -> None:
    changed = sorted(
        [k for k, v in names.items() if getattr(user, k) != v]
        + [k for k, v in profile.items() if getattr(user.profile, k) != v]
    )
    for key, value in names.items():
        setattr(user, key, value)
    user.save(update_fields=list(names))
    for key, value in profile.items():
        setattr(user.profile, key, value)
    user.profile.save()
    # The audit log names the fields, not their values: it must not copy personal data.
    record("account.profile_changed", actor=user, target=user, data={"fields": changed})


@unguarded("the logged-in person's own account: callers pass request.user, never someone else")
def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device the citizen is setting up (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Servicekonto", confirmed=False)


class WrongPassword(Exception):
    """The current password given to confirm a change of the login protection is wrong."""


def _check_current_password(user: User, password: str) -> None:
    if not user.check_password(password):
        raise WrongPassword()


@unguarded("the logged-in person's own account: callers pass request.user, never someone else")
@transaction.atomic
def confirm_totp(*, user: User, device: TOTPDevice, code: str, password: str) -> bool:
    """Switch two-factor login on with `device`, replacing a confirmed one; the current
    password is asked again (WrongPassword) so that an open session alone cannot do it."""
    _check_current_password(user, password)
    if not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record("account.totp_enabled", actor=user, target=user)
    return True


@unguarded("the logged-in person's own account: callers pass request.user, never someone else")
@transaction.atomic
def disable_totp(*, user: User, password: str) -> None:
    """Switch two-factor login off after asking the current password again (WrongPassword).
    Staff always log in with two factors: they cannot switch it off (NotPermitted)."""
    if user.is_staff_member:
        raise NotPermitted("accounts.staff_keep_totp")
    _check_current_password(user, password)
    TOTPDevice.objects.filter(user=user).delete()
    record("account.totp_disabled", actor=user, target=user)


@guarded_by(may_work_in, actor="user")
def choose_department(*, user: User, department_id: int) -> StaffMembership:
    """The membership a staff member works in from now on (the office keeps it in the
    session); only a department they belong to."""
    return StaffMembership.objects.get(user=user, department_id=department_id)
