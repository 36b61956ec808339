"""Writing payment data. Each function is one transaction with its audit entry."""

from datetime import date

from django.db import IntegrityError, transaction

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit.services import record
from rathaus.authorities.sequences import next_value, reserve_value

from .iban import check_iban
from .models import SepaMandate

# Who may act is asked by the services that call these (accounts.permissions).
unguarded_module(__name__, "a building block: mandates are made inside the decision "
                           "handlers, once the deciding department has decided")


class MandateReferenceTaken(Exception):
    """The authority has already used this mandate reference; references never repeat."""


def next_mandate_reference() -> str:
    return _mandate_reference(next_value("sepa_mandate"))


def reserve_mandate_reference(*, key: str) -> str:
    """A mandate reference set aside for `key`, before the transaction that stores the
    mandate (see `authorities.sequences.reserve_value`)."""
    return _mandate_reference(reserve_value("sepa_mandate", key=key))


def _mandate_reference(number: int) -> str:
    return f"MANDAT-{number:08d}"


@transaction.atomic(savepoint=False)  # no savepoint: callers never carry on after an error
def create_sepa_mandate(
    *, debtor_name: str, iban: str, signed_on: date, reference: str | None = None, actor=None
) -> SepaMandate:
    """Store a signed SEPA core mandate of the active authority.

    Raises `InvalidIBAN` for a wrong IBAN and `MandateReferenceTaken` for a reference the
    authority has used before. Without a reference, the next one of the authority's
    gap-free sequence is drawn.
    """
    debtor_name = " ".join(debtor_name.split())
    if not debtor_name:
        raise ValueError("A SEPA mandate needs the account holder's name.")
    mandate = SepaMandate(
        debtor_name=debtor_name,
        iban=check_iban(iban),
        reference=reference or next_mandate_reference(),
        signed_on=signed_on,
    )
    mandate.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            mandate.save()
    except IntegrityError as error:
        raise MandateReferenceTaken(mandate.reference) from error
    record(
        "payments.sepa_mandate_created", actor=actor, target=mandate,
        data={"reference": mandate.reference},
    )
    return mandate
