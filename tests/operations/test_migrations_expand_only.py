"""A release's migrations only add, so the previous release keeps serving while they run
(docs/operations.md, "Upgrading while the old release still serves").

During an upgrade the new release migrates the database while the old web processes and
workers still read and write it, and a rollback is the old code on the new schema. So a
new migration must not remove, rename or tighten what the previous release uses: no
RemoveField, DeleteModel, RenameField, RenameModel, AlterModelTable; no column made
NOT NULL without a default; no new NOT NULL column on an existing table without a
database default (`db_default`: Django drops a plain `default` from the column once
the existing rows are filled, and the old release's inserts do not name the column);
no RunSQL that drops or renames. Such a change ships in two releases: the expand step
(add the new, write both, stop reading the old), then one release later the contract
step, which says so:

    class Migration(migrations.Migration):
        # The contract step of …: release 1.4 stopped reading Case.old_status.
        contract_of = "1.4"

The migrations written before this rule are listed in BASELINE and not checked.
Third-party apps' migrations (Django's, django-tasks-db's …) are not checked either:
their upgrades are read before the dependency is bumped.
"""

import re

from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED

BASELINE = {
    "accounts": "0001_initial 0002_account_token 0003_records_manager 0004_firm_access",
    "archive": "0001_initial",
    "assets": "0001_initial 0002_map_pixels 0003_closed_for_use",
    "audit": "0001_initial 0002_merkle_tree 0003_append_only_triggers",
    "authorities": "0001_initial 0002_sequence 0003_reserved_number "
                   "0004_authority_security_contact 0005_authority_contributor_id "
                   "0006_authority_kind_and_district 0007_name_in_sentence "
                   "0008_authority_catalog_revision",
    "cases": "0001_initial 0002_case_decided_at_case_decided_by_case_decision_and_more "
             "0003_task_assigned_to_and_event_kinds 0004_forwarded_applications "
             "0005_case_service_decided_index",
    "catalog": "0001_initial 0002_adopted_definitions",
    "cemeteries": "0001_initial",
    "confirmations": "0001_initial",
    "council": "0001_initial 0002_office_urgency_agenda_version_uploads "
               "0003_file_source_sha256",
    "dogs": "0001_initial 0002_dog 0003_street_district 0004_street_key",
    "finder": "0001_initial",
    "application_forms": "0001_initial 0002_draft_locked_fields",  # rathaus.forms
    "handover": "0001_initial 0002_status_event_reference_and_url "
                "0003_status_event_failure",
    "identity": "0001_initial",
    "intake": "0001_initial",
    "mailbox": "0001_initial",
    "notices": "0001_initial",
    "opendata": "0001_initial 0002_upload_in_background",
    "payments": "0001_initial",
    "rate_limits": "0001_initial",
    "records": "0001_initial 0002_eakte 0003_search_index 0004_alter_document_kind",
    "residents": "0001_initial 0002_street 0003_residence_started_by_ended_by "
                 "0004_residence_start_end_known",
    "satisfaction": "0001_initial",
    "subject_access": "0001_initial",
    "trees": "0001_initial 0002_species 0003_import_states",
    "vehicles": "0001_initial",
    "worktime": "0001_initial",
}
BASELINE_KEYS = {(app, name) for app, names in BASELINE.items() for name in names.split()}

ALWAYS_DESTRUCTIVE = (migrations.RemoveField, migrations.DeleteModel, migrations.RenameField,
                      migrations.RenameModel, migrations.AlterModelTable)
DESTRUCTIVE_SQL = re.compile(
    r"\bDROP\s+(TABLE|COLUMN|VIEW)\b|\bRENAME\b|\bSET\s+NOT\s+NULL\b", re.IGNORECASE)


def _has_default(field) -> bool:
    return field.default is not NOT_PROVIDED or field.db_default is not NOT_PROVIDED


def _is_column(field) -> bool:
    return not isinstance(field, models.ManyToManyField)


def _sql_text(sql) -> str:
    if isinstance(sql, (list, tuple)):
        return " ".join(_sql_text(part) for part in sql)
    return sql[0] if isinstance(sql, tuple) else str(sql)


def _problems_of(operation, app_label: str, state, models_before) -> list[str]:
    """What in one operation breaks the release before it (empty: nothing). `state` is
    the schema just before the operation, `models_before` the models the previous
    release knows."""
    name = type(operation).__name__
    if isinstance(operation, ALWAYS_DESTRUCTIVE):
        return [f"{name} {getattr(operation, 'name', '')}".strip()]
    if isinstance(operation, migrations.SeparateDatabaseAndState):
        return [problem for inner in operation.database_operations
                for problem in _problems_of(inner, app_label, state, models_before)]
    if isinstance(operation, migrations.RunSQL) and DESTRUCTIVE_SQL.search(
            _sql_text(operation.sql)):
        return [f"RunSQL that drops, renames or sets NOT NULL: {_sql_text(operation.sql)[:80]}"]
    if isinstance(operation, (migrations.AlterField, migrations.AddField)):
        model_key = (app_label, operation.model_name_lower)
        if model_key not in models_before or not _is_column(operation.field):
            return []  # a model made in this very migration: no old code uses it
        old = state.models[model_key].fields.get(operation.name)
        new = operation.field
        if isinstance(operation, migrations.AlterField) and old is not None and old.null \
                and not new.null and not _has_default(new):
            return [f"AlterField {operation.model_name}.{operation.name} makes it NOT NULL "
                    f"without a default"]
        if isinstance(operation, migrations.AddField) and not new.null \
                and new.db_default is NOT_PROVIDED:
            return [f"AddField {operation.model_name}.{operation.name} is NOT NULL without "
                    f"db_default: the previous release's inserts would fail"]
    return []


def problems_of_migration(migration, state_before) -> list[str]:
    """What in `migration` breaks the release before it, unless it is a declared
    contract step."""
    if getattr(migration, "contract_of", ""):
        return []
    problems = []
    models_before = set(state_before.models)
    state = state_before.clone()
    for operation in migration.operations:
        problems += _problems_of(operation, migration.app_label, state, models_before)
        operation.state_forwards(migration.app_label, state)
    return problems


def test_new_migrations_only_add_to_what_the_previous_release_uses():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for key, migration in sorted(loader.disk_migrations.items()):
        if not type(migration).__module__.startswith("rathaus.") or key in BASELINE_KEYS:
            continue
        state_before = loader.project_state(key, at_end=False)
        found += [f"{key[0]}.{key[1]}: {problem}"
                  for problem in problems_of_migration(migration, state_before)]

    assert not found, (
        "These migrations would break the release still serving during an upgrade. Split "
        "the change into an expand step now and a contract step one release later (which "
        "sets contract_of = '<release of the expand step>'); see docs/operations.md:\n"
        + "\n".join(found))


def test_the_baseline_names_migrations_that_exist():
    loader = MigrationLoader(None, ignore_no_migrations=True)

    assert set(loader.disk_migrations) >= BASELINE_KEYS


# --- The checker itself, on migrations made up here ------------------------------------

def _state_with_a_case():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state()
    state.add_model(migrations.state.ModelState(
        "probe", "Case", [("id", models.BigAutoField(primary_key=True)),
                          ("note", models.TextField(null=True))]))
    return state


def _migration(*operations, contract_of=None):
    migration = migrations.Migration("0099_probe", "probe")
    migration.operations = list(operations)
    if contract_of:
        migration.contract_of = contract_of
    return migration


def test_the_checker_finds_each_kind_of_destructive_operation():
    state = _state_with_a_case()
    destructive = [
        migrations.RemoveField("case", "note"),
        migrations.DeleteModel("case"),
        migrations.RenameField("case", "note", "remark"),
        migrations.RenameModel("case", "matter"),
        migrations.AlterModelTable("case", "probe_matter"),
        migrations.AlterField("case", "note", models.TextField()),
        migrations.AddField("case", "status", models.TextField(default="open")),
        migrations.RunSQL("ALTER TABLE probe_case DROP COLUMN note"),
        migrations.RunSQL(["ALTER TABLE probe_case RENAME TO probe_matter"]),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL("DROP TABLE probe_case")]),
    ]

    for operation in destructive:
        assert problems_of_migration(_migration(operation), state), operation


def test_the_checker_lets_additions_and_declared_contract_steps_pass():
    state = _state_with_a_case()
    additive = [
        migrations.AddField("case", "remark", models.TextField(null=True)),
        migrations.AddField("case", "status", models.TextField(db_default="open")),
        migrations.AlterField("case", "note", models.TextField(null=True, blank=True)),
        migrations.AlterField("case", "note", models.TextField(default="")),
        migrations.CreateModel("Matter", [("id", models.BigAutoField(primary_key=True)),
                                          ("title", models.TextField())]),
        migrations.AddField("matter", "code", models.TextField()),  # a table made just now
        migrations.AddIndex("case", models.Index(fields=["note"], name="probe_note")),
        migrations.RunSQL("CREATE INDEX probe_note ON probe_case (note)"),
    ]

    assert problems_of_migration(_migration(*additive), state) == []
    assert problems_of_migration(
        _migration(migrations.RemoveField("case", "note"), contract_of="1.4"), state) == []
