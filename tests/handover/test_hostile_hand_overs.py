"""Hostile bodies at the hand-over's door (ADR 0019's approach): whatever arrives, the
answer is a 202 or a refusal, never a server error, and the worker never crashes on
what was stored."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rathaus.authorities.tenancy import authority_context
from rathaus.handover.models import Submission
from tests.handover.test_interface import URL, client, remote_hand_over

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)

PATHS = [("metadata",), ("data",), ("attachments",), ("metadata", "version"),
         ("metadata", "submission_id"), ("metadata", "service_id"),
         ("metadata", "created_at"), ("metadata", "sender"), ("metadata", "destination"),
         ("metadata", "content"), ("metadata", "content", "data"),
         ("metadata", "content", "attachments"), ("metadata", "sender", "slug")]


def _replaced(body: dict, path: tuple, value) -> dict:
    copy = json.loads(json.dumps(body))
    target = copy
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    return copy


@pytest.mark.django_db
def test_no_hostile_hand_over_gets_a_server_error(destination, no_rate_limits):
    valid = remote_hand_over(destination, attachments=[("a.txt", "text/plain", b"a")])

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(
        JSON,
        st.tuples(st.sampled_from(PATHS), JSON).map(lambda c: _replaced(valid, *c)),
    ))
    def hostile(body):
        response = client().post(URL, json.dumps(body), content_type="application/json")
        assert response.status_code in (202, 400), response.content
        if response.status_code == 400:
            assert response.json()["status"] == 400

    hostile()
    with authority_context(destination):
        states = set(Submission.objects.values_list("state", flat=True))
    assert states <= {Submission.State.RECEIVED, Submission.State.FAILED}
