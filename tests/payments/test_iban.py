import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from rathaus.payments.iban import (
    InvalidIBAN,
    Problem,
    check_iban,
    format_iban,
    mask_iban,
    normalise_iban,
    validate_iban,
)


@pytest.mark.parametrize("iban", [
    "DE89 3704 0044 0532 0130 00",
    "de89370400440532013000",
    "DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000",  # pasted from a PDF
    "AT61 1904 3002 3457 3201",
    "GB29 NWBK 6016 1331 9268 19",
    "NL91 ABNA 0417 1643 00",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NO93 8601 1117 947",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
])
def test_valid_ibans_pass_and_come_back_compact(iban):
    assert check_iban(iban) == normalise_iban(iban)
    assert " " not in check_iban(iban)
    validate_iban(iban)  # does not raise


@pytest.mark.parametrize(("iban", "problem"), [
    ("", Problem.EMPTY),
    ("DE89-3704-0044-0532-0130-00", Problem.CHARACTERS),
    ("8937040044053201300012", Problem.COUNTRY_CODE),
    ("DEAB370400440532013000", Problem.CHECK_DIGIT_FORMAT),
    ("US64SVBKUS6S3300958879", Problem.NOT_SEPA),
    ("DE8937040044053201300", Problem.LENGTH),
    ("DE88370400440532013000", Problem.CHECK_DIGITS),
    ("DE89370400440532013001", Problem.CHECK_DIGITS),  # a typo in the account number
    ("DE00370400440532013000", Problem.CHECK_DIGITS),
])
def test_each_kind_of_mistake_is_named(iban, problem):
    with pytest.raises(InvalidIBAN) as caught:
        check_iban(iban)
    assert caught.value.problem == problem


def _message(iban: str) -> str:
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_iban(iban)
        return caught.value.messages[0]  # lazy: render it while English is active


def test_message_for_wrong_check_digits_asks_to_check_them():
    assert _message("DE88 3704 0044 0532 0130 00").startswith(
        "The IBAN is not valid: please check the check digits."
    )


def test_message_for_wrong_length_names_country_and_both_lengths():
    assert _message("DE89 3704 0044 0532 0130 0") == (
        "The IBAN is not valid: an IBAN from DE has 22 characters, this one has 21."
    )


def test_message_for_a_country_outside_sepa_names_the_code():
    assert _message("US64SVBKUS6S3300958879") == (
        "The IBAN is not valid: “US” is not the country code of a SEPA country."
    )


def test_validation_error_codes_tell_the_problem_apart():
    with pytest.raises(ValidationError) as caught:
        validate_iban("DE8937040044053201300")
    assert caught.value.code == "iban_length"


def test_iban_is_printed_in_groups_of_four():
    assert format_iban("de89370400440532013000") == "DE89 3704 0044 0532 0130 00"


def test_masked_iban_keeps_country_check_digits_and_last_four():
    assert mask_iban("DE02120300000000202051") == "DE02 XXXX XXXX XXXX XX20 51"
