"""Form parts for choosing how to pay: SEPA direct debit or bank transfer."""

from django import forms
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .iban import normalise_iban, validate_iban


class IBANField(forms.CharField):
    """Accepts an IBAN as people type it (spaces, lower case) and cleans it to the
    compact upper-case form."""

    default_validators = [validate_iban]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 42)  # 34 characters plus spaces between groups
        kwargs.setdefault("label", _("IBAN"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("spellcheck", "false")

    def to_python(self, value):
        return normalise_iban(super().to_python(value))


class PaymentMethod(TextChoices):
    DIRECT_DEBIT = "direct_debit", _("SEPA direct debit")
    TRANSFER = "transfer", _("Bank transfer")


class PaymentMethodForm(forms.Form):
    """Direct debit needs the account holder, the IBAN and the mandate consent."""

    method = forms.ChoiceField(
        label=_("How would you like to pay?"), choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
    )
    account_holder = forms.CharField(label=_("Account holder"), max_length=70, required=False)
    iban = IBANField(required=False)
    mandate_consent = forms.BooleanField(required=False)

    def __init__(self, *args, creditor_name: str, creditor_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        # The mandate text must name the creditor and its identifier (SEPA rulebook).
        self.fields["mandate_consent"].label = _(
            "I authorise %(creditor)s (creditor identifier %(creditor_id)s) to collect "
            "payments from my account by direct debit. At the same time I instruct my bank "
            "to honour these direct debits. I can ask for a refund within eight weeks of "
            "the debit date, under the terms agreed with my bank."
        ) % {"creditor": creditor_name, "creditor_id": creditor_id}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") != PaymentMethod.DIRECT_DEBIT:
            return cleaned
        if not cleaned.get("account_holder", "").strip():
            self.add_error("account_holder", _("Please enter the account holder."))
        if not cleaned.get("iban") and "iban" not in self.errors:
            self.add_error("iban", _("Please enter an IBAN."))
        if not cleaned.get("mandate_consent"):
            self.add_error(
                "mandate_consent", _("Please confirm the SEPA direct debit mandate.")
            )
        return cleaned
