from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.payments.demo import create_demo_payment_account
from rathaus.payments.iban import InvalidIBAN
from rathaus.payments.instructions import ByDirectDebit, ByTransfer
from rathaus.payments.models import PaymentAccount, SepaMandate
from rathaus.payments.selectors import PaymentAccountMissing, payment_instruction
from rathaus.payments.services import MandateReferenceTaken, create_sepa_mandate

SIGNED = date(2026, 3, 20)


def test_mandate_is_stored_with_a_compact_iban_and_a_drawn_reference(in_town):
    mandate = create_sepa_mandate(
        debtor_name="  Bettina   Beispiel ", iban="de02 1203 0000 0000 2020 51", signed_on=SIGNED
    )
    mandate.refresh_from_db()
    assert mandate.debtor_name == "Bettina Beispiel"
    assert mandate.iban == "DE02120300000000202051"
    assert mandate.reference == "MANDAT-00000001"
    assert create_sepa_mandate(
        debtor_name="Max Muster", iban="DE89370400440532013000", signed_on=SIGNED
    ).reference == "MANDAT-00000002"


def test_mandate_creation_is_audited_without_personal_values(in_town):
    mandate = create_sepa_mandate(
        debtor_name="Bettina Beispiel", iban="DE02120300000000202051", signed_on=SIGNED
    )
    entry = AuditEntry.objects.get(action="payments.sepa_mandate_created")
    assert entry.object_id == str(mandate.pk)
    assert "DE02" not in str(entry.data) and "Bettina" not in str(entry.data)


def test_mandate_with_a_wrong_iban_is_refused(in_town):
    with pytest.raises(InvalidIBAN), transaction.atomic():
        create_sepa_mandate(
            debtor_name="Bettina Beispiel", iban="DE03120300000000202051", signed_on=SIGNED
        )
    assert not SepaMandate.objects.exists()


def test_mandate_reference_is_unique_per_authority_only(town, district):
    with authority_context(town):
        create_sepa_mandate(debtor_name="A", iban="DE89370400440532013000", signed_on=SIGNED,
                            reference="HUND-1")
        with pytest.raises(MandateReferenceTaken), transaction.atomic():
            create_sepa_mandate(debtor_name="B", iban="DE89370400440532013000",
                                signed_on=SIGNED, reference="HUND-1")
    with authority_context(district):
        create_sepa_mandate(debtor_name="C", iban="DE89370400440532013000", signed_on=SIGNED,
                            reference="HUND-1")


def test_mandate_reference_with_spaces_is_refused(in_town):
    with pytest.raises(ValidationError), transaction.atomic():
        create_sepa_mandate(debtor_name="A", iban="DE89370400440532013000", signed_on=SIGNED,
                            reference="HUND 1")


def test_payment_instruction_by_transfer_or_by_mandate(in_town):
    create_demo_payment_account()
    mandate = create_sepa_mandate(
        debtor_name="Bettina Beispiel", iban="DE02120300000000202051", signed_on=SIGNED
    )
    transfer = payment_instruction()
    assert isinstance(transfer, ByTransfer)
    assert transfer.payee.iban_formatted == "DE89 3704 0044 0532 0130 00"
    debit = payment_instruction(mandate=mandate)
    assert isinstance(debit, ByDirectDebit)
    assert debit.mandate_reference == mandate.reference
    assert debit.payee.creditor_id == "DE98ZZZ09999999999"


def test_without_a_payment_account_no_instruction_can_be_made(in_town):
    with pytest.raises(PaymentAccountMissing):
        payment_instruction()


def test_payment_account_validates_its_identifiers(in_town):
    account = PaymentAccount(account_holder="Stadtkasse", iban="DE88370400440532013000",
                             bic="COBADEF", bank_name="Bank", creditor_id="DE97ZZZ09999999999")
    with pytest.raises(ValidationError) as caught:
        account.full_clean()
    assert set(caught.value.message_dict) == {"iban", "bic", "creditor_id"}
