"""The Hundeanmeldung without four eyes, for the case action tests."""

from dataclasses import replace

import pytest

from rathaus.catalog import registry
from tests.factories import DOG_SERVICE


@pytest.fixture
def without_four_eyes(monkeypatch):
    """The Hundeanmeldung as if its definition had no four eyes."""
    plain = replace(registry.definition(DOG_SERVICE), four_eyes=False)
    monkeypatch.setitem(registry._definitions, DOG_SERVICE, plain)
