"""The base registry every extension point uses: a name can be taken only once."""

import pytest

from rathaus.registry import DuplicateEntry, Registry


def test_a_registered_entry_is_found_by_its_name():
    colours = Registry("colour")
    colours.register("red", "#f00")
    assert colours.get("red") == "#f00"
    assert colours["red"] == "#f00"
    assert "red" in colours and list(colours) == ["red"]
    assert colours.names() == ["red"] and colours.all() == {"red": "#f00"}


def test_a_second_entry_under_the_same_name_is_refused():
    colours = Registry("colour")
    colours.register("red", "#f00")
    with pytest.raises(DuplicateEntry, match="colour 'red' is registered twice"):
        colours.register("red", "#e00")
    assert colours["red"] == "#f00"


def test_an_unknown_name_is_none_or_a_lookup_error_naming_the_kind():
    colours = Registry("colour")
    assert colours.get("blue") is None
    with pytest.raises(LookupError, match="no colour 'blue'"):
        colours["blue"]
