"""Reading payment data of the active authority."""

from .instructions import ByDirectDebit, ByTransfer, Payee, PaymentInstruction
from .models import PaymentAccount, SepaMandate


class PaymentAccountMissing(LookupError):
    """The authority has not entered its account yet; notices cannot say where to pay."""


def payee() -> Payee:
    account = PaymentAccount.objects.first()
    if account is None:
        raise PaymentAccountMissing("The active authority has no payment account.")
    return Payee(
        account_holder=account.account_holder, iban=account.iban, bic=account.bic,
        bank_name=account.bank_name, creditor_id=account.creditor_id,
    )


def payment_instruction(*, mandate: SepaMandate | None = None) -> PaymentInstruction:
    """By direct debit when the citizen gave a mandate, else by bank transfer."""
    if mandate is None:
        return ByTransfer(payee=payee())
    return ByDirectDebit(
        payee=payee(), mandate_reference=mandate.reference,
        debtor_name=mandate.debtor_name, debtor_iban=mandate.iban,
    )
