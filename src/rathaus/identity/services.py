"""What a verified SAML login does: refuse a replayed assertion, find or create the
citizen account of the persistent id, keep what the ID card said, and audit it all."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from rathaus.accounts.login_levels import LoginLevel, session_login_level
from rathaus.accounts.models import NO_EMAIL_DOMAIN, CitizenProfile, User
from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record

from .logins import Login, Refused
from .models import ExternalIdentity, IdCardData, SeenAssertion

# The attributes Rathaus keeps, each by BundID's OID and by pysaml2's friendly name.
ATTRIBUTE_NAMES = {
    "given_name": ("urn:oid:2.5.4.42", "givenName"),
    "family_name": ("urn:oid:2.5.4.4", "sn", "surname"),
    "birth_date": ("urn:oid:1.3.6.1.5.5.7.9.1", "dateOfBirth"),
    "birth_place": ("urn:oid:1.3.6.1.5.5.7.9.2", "placeOfBirth"),
    "street": ("urn:oid:2.5.4.9", "street"),
    "postcode": ("urn:oid:2.5.4.17", "postalCode"),
    "city": ("urn:oid:2.5.4.7", "l", "localityName"),
}


def _id_card_values(attributes: dict) -> dict:
    values = {}
    for field, names in ATTRIBUTE_NAMES.items():
        for name in names:
            if attributes.get(name):
                values[field] = str(attributes[name][0]).strip()
                break
    street_line = values.pop("street", "")
    street, _, number = street_line.rpartition(" ")
    if street and number[:1].isdigit():
        values["street"], values["house_number"] = street, number
    else:
        values["street"], values["house_number"] = street_line, ""
    try:
        values["birth_date"] = datetime.date.fromisoformat(values.get("birth_date", ""))
    except ValueError:
        values["birth_date"] = None
    return values


@unguarded("an audit entry of a refused login, for whoever posted the refused response")
def record_refusal(reason: str, detail: str, *, actor=None) -> None:
    with transaction.atomic():
        record("identity.login_refused", actor=actor, data={"reason": reason,
                                                            "detail": detail[:300]})


def _claim_assertion(login: Login) -> None:
    """Each assertion logs in once; its id is kept until it expires."""
    SeenAssertion.objects.filter(expires_at__lte=timezone.now()).delete()
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(assertion_id=login.assertion_id, issuer=login.issuer,
                                         expires_at=login.expires_at)
    except IntegrityError as error:
        raise Refused("replayed", f"assertion {login.assertion_id} seen before") from error


def _new_citizen(values: dict) -> User:
    # The IdP vouches for a person, not for an e-mail address: the account gets an
    # address that can receive nothing (.invalid, RFC 2606) and no password; its
    # details start as the ID card's.
    user = User.objects.create_user(
        f"eid-{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}", None,
        first_name=values.get("given_name", ""), last_name=values.get("family_name", ""),
        kind=User.Kind.CITIZEN)
    CitizenProfile.objects.create(
        user=user, date_of_birth=values.get("birth_date"),
        **{name: values.get(name, "")[:limit] for name, limit in (
            ("street", 150), ("house_number", 10), ("postcode", 5), ("city", 100))})
    return user


@unguarded("the login itself: the identity provider's verified, signed assertion is the proof")
def accept_login(login: Login, *, current_user=None) -> User:
    """The citizen account of a verified login: the one linked to the persistent id,
    else the logged-in citizen (a step-up), else a new one. Raises Refused for a replay."""
    _claim_assertion(login)
    values = _id_card_values(login.attributes)
    with transaction.atomic():
        link = (ExternalIdentity.objects.select_related("user")
                .filter(issuer=login.issuer, subject=login.subject).first())
        if link is not None:
            user = link.user
            link.last_login_at = timezone.now()
            link.save(update_fields=["last_login_at"])
        else:
            citizen = current_user if getattr(current_user, "is_citizen", False) else None
            user = citizen or _new_citizen(values)
            ExternalIdentity.objects.create(user=user, issuer=login.issuer,
                                            subject=login.subject)
        IdCardData.objects.update_or_create(user=user, defaults={
            **values, "level": str(login.level), "issuer": login.issuer,
            "received_at": timezone.now()})
        record("identity.login", actor=user, target=user,
               data={"level": str(login.level), "issuer": login.issuer,
                     "linked_to_existing": link is not None})
    return user


@unguarded("the caller passes the logged-in citizen: their own ID card data only")
def id_card_data(user) -> IdCardData | None:
    """What the ID card said at the citizen's last strong login, for forms to prefill
    read-only; None when the citizen never logged in through the identity provider."""
    return IdCardData.objects.filter(user=user).first()


@unguarded("the logged-in citizen's own ID card data, at the session's level")
def from_id_card(request, user) -> IdCardData | None:
    """The ID card's data only while the session's level is the one it came with."""
    data = id_card_data(user)
    level = session_login_level(request)
    if data is None or level is None or not level.satisfies(LoginLevel(data.level)):
        return None
    return data


@unguarded("the caller passes the logged-in citizen: their own persistent id")
def applicant_reference(user) -> dict | None:
    """How another authority finds the citizen's account, and so their mailbox: the
    identity provider and the persistent id of their ID card login (as BundID's mailbox
    reference does); None for an account that never logged in with the ID card."""
    link = ExternalIdentity.objects.filter(user=user).order_by("-last_login_at").first()
    return {"issuer": link.issuer, "subject": link.subject} if link else None


@unguarded("the receiving authority's lookup of the applicant of a hand-over it decrypted")
def citizen_with_reference(reference) -> User | None:
    """The citizen account an `applicant_reference` names, if it is on this instance."""
    if not isinstance(reference, dict):
        return None
    issuer, subject = reference.get("issuer"), reference.get("subject")
    if not (isinstance(issuer, str) and isinstance(subject, str)):
        return None
    link = (ExternalIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject).first())
    return link.user if link and link.user.is_active else None
