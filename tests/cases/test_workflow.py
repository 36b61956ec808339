"""Workflows are a registry of tables; a service definition may name its own."""

from dataclasses import replace

import pytest

from rathaus.cases import permissions as rules
from rathaus.cases import workflow
from rathaus.cases.models import Case
from rathaus.catalog import registry
from rathaus.catalog.definitions import load_definition

S = Case.Status


def test_a_second_workflow_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="decision"):
        workflow.register(workflow.Workflow("decision", {}))
    assert workflow.workflow_named("decision") is workflow.DECISION


def test_four_eyes_chooses_the_table_unless_the_definition_names_one(monkeypatch):
    case = Case(service_id="hundeanmeldung")
    four_eyes = registry.definition("hundeanmeldung")
    assert four_eyes.four_eyes and workflow.workflow_for(case) is workflow.FOUR_EYES
    monkeypatch.setitem(registry._definitions, "hundeanmeldung",
                        replace(four_eyes, four_eyes=False))
    assert workflow.workflow_for(case) is workflow.DECISION

    landlord = workflow.Workflow("ummeldung_test", {"approve": workflow.Action(
        "approve", "Genehmigen", frozenset({S.SUBMITTED}), S.APPROVED, rules.may_decide)})
    monkeypatch.setitem(workflow._workflows, landlord.name, landlord)
    monkeypatch.setitem(registry._definitions, "hundeanmeldung",
                        replace(four_eyes, workflow_name="ummeldung_test"))
    assert workflow.workflow_for(case) is landlord
    monkeypatch.setitem(registry._definitions, "hundeanmeldung",
                        replace(four_eyes, workflow_name="unbekannt"))
    with pytest.raises(LookupError):
        workflow.workflow_for(case)


def test_a_definition_names_its_workflow_in_yaml(tmp_path, settings):
    source = (settings.RATHAUS_SERVICES_DIR / "hundeanmeldung.yaml").read_text(
        encoding="utf-8")
    assert "\nworkflow:\n" in source
    path = tmp_path / "hundeanmeldung.yaml"
    path.write_text(source.replace("\nworkflow:\n", "\nworkflow:\n  name: decision\n", 1),
                    encoding="utf-8")
    assert load_definition(path).workflow_name == "decision"
    assert registry.definition("hundeanmeldung").workflow_name == ""
