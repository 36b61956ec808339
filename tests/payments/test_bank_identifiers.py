import pytest
from django.core.exceptions import ValidationError

from rathaus.payments.bic import validate_bic
from rathaus.payments.creditor_id import is_valid_creditor_id


@pytest.mark.parametrize("creditor_id", [
    "DE98ZZZ09999999999",  # the Bundesbank's test identifier
    "de98 zzz 0999 9999 999",
    "DE98ABC09999999999",  # the business code is not part of the check
])
def test_valid_creditor_identifiers(creditor_id):
    assert is_valid_creditor_id(creditor_id)


@pytest.mark.parametrize("creditor_id", [
    "DE97ZZZ09999999999",  # wrong check digits
    "DE98ZZZ0999999999",  # German identifiers have 18 characters
    "DE98ZZZ",
    "",
])
def test_invalid_creditor_identifiers(creditor_id):
    assert not is_valid_creditor_id(creditor_id)


@pytest.mark.parametrize("bic", ["COBADEFFXXX", "COBADEFF", "cobadeff xxx"])
def test_valid_bics(bic):
    validate_bic(bic)


@pytest.mark.parametrize("bic", ["COBADEF", "COBADEFFXX", "C0BADEFF"])
def test_invalid_bics(bic):
    with pytest.raises(ValidationError):
        validate_bic(bic)
