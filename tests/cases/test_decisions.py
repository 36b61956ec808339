"""The registry of decision handlers: one handler per service."""

import pytest

from rathaus.cases import decisions
from rathaus.registry import DuplicateEntry


def test_a_second_handler_for_a_service_is_refused():
    assert decisions.handler_for("hundeanmeldung") is not None
    first = decisions.handler_for("hundeanmeldung")
    with pytest.raises(DuplicateEntry, match="'hundeanmeldung' is registered twice"):
        @decisions.decision_handler("hundeanmeldung")
        def decide_again(case):  # pragma: no cover - never registered
            pass
    assert decisions.handler_for("hundeanmeldung") is first
