from django.utils import translation

from rathaus.payments.forms import PaymentMethodForm


def _form(**data):
    with translation.override("en"):
        form = PaymentMethodForm(data=data, creditor_name="Stadtkasse Leichlingen",
                                 creditor_id="DE98ZZZ09999999999")
        form.is_valid()
        return form


def test_transfer_needs_no_bank_details():
    assert _form(method="transfer").is_valid()


def test_direct_debit_cleans_the_iban_as_typed():
    form = _form(method="direct_debit", account_holder="Bettina Beispiel",
                 iban="de02 1203 0000 0000 2020 51", mandate_consent="on")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["iban"] == "DE02120300000000202051"


def test_direct_debit_needs_holder_iban_and_consent():
    form = _form(method="direct_debit")
    assert set(form.errors) == {"account_holder", "iban", "mandate_consent"}


def test_direct_debit_with_wrong_check_digits_says_so():
    form = _form(method="direct_debit", account_holder="Bettina Beispiel",
                 iban="DE03 1203 0000 0000 2020 51", mandate_consent="on")
    with translation.override("en"):
        message = str(form.errors["iban"][0])
    assert message.startswith("The IBAN is not valid: please check the check digits.")


def test_mandate_text_names_the_creditor_and_its_identifier():
    with translation.override("en"):
        label = str(_form(method="transfer").fields["mandate_consent"].label)
    assert label.startswith(
        "I authorise Stadtkasse Leichlingen (creditor identifier DE98ZZZ09999999999)"
    )
