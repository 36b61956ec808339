"""Keeping the file plan: the tree, its rules, its history and who may change it."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.accounts.models import StaffMembership
from rathaus.accounts.permissions import NotPermitted
from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.records.file_plan import EntryData, add_plan_entry, change_plan_entry
from rathaus.records.models import FilePlanEntry, FilePlanRevision
from rathaus.records.services import add_file_plan_entry, open_case_file
from tests.factories import make_department, make_staff


@pytest.fixture
def registrar(in_town):
    hauptamt = make_department(in_town, slug="hauptamt", name="Hauptamt")
    return make_staff(in_town, departments=[hauptamt], email="registratur@x.example",
                      role=StaffMembership.Role.RECORDS_MANAGER)[0]


@pytest.fixture
def clerk(in_town):
    steueramt = make_department(in_town, slug="steueramt", name="Steueramt")
    return make_staff(in_town, departments=[steueramt], email="max@x.example")[0]


@pytest.fixture
def tree(registrar):
    """2 Finanzverwaltung > 21 Steuern > 21.33 Aufwandsteuern."""
    finance = add_plan_entry(actor=registrar, data=EntryData(
        code="2", title="Finanzverwaltung", retention_years=10))
    taxes = add_plan_entry(actor=registrar, data=EntryData(
        code="21", title="Steuern", retention_years=10, parent=finance))
    local = add_plan_entry(actor=registrar, data=EntryData(
        code="21.33", title="Aufwandsteuern", retention_years=10, parent=taxes))
    return finance, taxes, local


def codes_of(error: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_entries_form_a_tree_with_a_first_revision_each(tree, registrar):
    finance, taxes, local = tree
    assert local.parent == taxes and taxes.parent == finance and finance.parent is None
    revision = FilePlanRevision.objects.get(entry=local)
    assert revision.number == 1 and revision.changed_by == registrar
    assert revision.values == {
        "code": "21.33", "title": "Aufwandsteuern", "parent": "21", "department": None,
        "retention_years": 10, "disposal": "B", "reference_pattern": "{code}-{year}-{number:06d}"}


def test_an_entry_made_by_a_service_on_its_first_case_has_revision_one(in_town):
    entry = add_file_plan_entry(code="21.33.01", title="Hundesteuer", retention_years=10)
    assert list(entry.revisions.values_list("number", "changed_by")) == [(1, None)]


def test_a_childs_code_must_begin_with_its_parents(tree, registrar):
    _finance, taxes, _local = tree
    with pytest.raises(ValidationError) as refused:
        add_plan_entry(actor=registrar, data=EntryData(
            code="32.41", title="Falsch", retention_years=10, parent=taxes))
    assert codes_of(refused.value) == {"code": ["not_under_parent"]}
    with pytest.raises(ValidationError):  # the same code is no child of itself
        add_plan_entry(actor=registrar, data=EntryData(
            code="21", title="Doppelt", retention_years=10, parent=taxes))
    assert not FilePlanEntry.objects.filter(title__in=["Falsch", "Doppelt"]).exists()


@pytest.mark.parametrize("code", ["", " ", "21 33", "21/33", "21.", "{code}", "x" * 31])
def test_codes_are_plain(registrar, code):
    with pytest.raises(ValidationError) as refused:
        add_plan_entry(actor=registrar, data=EntryData(code=code, title="T", retention_years=1))
    assert "code" in refused.value.error_dict


def test_a_code_is_given_once(tree, registrar):
    with pytest.raises(ValidationError) as refused:
        add_plan_entry(actor=registrar, data=EntryData(code="21", title="T", retention_years=1))
    assert codes_of(refused.value) == {"code": ["taken"]}


def test_change_writes_the_next_revision_and_an_audit_entry(tree, registrar):
    _finance, _taxes, local = tree
    changed = change_plan_entry(
        actor=registrar, entry=local, reason="Neue Aufbewahrungsfrist",
        data=EntryData(**{**vars(EntryData.of(local)), "title": "Örtliche Aufwandsteuern",
                          "retention_years": 12, "disposal": "V"}))
    assert (changed.title, changed.retention_years, changed.disposal) == (
        "Örtliche Aufwandsteuern", 12, "V")
    latest = changed.revisions.order_by("number").last()
    assert latest.number == 2 and latest.reason == "Neue Aufbewahrungsfrist"
    assert latest.values["retention_years"] == 12 and latest.changed_by == registrar
    audit = AuditEntry.objects.filter(action="records.file_plan_entry_changed").get()
    assert audit.data == {"code": "21.33", "changed": ["title", "retention_years", "disposal"],
                          "revision": 2}
    assert "Örtliche" not in str(audit.data)  # titles stay out of the audit log


def test_a_change_that_changes_nothing_writes_nothing(tree, registrar):
    _finance, _taxes, local = tree
    change_plan_entry(actor=registrar, entry=local, data=EntryData.of(local))
    assert local.revisions.count() == 1


def test_an_entry_cannot_move_under_itself_or_its_descendants(tree, registrar):
    finance, taxes, local = tree
    for new_parent in (finance, local):
        with pytest.raises(ValidationError) as refused:
            change_plan_entry(actor=registrar, entry=finance, data=EntryData(
                **{**vars(EntryData.of(finance)), "parent": new_parent}))
        assert codes_of(refused.value) == {"parent": ["cycle"]}
    finance.refresh_from_db()
    assert finance.parent is None and finance.revisions.count() == 1


def test_an_entry_moves_under_another_parent_whose_code_it_extends(tree, registrar):
    finance, taxes, local = tree
    other = add_plan_entry(actor=registrar, data=EntryData(
        code="21.3", title="Gemeindesteuern", retention_years=10, parent=taxes))
    moved = change_plan_entry(actor=registrar, entry=local, data=EntryData(
        **{**vars(EntryData.of(local)), "parent": other}))
    assert moved.parent == other
    assert moved.revisions.order_by("number").last().values["parent"] == "21.3"


def test_another_authoritys_parent_or_department_is_refused(tree, registrar, district):
    with authority_context(district):
        foreign = add_file_plan_entry(code="21", title="Kreissteuern", retention_years=10)
    foreign_department = make_department(district, slug="steueramt", name="Steueramt")
    with pytest.raises(ValidationError) as refused:
        add_plan_entry(actor=registrar, data=EntryData(
            code="21.99", title="T", retention_years=1, parent=foreign,
            department=foreign_department))
    assert codes_of(refused.value) == {"parent": ["foreign"], "department": ["foreign"]}


def test_the_code_stays_once_files_hang_in_the_entry(tree, registrar):
    _finance, _taxes, local = tree
    open_case_file(plan_entry=local, title="Akte")
    with pytest.raises(ValidationError) as refused:
        change_plan_entry(actor=registrar, entry=local, data=EntryData(
            **{**vars(EntryData.of(local)), "code": "21.34"}))
    assert codes_of(refused.value) == {"code": ["in_use"]}
    # Everything else still changes.
    change_plan_entry(actor=registrar, entry=local, data=EntryData(
        **{**vars(EntryData.of(local)), "title": "Neu"}))


def test_a_parents_code_cannot_leave_its_childrens_behind(tree, registrar):
    _finance, taxes, _local = tree
    with pytest.raises(ValidationError) as refused:
        change_plan_entry(actor=registrar, entry=taxes, data=EntryData(
            **{**vars(EntryData.of(taxes)), "code": "22"}))
    assert codes_of(refused.value) == {"code": ["children"]}


def test_a_bad_reference_pattern_is_refused_without_a_trace(tree, registrar):
    _finance, _taxes, local = tree
    with pytest.raises(ValidationError):
        change_plan_entry(actor=registrar, entry=local, data=EntryData(
            **{**vars(EntryData.of(local)), "reference_pattern": "{code}-{number}"}))
    local.refresh_from_db()
    assert local.reference_pattern == "{code}-{year}-{number:06d}"
    assert local.revisions.count() == 1


def test_only_records_managers_keep_the_file_plan(tree, clerk):
    _finance, _taxes, local = tree
    with pytest.raises(NotPermitted):
        add_plan_entry(actor=clerk, data=EntryData(code="3", title="T", retention_years=1))
    with pytest.raises(NotPermitted):
        change_plan_entry(actor=clerk, entry=local, data=EntryData.of(local))


# --- The demo's file plan ----------------------------------------------------------------

def test_the_demo_plan_places_the_services_codes_and_loads_once(registrar):
    from rathaus.catalog.registry import all_definitions
    from rathaus.demo.file_plan import FILE_PLAN, create_demo_file_plan

    # A service filed its first case before the tree existed: its entry has no parent.
    early = add_file_plan_entry(code="21.33.01", title="Hundesteuer", retention_years=10)
    assert create_demo_file_plan(keeper=registrar) == len(FILE_PLAN)
    early.refresh_from_db()
    assert [e.code for e in _path(early)] == ["2", "21", "21.33"]
    assert early.revisions.count() == 2 and early.revisions.last().changed_by == registrar
    assert create_demo_file_plan(keeper=registrar) == 0
    town_codes = {d.file_plan["code"] for d in all_definitions().values()
                  if d.file_plan and d.performed_by == "municipality"}
    assert town_codes <= {code for code, *_rest in FILE_PLAN}


def _path(entry):
    path = []
    while entry.parent_id:
        entry = entry.parent
        path.insert(0, entry)
    return path


@pytest.mark.django_db
def test_the_demo_has_a_registratur_and_an_older_demo_gets_one(settings, tmp_path):
    from django.core.management import call_command

    from rathaus.accounts.models import User
    from rathaus.accounts.permissions import allows
    from rathaus.authorities.models import Authority
    from rathaus.records.models import CaseFile
    from rathaus.records.permissions import may_keep_file_plan

    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    town = Authority.objects.get(slug="leichlingen")
    email = "registratur@leichlingen.example"
    with authority_context(town):
        dog_tax = FilePlanEntry.objects.get(code="21.33.01")
        assert [e.code for e in _path(dog_tax)] == ["2", "21", "21.33"]
        assert CaseFile.objects.filter(plan_entry=dog_tax).exists()  # the demo's dogs
        assert allows(may_keep_file_plan, User.objects.get(email=email))
    credentials = (tmp_path / "demo-credentials.txt").read_text()
    assert email in credentials

    # A demo loaded before there was a Registratur (nor working time, which records hers).
    from rathaus.worktime.models import Employee, EntryRevision

    with authority_context(town):
        EntryRevision.objects.filter(changed_by__email=email).delete()
        Employee.objects.filter(user__email=email).delete()
    User.objects.filter(email=email).delete()
    call_command("load_demo")
    again = (tmp_path / "demo-credentials.txt").read_text()
    assert again.startswith(credentials) and again.count(email) == 2
    with authority_context(town):
        assert allows(may_keep_file_plan, User.objects.get(email=email))
    call_command("load_demo")
    assert (tmp_path / "demo-credentials.txt").read_text() == again
