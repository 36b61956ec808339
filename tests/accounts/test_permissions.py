"""Who may call which service, generated from the services' own declarations.

Every guarded service (`@guarded_by`, collected in `accounts.permissions.GUARDED`) is
called by every kind of person, and must refuse (`NotPermitted`) exactly those its
rule does not allow. What each rule allows is written once per rule in `ALLOWED`, not
per service. A second test makes sure no public function of a module that writes is
forgotten: it is guarded, or declared unguarded with a reason.
"""

import datetime
import importlib
import inspect
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import get_resolver

import rathaus
from rathaus.accounts.permissions import (
    GUARDED,
    UNGUARDED,
    UNGUARDED_MODULES,
    NotPermitted,
)
from rathaus.authorities.tenancy import authority_context
from tests.factories import make_case

SRC = Path(rathaus.__file__).parent


def _module_name(path: Path) -> str:
    return ".".join(("rathaus", *path.relative_to(SRC).with_suffix("").parts))


def _load_everything() -> None:
    """Import what declares services and rules: every app's services and permissions
    modules, and (through the URLs) every view and what it calls."""
    for path in (*SRC.rglob("services.py"), *SRC.rglob("permissions.py")):
        importlib.import_module(_module_name(path))
    get_resolver().url_patterns  # noqa: B018  (imports every view module)


_load_everything()

STAFF = {"decider", "proposer", "other_task", "no_task", "team_lead", "administrator",
         "records_manager"}
KINDS = ["anonymous", "owner", "other_citizen", *sorted(STAFF), "foreign"]

# Who each rule lets act, on the subjects made in `world` below: the case of `owner`,
# proposed by `proposer`, with a deciding task of the Steueramt and a task of the
# Ordnungsamt; the Ordnungsamt's task; the owner's draft and dog.
ALLOWED = {
    "cases.may_decide": {"decider", "proposer", "team_lead"},
    "cases.may_confirm": {"decider", "team_lead"},
    "cases.may_work_on": {"decider", "proposer", "team_lead", "other_task"},
    "cases.may_complete_task": {"other_task"},
    "cases.is_applicant": {"owner"},
    "cases.may_send_draft": {"owner"},
    "dogs.is_holder": {"owner"},
    "opendata.may_prepare": STAFF,
    "opendata.may_release": {"team_lead", "administrator"},
    "background.may_manage": {"team_lead", "administrator"},
    "accounts.may_work_in": {"decider", "proposer", "team_lead"},  # the Steueramt
    # The firm access (ADR 0041): the Steueramt admitted the world's firm.
    "accounts.may_admit_firms": {"decider", "proposer", "team_lead"},
    "accounts.may_keep_firm": {"decider", "proposer", "team_lead"},
    "residents.may_keep_register": {"no_task", "administrator"},  # the Bürgerbüro
    # The world's case awaits its confirmation, so nobody may rate it yet; the finished
    # case's applicant is allowed in tests/satisfaction.
    "satisfaction.may_rate": set(),
    "catalog.may_exchange_services": {"administrator"},
    "audit.may_read_log": {"administrator"},  # the log spans every department
    "subject_access.may_request_copy": {"owner", "other_citizen"},  # each for their own
    # The world case's file belongs to the Steueramt; the Registratur reads every file.
    "records.may_read_file": {"decider", "proposer", "team_lead", "records_manager"},
    "records.may_work_on_file": {"decider", "proposer", "team_lead", "records_manager"},
    "records.may_search_files": STAFF,
    "records.may_keep_file_plan": {"records_manager"},
    # The world's letter is the Steueramt's incoming mail.
    "intake.may_receive": {"decider", "proposer", "team_lead", "records_manager"},
    "intake.may_handle_item": {"decider", "proposer", "team_lead", "records_manager"},
    "archive.may_hand_over": {"records_manager"},
    # The world's cadastre is kept by the Ordnungsamt, whose team does its work orders.
    "assets.may_keep_cadastre": {"other_task"},
    "assets.may_inspect": {"other_task"},
    "assets.may_work_on_order": {"other_task"},
    "assets.may_see_cadastres": STAFF,  # legal holds, offers, disposal
    # The world's cemetery cadastre is kept by the Ordnungsamt as well.
    "cemeteries.may_manage": {"other_task"},
    "cemeteries.may_manage_grave": {"other_task"},
    # Working time (worktime.permissions): the world's employee is the Bürgerbüro's
    # clerk (no_task), in a team led by the Steueramt's team lead; HR is the Hauptamt
    # (records_manager). Nobody else reaches the records, administrators included.
    "worktime.is_the_employee": {"no_task"},
    "worktime.may_lead": {"team_lead"},
    "worktime.may_read_figures": {"no_task", "team_lead"},
    "worktime.may_read_clock_times": {"no_task"},  # the world's month is not in dispute
    "worktime.is_hr": {"records_manager"},
    "worktime.may_configure": {"records_manager"},
    "worktime.may_change_entry": {"no_task"},
    "worktime.may_decide_correction": {"team_lead"},
    "worktime.may_decide_absence": {"team_lead"},
    "worktime.may_withdraw_absence": {"no_task"},
    "worktime.may_record_absence": {"no_task", "team_lead"},
    "worktime.may_close_month": {"team_lead"},
    # The dog town has no council information, so nobody keeps it (the Sitzungsdienst's
    # staff are refused elsewhere: tests/council/test_*.py).
    "council.may_keep": set(),
    # Nobody of the dog town is a councillor: a note is written by the paper's readers
    # only (tests/council/test_notes.py).
    "council.may_write_note": set(),
}


def test_every_rule_in_use_says_whom_it_allows():
    assert {g.rule.name for g in GUARDED.values()} <= set(ALLOWED)


def _writing_modules() -> set[str]:
    found = {_module_name(p) for p in SRC.rglob("services.py")}
    declared = {name.rsplit(".", 1)[0] for name in (*GUARDED, *UNGUARDED)}
    return found | declared


def test_every_public_service_is_guarded_or_says_why_not():
    forgotten = []
    for module_name in sorted(_writing_modules()):
        if module_name in UNGUARDED_MODULES:
            continue
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            qualified = f"{module_name}.{name}"
            if (function.__module__ == module_name and not name.startswith("_")
                    and qualified not in GUARDED and qualified not in UNGUARDED):
                forgotten.append(qualified)
    assert not forgotten, (
        "Guard these with @guarded_by(rule) (accounts.permissions), or declare them "
        f"@unguarded(reason): {forgotten}")


def test_declarations_name_functions_that_exist():
    for qualified in (*GUARDED, *UNGUARDED):
        module_name, name = qualified.rsplit(".", 1)
        assert hasattr(importlib.import_module(module_name), name), qualified


def test_the_workflow_tables_name_the_rules_their_services_are_guarded_by():
    from rathaus.cases.workflow import workflows

    for table in workflows().values():
        for action in table.actions.values():
            service = getattr(action.perform, "service", action.perform)
            assert service.rule is action.rule, (table.name, action.name)


# --- Every guarded service × every kind of person -----------------------------------------

@pytest.fixture
def world(dog_town, people):  # noqa: F811  (fixtures imported above)
    """The subjects the services act on, and the people, in the active dog town."""
    from rathaus.cases import actions
    from rathaus.cases.models import Case, Task
    from rathaus.catalog.exchange import Adaptation, ServiceFile
    from rathaus.catalog.registry import definition
    from rathaus.dogs.models import Dog
    from rathaus.forms.services import start_draft
    from rathaus.opendata.publish import services as opendata

    with authority_context(dog_town):
        # A dog of the owner, through a decision as always.
        decided = make_case(people.owner, large=False)
        actions.propose_decision(case=decided, staff=people.decider, decision="approve")
        actions.confirm_decision(case=decided, staff=people.second)
        case = make_case(people.owner)
        Case.objects.filter(pk=case.pk).update(
            status=Case.Status.AWAITING_CONFIRMATION, decision="reject",
            decision_reason="Nein.", proposed_by=people.second)
        case.refresh_from_db()
        dataset = opendata.create_dataset(actor=people.team_lead, name="spender",
                                          title="Spender", description="Test")
        upload = opendata.receive_upload(
            dataset=dataset, actor=people.team_lead,
            file=SimpleUploadedFile("d.csv", b"ort;anzahl\nMarkt;3\nKirche;4\n"))
        service = definition("hundeanmeldung")
        values = {
            "case": case, "task": Task.objects.get(case=case, department__slug="ordnungsamt"),
            "dog": Dog.objects.get(holder=people.owner),
            "draft_id": start_draft(user=people.owner, definition=service).pk,
            "definition": service, "dataset": dataset, "upload": upload,
            "text": "Ein Text.", "reason": "Ein Grund.", "note": "", "decision": "reject",
            "score": 5,
            "query": "Hund",
            "files": (), "decisions": {}, "name": "neu", "task_id": "0",
            "authority": dog_town, "given_up_on": datetime.date.today(),
            "destination": dog_town, "login_level": "hoch",
            "department_id": Task.objects.get(case=case, department__slug="steueramt")
            .department_id,
            "file": SimpleUploadedFile("e.csv", b"ort;anzahl\nMarkt;3\n"),
            "service_id": "hundeanmeldung", "adaptation": Adaptation(),
            "service_file": ServiceFile(definition=service.data, format_version=3, source={}),
            **_register_values(people),
            **_records_values(case),
            **_intake_values(case),
            **_cadastre_values(people),
            **_firm_values(Task.objects.get(case=case, department__slug="steueramt")
                           .department),
            **_cemetery_values(),
            # After the records' values: "entry" is the working time's entry here (no
            # rule of the records reads it).
            **_worktime_values(people),
            # The Aussonderung (archive.services): nothing due in this world, so an
            # allowed records manager gets a German refusal, not NotPermitted.
            "case_files": (), "archive_name": "Stadtarchiv", "process": None, "content": b"",
        }
        values = {**_council_values(), **values}
        kinds = {**people.kinds(), "proposer": people.second}
        del kinds["second"]
        yield values, kinds


def _council_values() -> dict:
    """The council's services are refused to everybody here (the dog town keeps no
    council information) before they read their arguments: placeholders suffice."""
    names = ("organization", "values", "term", "location", "membership", "email", "meeting",
             "start", "item", "direction", "result", "approved_in", "paper_type", "paper",
             "council_file", "consultation", "role", "public")
    return dict.fromkeys(names)


def _worktime_values(people) -> dict:
    """An employee (the Bürgerbüro's clerk) in a team led by the Steueramt's team lead,
    with an entry, a correction waiting, a requested absence and a confirmed month;
    the Hauptamt is the HR department."""
    from rathaus.authorities.models import Department
    from rathaus.worktime.models import (
        Absence,
        AbsenceKind,
        Agreement,
        ClosingState,
        Correction,
        Employee,
        Entry,
        LocalHoliday,
        MonthClosing,
        Team,
        TimeModel,
    )

    Agreement.objects.create(hr_department=Department.objects.get(slug="hauptamt"))
    model = TimeModel.objects.create(name="Vollzeit", monday=468, tuesday=468, wednesday=468,
                                     thursday=468, friday=468)
    team = Team.objects.create(name="Bürgerbüro")
    team.leads.set([people.team_lead])
    employee = Employee.objects.create(user=people.no_task, team=team, time_model=model,
                                       personnel_number="1001",
                                       starts_on=datetime.date(2024, 1, 1))
    started = datetime.datetime(2025, 3, 4, 7, 30, tzinfo=datetime.UTC)
    entry = Entry.objects.create(employee=employee, started_at=started,
                                 ended_at=started + datetime.timedelta(hours=8))
    correction = Correction.objects.create(
        employee=employee, entry=entry, started_at=started,
        ended_at=started + datetime.timedelta(hours=9), reason="Vergessen")
    in_a_month = datetime.date.today() + datetime.timedelta(days=30)
    absence = Absence.objects.create(employee=employee, kind=AbsenceKind.LEAVE,
                                     first_day=in_a_month, last_day=in_a_month, days=1)
    closing = MonthClosing.objects.create(employee=employee, month=datetime.date(2025, 3, 1),
                                          state=ClosingState.CONFIRMED)
    holiday = LocalHoliday.objects.create(day=datetime.date(2025, 3, 3), name="Rosenmontag")
    return {"employee": employee, "entry": entry, "correction": correction,
            "absence": absence, "closing": closing, "month": closing.month,
            "time_model": model, "holiday": holiday, "user": people.decider,
            "personnel_number": "2002", "day": datetime.date(2025, 11, 11),
            "first_day": in_a_month, "last_day": in_a_month, "approve": True,
            "started_at": started, "ended_at": started + datetime.timedelta(hours=1),
            "place": "office", "leads": []}


def _firm_values(department) -> dict:
    """A firm admitted by the Steueramt with one person, and what admitting another
    needs (accounts.firm_access)."""
    from rathaus.accounts.firm_access import FirmData, PersonData
    from rathaus.accounts.models import Firm, FirmMember, User

    firm = Firm.objects.create(name="Pietät Rhein", street="Am Wall 1", postcode="42799",
                               city="Leichlingen", trade="undertaker",
                               email="info@pietaet.example", department=department)
    person = User.objects.create_user("paula@pietaet.example", None, first_name="Paula",
                                      last_name="Pietät", kind=User.Kind.FIRM)
    FirmMember.objects.create(firm=firm, user=person)
    return {"firm": firm,
            "firm_data": FirmData(name="Bestattungen Wupper", street="Wupperstraße 12",
                                  postcode="42799", city="Leichlingen", trade="undertaker",
                                  email="info@wupper.example"),
            "firm_person": PersonData(first_name="Bernd", last_name="Bestatter",
                                      email="bernd@wupper.example"),
            "link_for": lambda token: f"http://leichlingen.localhost/{token}/"}


def _records_values(case) -> dict:
    """The world case's file, one of its documents, another file of the same owner to
    move it to, and a new entry for the file plan."""
    from rathaus.cases.models import Case
    from rathaus.records.file_plan import EntryData
    from rathaus.records.models import Document

    return {"case_file": case.case_file,
            "document": Document.objects.filter(case_file=case.case_file).first(),
            "target": Case.objects.exclude(pk=case.pk).get(applicant=case.applicant).case_file,
            "entry": case.case_file.plan_entry,
            "data": EntryData(code="21.33.02", title="Neu", retention_years=10)}


def _cadastre_values(people) -> dict:
    """A cadastre kept by the Ordnungsamt with its team, an asset, an inspection of it
    waiting as a conflict of the Ordnungsamt's clerk, and a work order."""
    import uuid

    from django.utils import timezone

    from rathaus.assets.models import Asset, Cadastre, Inspection, Team, WorkOrder
    from rathaus.authorities.models import Department

    department = Department.objects.get(slug="ordnungsamt")
    cadastre = Cadastre.objects.create(name="trees", department=department)
    team = Team.objects.create(department=department, name="Baumpflege", cadastres=["trees"])
    asset = Asset.objects.create(cadastre=cadastre, kind="tree", number="B-1", lon=7.01,
                                 lat=51.1)
    inspection = Inspection.objects.create(
        asset=asset, kind="regular", inspected_at=timezone.now(), inspector=people.other_task,
        seen_version=0, state=Inspection.State.CONFLICT)
    order = WorkOrder.objects.create(asset=asset, team=team, title="Totholz entfernen",
                                     deadline=datetime.date.today())
    return {"cadastre": cadastre, "team": team, "asset": asset, "inspection": inspection,
            "work_order": order, "kind": "tree", "number": "B-2", "lon": 7.02, "lat": 51.1,
            "changes": {"name": "Linde"}, "client_id": uuid.uuid4(),
            "inspected_at": timezone.now(), "seen_version": 1, "keep": False,
            "assets": Asset.objects.all(), "due_on": datetime.date.today(),
            "title": "Ast entfernen", "deadline": datetime.date.today(),
            # The tree import (rathaus.trees.importing): a file, an import that is none.
            "file": SimpleUploadedFile("b.csv", b"number;species;lon;lat\nB-3;birke;7.01;51.1\n"),
            "tree_import": None, "pk": 0}


def _cemetery_values() -> dict:
    """A cemetery cadastre kept by the Ordnungsamt: a cemetery, a field and a free
    grave, with what the cemetery services and selectors are called with."""
    from decimal import Decimal

    from rathaus.assets.models import Asset, Cadastre
    from rathaus.authorities.models import Department
    from rathaus.cemeteries.models import Grave, GraveType
    from rathaus.cemeteries.services import Deceased, Holder

    department = Department.objects.get(slug="ordnungsamt")
    cadastre = Cadastre.objects.create(name="cemeteries", department=department)
    cemetery = Asset.objects.create(cadastre=cadastre, kind="cemetery", number="FH-1",
                                    lon=7.01, lat=51.1)
    field = Asset.objects.create(cadastre=cadastre, kind="cemetery_field", number="FH-1-A",
                                 lon=7.01, lat=51.1, parent=cemetery)
    asset = Asset.objects.create(cadastre=cadastre, kind="grave", number="G-1", lon=7.01,
                                 lat=51.1, parent=field)
    grave_type = GraveType.objects.create(cemetery=cemetery, kind="choice_grave",
                                          right_years=30, rest_period_urn_years=20,
                                          extendable=True, extension_max_years=30,
                                          right_fee=Decimal("1800.00"))
    grave = Grave.objects.create(asset=asset, cemetery=cemetery, field=field,
                                 grave_type=grave_type)
    return {"cemetery": cemetery, "field": field, "grave": grave, "graves": [],
            "values": {}, "years": 5, "today": datetime.date.today(),
            "starts_on": datetime.date.today(), "consent_grave_search": False,
            "consent_during_rest": False, "case_reference": "",
            "holder": Holder(name="Margarete Beispiel", street="Am Hang 3",
                             postcode="42799", city="Leichlingen"),
            "deceased": Deceased(first_name="Heinrich", last_name="Beispiel",
                                 died_on=datetime.date.today()),
            "buried_at": datetime.datetime.now(datetime.UTC),
            # The plan import (cemeteries.importing): a preview of no cemetery.
            "previewed": {"cemetery_id": 0}}


def _intake_values(case) -> dict:
    """The Steueramt (the world case's file's department) and a letter in its incoming
    mail, read and ready to be filed."""
    from django.utils import timezone

    from rathaus.intake.models import IncomingItem
    from rathaus.records.blobs import store_blob
    from tests.factories import blank_pdf

    department = case.case_file.department
    name, sha256 = store_blob(blank_pdf(), authority_slug=case.case_file.authority.slug)
    item = IncomingItem.objects.create(
        department=department, received_at=timezone.now(),
        source=IncomingItem.Source.UPLOAD, original_filename="brief.pdf",
        media_type="application/pdf", size=1, storage_name=name, sha256=sha256,
        status=IncomingItem.Status.READY, pdfa_storage_name=name, pdfa_sha256=sha256,
        recognised_text="Brief", text_source="ocr")
    return {"department": department, "item": item}


def _register_values(people) -> dict:
    """A household in the resident register, entered by the Bürgerbüro's clerk."""
    from rathaus.residents.models import Dwelling
    from rathaus.residents.services import Newcomer, register_move_in

    dwelling = Dwelling.objects.create(street="Marktstraße", street_key="01210",
                                       house_number="17", postcode="42799", place="Leichlingen")
    change = register_move_in(
        actor=people.no_task, dwelling=dwelling, moved_in=datetime.date(2024, 3, 1),
        kind="main", household=[Newcomer(
            family_name="Weber", given_names="Anna", date_of_birth=datetime.date(1985, 3, 2),
            place_of_birth="Köln", sex="w")])
    return {"household": change.household, "dwelling": dwelling,
            "person": change.started[0].person, "person_id": change.started[0].person.pk,
            "moved_in": datetime.date(2025, 9, 15),
            "moved_out": datetime.date(2025, 9, 15), "kind": "main",
            "objection": "address_books", "filed_on": datetime.date(2025, 9, 15),
            "movers": [Newcomer(family_name="Neu", given_names="Nora",
                                date_of_birth=datetime.date(1990, 1, 1), place_of_birth="Köln",
                                sex="w")]}


class _Rollback(Exception):
    pass


def _refused(service, actor_kw, actor, values) -> bool:
    """Calls the service in a savepoint that is always rolled back; True if it was
    refused. Any other error after the guard (a status, a missing file) counts as let
    through: only the rule is under test here."""
    parameters = inspect.signature(service.__wrapped__).parameters
    kwargs = {name: values[name] for name, p in parameters.items()
              if p.kind == p.KEYWORD_ONLY and name != actor_kw
              and (p.default is p.empty or name in values)}
    try:
        with transaction.atomic():
            service(**{actor_kw: actor}, **kwargs)
            raise _Rollback
    except NotPermitted:
        return True
    except Exception:  # noqa: BLE001  (see the docstring)
        return False


@pytest.mark.parametrize("qualified", sorted(GUARDED))
def test_service_refuses_exactly_whom_its_rule_does_not_allow(qualified, world, dog_town):  # noqa: F811
    values, kinds = world
    guarded = GUARDED[qualified]
    allowed = ALLOWED[guarded.rule.name]
    with authority_context(dog_town):
        outcome = {kind: _refused(guarded.function, guarded.actor, kinds[kind], values)
                   for kind in KINDS}
    expected = {kind: kind not in allowed for kind in KINDS}
    assert outcome == expected, f"{qualified} ({guarded.rule.name}): refused {outcome}"
