"""Demo account of the active authority. The IBAN is the textbook example IBAN and the
creditor identifier the Bundesbank's test identifier: neither belongs to the town."""

from .models import PaymentAccount


def create_demo_payment_account(**values) -> PaymentAccount:
    """The account, Leichlingen's unless `values` say otherwise (e.g. the district's)."""
    account, _ = PaymentAccount.objects.get_or_create(
        defaults={
            "account_holder": "Stadtkasse Leichlingen",
            "iban": "DE89370400440532013000",
            "bic": "COBADEFFXXX",
            "bank_name": "Beispielbank (Demo)",
            "creditor_id": "DE98ZZZ09999999999",
            **values,
        }
    )
    return account
