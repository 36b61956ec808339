"""The access for firms (ADR 0041): a department admits a firm with its persons, each
person gets a personal firm account (password and TOTP, set through a single-use
invitation link), and applies in the portal for the firm.

Services change the firms and their persons, each in one transaction with its audit
entry (ids only, no names or addresses); selectors answer what the portal needs to know
about a firm account at the active authority.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.outbound_email import queue_email

from .models import AccountToken, Firm, FirmMember, User
from .permissions import guarded_by, may_admit_firms, may_keep_firm, unguarded
from .tokens import InvalidToken, issue_token, redeem_token, token_holder


class FirmAccessRefused(Exception):
    """What was asked cannot be done; `message` says why, in German, for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FirmData:
    name: str
    street: str
    postcode: str
    city: str
    trade: str
    email: str


@dataclass(frozen=True)
class PersonData:
    first_name: str
    last_name: str
    email: str


# --- Services -----------------------------------------------------------------------------

@guarded_by(may_admit_firms)
@transaction.atomic
def admit_firm(*, actor, department, firm_data: FirmData, firm_person: PersonData,
               link_for: Callable[[str], str]) -> Firm:
    """Admit a firm at `department` with its first person, who is invited by e-mail.
    `link_for(token)` builds the absolute link of the invitation page."""
    if firm_data.trade not in Firm.Trade.values:
        raise FirmAccessRefused(gettext("Please choose one of the trades offered."))
    firm = Firm.objects.create(
        name=firm_data.name.strip(), street=firm_data.street.strip(),
        postcode=firm_data.postcode.strip(), city=firm_data.city.strip(),
        trade=firm_data.trade, email=firm_data.email.strip().lower(), department=department,
    )
    record("firm.admitted", actor=actor, target=firm,
           data={"department": department.pk, "trade": firm.trade})
    _add_person(actor=actor, firm=firm, person=firm_person, link_for=link_for)
    return firm


@guarded_by(may_keep_firm)
@transaction.atomic
def add_firm_person(*, actor, firm: Firm, firm_person: PersonData,
                    link_for: Callable[[str], str]) -> FirmMember:
    """Give one more person of the firm a firm access (invited by e-mail)."""
    if not firm.active:
        raise FirmAccessRefused(gettext("The firm's access has ended. Admit it again first."))
    return _add_person(actor=actor, firm=firm, person=firm_person, link_for=link_for)


@guarded_by(may_keep_firm)
@transaction.atomic
def end_firm_access(*, actor, firm: Firm, firm_member: FirmMember | None = None) -> None:
    """End the access of the whole firm, or (with `firm_member`) of one of its persons.
    The accounts stay: a person may act for other firms, and the applications they sent
    stay theirs."""
    if firm_member is not None:
        if firm_member.firm_id != firm.pk:
            raise FirmAccessRefused(gettext("This person does not belong to the firm."))
        firm_member.active = False
        firm_member.save(update_fields=["active"])
        record("firm.person_ended", actor=actor, target=firm,
               data={"member": firm_member.pk, "user": firm_member.user_id})
        return
    firm.active = False
    firm.save(update_fields=["active"])
    record("firm.ended", actor=actor, target=firm)


def _add_person(*, actor, firm: Firm, person: PersonData, link_for) -> FirmMember:
    email = User.objects.normalize_email(person.email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_firm:
        # A citizen's private account or a staff account never acts for a firm: the
        # person gets a firm account of its own with another address.
        raise FirmAccessRefused(gettext(
            "This e-mail address already belongs to a citizen or staff account. A firm "
            "access needs an address of its own, for example the person's address at "
            "the firm."))
    if user is None:
        user = User.objects.create_user(
            email, None, first_name=person.first_name.strip(),
            last_name=person.last_name.strip(), kind=User.Kind.FIRM)
        record("account.firm_account_created", actor=actor, target=user)
    member, created = FirmMember.objects.get_or_create(firm=firm, user=user)
    if not created and member.active:
        raise FirmAccessRefused(gettext("This person already has a firm access for the firm."))
    if not created:
        member.active = True
        member.save(update_fields=["active"])
    record("firm.person_added", actor=actor, target=firm,
           data={"member": member.pk, "user": user.pk})
    _invite(user=user, firm=firm, link_for=link_for)
    return member


def _invite(*, user: User, firm: Firm, link_for) -> None:
    """An account that has not set its password yet gets a new invitation link; one
    already set up is told that it may now act for this firm too."""
    invited = not user.has_usable_password()
    context = {"user": user, "firm": firm, "authority_name": current_authority().name,
               "link": link_for(issue_token(user, purpose=AccountToken.Purpose.FIRM_INVITATION,
                                            max_age=settings.FIRM_INVITATION_MAX_AGE))
               if invited else ""}
    body = render_to_string("accounts/email/firm_invitation.txt", context)
    queue_email(to=user.email, subject=gettext("Your firm access to the online services"),
                body=body)


@unguarded("the single-use invitation token is the proof: only the link's recipient has it")
def invited_person(*, token: str) -> User | None:
    """The firm account a valid invitation link was sent to (the token is not spent)."""
    return token_holder(token, purpose=AccountToken.Purpose.FIRM_INVITATION)


@unguarded("the account the invitation was sent to; the token itself is the proof")
def pending_device(*, user: User) -> TOTPDevice:
    """The authenticator the invited person is setting up (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Firmenzugang", confirmed=False)


class WrongCode(Exception):
    pass


@unguarded("the single-use invitation token is the proof: only the link's recipient has it")
@transaction.atomic
def accept_invitation(*, token: str, password: str, code: str) -> User:
    """Set the password and confirm the authenticator in one step; the token is spent.
    Raises InvalidToken (unknown, used, expired) or WrongCode (nothing changes)."""
    user = redeem_token(token, purpose=AccountToken.Purpose.FIRM_INVITATION)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code):
        raise WrongCode()
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.set_password(password)
    # The link reached the address: it is verified.
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    record("account.firm_access_set_up", actor=user, target=user)
    return user


# --- Selectors ----------------------------------------------------------------------------

@unguarded("the firms of the departments the staff member belongs to, nobody else's")
def firms_of_departments(*, actor, department_ids) -> list[Firm]:
    """The firms admitted by these departments (of the active authority), with their
    persons, active first."""
    from .permissions import memberships

    own = set(memberships(actor).values_list("department_id", flat=True))
    wanted = [pk for pk in department_ids if pk in own]
    return list(Firm.objects.filter(department_id__in=wanted)
                .select_related("department")
                .prefetch_related("members__user")
                .order_by("-active", "name", "pk"))


@unguarded("only a firm of the departments the staff member belongs to, else None")
def firm_of_departments(*, actor, firm_id) -> Firm | None:
    from .permissions import memberships

    own = memberships(actor).values_list("department_id", flat=True)
    return (Firm.objects.filter(pk=firm_id, department_id__in=list(own))
            .select_related("department").first())


@unguarded("only a person of a firm the caller has already found for the staff member")
def member_of_firm(*, firm: Firm, member_id) -> FirmMember | None:
    return FirmMember.objects.filter(firm=firm, pk=member_id).select_related("user").first()


@unguarded("the firm account's own memberships; callers pass request.user")
def active_memberships(*, user) -> list[FirmMember]:
    """The person's active accesses at the active authority, of active firms."""
    if not (user and user.is_authenticated and user.is_firm):
        return []
    return list(FirmMember.objects.filter(user=user, active=True, firm__active=True)
                .select_related("firm").order_by("firm__name", "pk"))


@unguarded("the firm account's own firm; callers pass request.user")
def current_firm(*, user) -> Firm | None:
    """The firm the person acts for at the active authority (the first by name if
    several admitted them here)."""
    found = active_memberships(user=user)
    return found[0].firm if found else None


@unguarded("the firm account's own trades; callers pass request.user")
def may_apply_for(*, user, trades) -> bool:
    """Whether a firm account may start a service open to `trades` here: a firm of one
    of those trades admitted it at the active authority."""
    wanted = set(trades or ())
    return any(m.firm.trade in wanted for m in active_memberships(user=user))


@unguarded("names the firm of an applicant for the staff working on the application")
def firm_of_applicant(*, user) -> Firm | None:
    """The firm a firm account applied for, for the office's case page; None for a
    citizen. (The case does not record it: ADR 0041.)"""
    if user is None or not user.is_firm:
        return None
    member = (FirmMember.objects.filter(user=user).select_related("firm")
              .order_by("-active", "firm__name", "pk").first())
    return member.firm if member else None


@unguarded("what forms prefill from the firm account's own firm; callers pass the user")
def firm_prefill(*, user, key: str) -> str:
    """`firm_name`, `firm_street`, `firm_postcode` or `firm_city` of the firm the person
    acts for here; empty for a citizen."""
    firm = current_firm(user=user) if user is not None else None
    if firm is None:
        return ""
    return getattr(firm, key.removeprefix("firm_"), "") or ""


__all__ = ["InvalidToken"]
