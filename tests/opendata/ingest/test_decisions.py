"""The column decisions are plain values; only the upload keeps them as JSON."""

from rathaus.opendata.ingest.decisions import ColumnDecision


def test_a_decision_comes_back_from_json_unchanged():
    decision = ColumnDecision(name="adresse", type="text", public=True,
                              reason="Anschriften öffentlicher Gebäude",
                              personal_kind="address")
    assert ColumnDecision.from_json(decision.to_json()) == decision


def test_keys_the_decision_does_not_know_are_left_out():
    stored = {"name": "lat", "type": "decimal", "public": True, "role": "lat",
              "personal_hint": "older uploads kept this"}
    assert ColumnDecision.from_json(stored) == ColumnDecision(
        name="lat", type="decimal", public=True, role="lat")
