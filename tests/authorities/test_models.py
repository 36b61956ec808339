"""Settings of an authority that are checked on input."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.authorities.models import validate_contributor_id


@pytest.mark.parametrize("value", [
    "http://dcat-ap.de/def/contributors/openNRW",
    "http://dcat-ap.de/def/contributors/schleswigHolstein",
])
def test_a_contributor_id_of_the_govdata_list_is_accepted(value):
    validate_contributor_id(value)


@pytest.mark.parametrize("value", [
    "openNRW",  # the name alone: harvesters need the IRI
    "https://dcat-ap.de/def/contributors/openNRW",  # the list's IRIs are http://
    "http://dcat-ap.de/def/contributors/",
    "http://dcat-ap.de/def/contributors/open NRW",
    "http://dcat-ap.de/def/contributors/openNRW/more",
    "http://example.org/def/contributors/openNRW",
])
def test_anything_else_is_refused_with_a_german_message(value, settings):
    settings.LANGUAGE_CODE = "de"
    with pytest.raises(ValidationError) as refused:
        validate_contributor_id(value)
    assert "http://dcat-ap.de/def/contributors/<Name>" in str(refused.value.messages)


def test_the_field_checks_the_id_and_may_stay_empty(town):
    town.contributor_id = ""
    town.full_clean()
    town.contributor_id = "openNRW"
    with pytest.raises(ValidationError) as refused:
        town.full_clean()
    assert "contributor_id" in refused.value.message_dict


def test_an_id_stored_without_validation_is_not_handed_out(town):
    town.contributor_id = "open NRW"  # e.g. from a shell, where nothing validates
    assert town.govdata_contributor == ""
    town.contributor_id = "http://dcat-ap.de/def/contributors/openNRW"
    assert town.govdata_contributor == "http://dcat-ap.de/def/contributors/openNRW"
