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
    first = workflow.workflow_named("decision")
    with pytest.raises(ValueError, match="decision"):
        workflow.register(workflow.Workflow("decision", {}))
    assert workflow.workflow_named("decision") is first


def test_four_eyes_chooses_the_table_unless_the_definition_names_one(monkeypatch):
    case = Case(service_id="hundeanmeldung")
    four_eyes = registry.definition("hundeanmeldung")
    assert four_eyes.four_eyes
    assert workflow.workflow_for(case).name == "decision_with_four_eyes"
    monkeypatch.setitem(registry._definitions, "hundeanmeldung",
                        replace(four_eyes, four_eyes=False))
    assert workflow.workflow_for(case).name == "decision"

    landlord = workflow.Workflow("ummeldung_test", {"approve": workflow.Action(
        "approve", "Genehmigen", frozenset({S.SUBMITTED}), S.APPROVED, rules.may_decide,
        perform=lambda **kwargs: None)})
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


def test_the_office_shows_and_takes_an_action_of_a_table_registered_elsewhere(
    dog_town, people, monkeypatch
):
    """A new service's table (here a landlord's confirmation, as the Ummeldung will need)
    gets its button and its step in the office without an edit of the office or cases."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rathaus.accounts.permissions import require
    from rathaus.authorities.tenancy import authority_context
    from tests.factories import make_case, office_client

    performed = []

    def confirm_landlord(*, case, actor, text):
        # What @guarded_by does, without adding a test's function to the real registry.
        require(rules.may_decide, actor, case=case)
        performed.append((case.pk, actor.pk, text))

    landlord = workflow.Workflow("with_landlord_test", {"landlord_confirmed": workflow.Action(
        "landlord_confirmed", "Wohnungsgeberbestätigung liegt vor", frozenset({S.SUBMITTED}),
        S.IN_REVIEW, rules.may_decide, confirm_landlord)})
    monkeypatch.setitem(workflow._workflows, landlord.name, landlord)
    service = registry.definition("hundeanmeldung")
    monkeypatch.setitem(registry._definitions, "hundeanmeldung",
                        replace(service, workflow_name=landlord.name))
    with authority_context(dog_town):
        case = make_case(people.owner)

    office = office_client(people.decider, TOTPDevice.objects.get(user=people.decider))
    page = office.get(f"/verwaltung/vorgaenge/{case.pk}/").text
    assert "Wohnungsgeberbestätigung liegt vor" in page and "Genehmigen" not in page
    office.post(f"/verwaltung/vorgaenge/{case.pk}/schritt/landlord_confirmed/",
                {"text": "Liegt vor."})
    assert performed == [(case.pk, people.decider.pk, "Liegt vor.")]
    # The dog's own steps are not in this table, so the office refuses them.
    office.post(f"/verwaltung/vorgaenge/{case.pk}/schritt/approve/")
    with authority_context(dog_town):
        assert Case.objects.get(pk=case.pk).status == S.SUBMITTED

    other = office_client(people.other_task, TOTPDevice.objects.get(user=people.other_task))
    other.post(f"/verwaltung/vorgaenge/{case.pk}/schritt/landlord_confirmed/", {"text": "x"})
    assert len(performed) == 1
