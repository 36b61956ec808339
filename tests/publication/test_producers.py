"""Apps register their producers in their own open_data module; publication finds them
at start-up, and a second producer under a taken name is refused."""

import pytest

from rathaus.publication.producers import Produced, automatic_dataset, producer, producers


def test_the_open_data_modules_of_dogs_residents_and_cases_are_found_at_start_up():
    names = {p.name for p in producers()}
    assert {"hunde-je-ortsteil", "zu-und-wegzuege-je-ortsteil",
            "antraege-und-bearbeitungszeiten"} <= names
    assert producer("hunde-je-ortsteil").produce.__module__ == "rathaus.dogs.open_data"
    assert (producer("zu-und-wegzuege-je-ortsteil").produce.__module__
            == "rathaus.residents.open_data")
    assert (producer("antraege-und-bearbeitungszeiten").produce.__module__
            == "rathaus.cases.open_data")


def test_a_second_producer_under_a_taken_name_is_refused():
    with pytest.raises(ValueError):
        @automatic_dataset(name="hunde-je-ortsteil", title="x", description="x", theme="SOCI")
        def other() -> Produced:  # pragma: no cover
            raise AssertionError


def test_the_signed_tree_heads_are_open_data_anyone_can_check(town):
    import base64
    import json

    from rathaus.audit.services import record
    from rathaus.audit.tree_heads import sign_head, verify_signature
    from rathaus.authorities.tenancy import authority_context

    with authority_context(town):
        for number in range(3):
            record("test.event", data={"number": number})
        sign_head(town)
        record("test.event")
        sign_head(town)  # same day: only the later head is published
        rows = list(producer("protokoll-pruefsummen").produce().rows)
    (row,) = rows
    assert row["eintraege"] == 4
    head = json.loads(row["signierter_kopf"])
    assert head["root_hash"] == row["wurzel_sha256"]
    assert verify_signature(head, base64.b64decode(head["public_key"]))
