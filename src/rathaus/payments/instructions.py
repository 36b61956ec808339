"""How a citizen pays a notice: plain data for notices and other callers, no models."""

from dataclasses import dataclass

from .iban import format_iban, mask_iban


@dataclass(frozen=True)
class Payee:
    """The authority's account (Stadtkasse), printed on every notice."""

    account_holder: str
    iban: str
    bic: str
    bank_name: str
    creditor_id: str = ""

    @property
    def iban_formatted(self) -> str:
        return format_iban(self.iban)


@dataclass(frozen=True)
class ByTransfer:
    """The citizen transfers the amount; the notice carries a GiroCode."""

    payee: Payee


@dataclass(frozen=True)
class ByDirectDebit:
    """The authority collects under the citizen's SEPA mandate; no GiroCode."""

    payee: Payee
    mandate_reference: str
    debtor_name: str
    debtor_iban: str

    @property
    def debtor_iban_masked(self) -> str:
        return mask_iban(self.debtor_iban)


PaymentInstruction = ByTransfer | ByDirectDebit
