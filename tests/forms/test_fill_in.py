"""`fill_in` (for the demo and the benchmarks) checks each page as the browser's post
would be checked, and saves nothing past an invalid page."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.forms.services import fill_in, start_draft
from tests.factories import HOLDER, PAYMENT_TRANSFER, SMALL_DOG


def test_valid_pages_are_saved_as_if_typed_in(dog_service, citizen, town):
    service = definition("hundeanmeldung")
    with authority_context(town):
        draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                        pages=[HOLDER, SMALL_DOG, {"is_large": "no"}, PAYMENT_TRANSFER])
    assert draft.reached_step == 4
    assert draft.answers["dog_name"] == "Bello"
    assert draft.answers["microchip"] == "276098100123456"
    assert draft.answers["payment_method"] == "transfer"


def test_an_invalid_page_is_named_and_stops_there(dog_service, citizen, town):
    service = definition("hundeanmeldung")
    with authority_context(town):
        draft = start_draft(user=citizen, definition=service)
        with pytest.raises(ValueError, match="step dog: .*microchip"):
            fill_in(draft=draft, definition=service,
                    pages=[HOLDER, {**SMALL_DOG, "microchip": "123"}, {"is_large": "no"},
                           PAYMENT_TRANSFER])
        draft.refresh_from_db()
    assert draft.reached_step == 1  # the holder's page, not the pages after the error
