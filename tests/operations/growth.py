"""More of everything the pages of the authorization matrix's world list
(tests/factories.py, build_world): `grow` adds, for the same citizen A, the same
departments and the same staff, MORE of each kind of thing, and some of each for the
other authority, so that a page whose queries grow with its rows shows it
(tests/operations/test_query_counts.py).

Each kind is made the way the world makes it, through the services where the world
does so, so the grown rows look like the world's own."""

import datetime
from decimal import Decimal

from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from tests.factories import (
    DISPENSERS,
    DOG,
    DOG_SERVICE,
    HOLDER,
    PAYMENT_TRANSFER,
    _failed_task,
    _forwarded_application,
    blank_pdf,
    departments_of,
    make_case,
    make_department,
    make_staff,
    make_uploader,
    publish_csv,
    tiny_png,
)

# How many more of each kind: enough that a query per row shows as several.
MORE = 3


def grow(world, people, district, settings) -> None:
    from rathaus.authorities.models import Authority

    town = Authority.objects.get(slug="leichlingen")
    _citizen_things(town, people)
    _open_data(town, district)
    _register(town, people)
    _intake(town, people)
    _cadastre(town, people, world)
    _cemetery(town, world)
    _firms(town)
    _worktime(town, people, world)
    _council(town, district, world)
    for _ in range(MORE):
        _failed_task(settings, town)


def _citizen_things(town, people) -> None:
    """More cases of citizen A (approved ones with their dog and notice, and ones
    waiting for her answer, with notes and access log entries), drafts, forwarded
    applications; and a case of citizen B."""
    from rathaus.audit.services import record_access
    from rathaus.audit.tree_heads import sign_head
    from rathaus.cases import actions
    from rathaus.cases.models import Case
    from rathaus.cases.workflow import take
    from rathaus.catalog import registry
    from rathaus.forms.services import fill_in, start_draft

    owner = people.owner
    service = registry.definition(DOG_SERVICE)
    with authority_context(town):
        for n in range(MORE):
            approved = make_case(owner, large=False)
            take(approved, "approve", actor=people.decider)
            take(Case.objects.get(pk=approved.pk), "confirm", actor=people.second)
            waiting = make_case(owner, large=True)
            actions.request_information(case=waiting, staff=people.decider,
                                        text=f"Bitte den Nachweis {n} einreichen.")
            actions.add_note(case=waiting, staff=people.decider, text=f"Vermerk {n}")
            record_access(staff=people.decider, citizen=owner,
                          what=f"Vorgang {waiting.reference}", target=waiting)
            fill_in(draft=start_draft(user=owner, definition=service), definition=service,
                    pages=[HOLDER, DOG, {"is_large": "no"}, PAYMENT_TRANSFER])
            _forwarded_application(owner)
            make_case(people.other_citizen, large=True)
        sign_head(town)


def _open_data(town, district) -> None:
    for n in range(MORE):
        publish_csv(town, DISPENSERS, name=f"spender-{n}", title=f"Spender {n}")
    make_uploader()  # a team lead in the district too
    publish_csv(district, DISPENSERS, name="spender-kreis", title="Spender im Kreis")


def _register(town, people) -> None:
    from rathaus.residents.models import Dwelling
    from rathaus.residents.services import Newcomer, register_move_in

    with authority_context(town):
        for n in range(MORE):
            dwelling = Dwelling.objects.create(street="Marktstraße", street_key="01210",
                                               house_number=str(20 + n), postcode="42799",
                                               place="Leichlingen")
            register_move_in(
                actor=people.no_task, dwelling=dwelling, moved_in=datetime.date(2024, 4, 1),
                kind="main",
                household=[Newcomer(family_name="Weber", given_names=f"Anna{n}",
                                    date_of_birth=datetime.date(1980 + n, 3, 2),
                                    place_of_birth="Köln", sex="w"),
                           Newcomer(family_name="Weber", given_names=f"Jan{n}",
                                    date_of_birth=datetime.date(1979, 3, 2),
                                    place_of_birth="Köln", sex="m", relationship="spouse")])


def _intake(town, people) -> None:
    from rathaus.intake.models import IncomingItem
    from rathaus.records.blobs import store_blob

    with authority_context(town):
        name, sha256 = store_blob(blank_pdf(), authority_slug=town.slug)
        for n in range(MORE):
            IncomingItem.objects.create(
                department=departments_of(town)["steueramt"], uploaded_by=people.decider,
                received_at=timezone.now(), source=IncomingItem.Source.UPLOAD,
                original_filename=f"brief-{n}.pdf", media_type="application/pdf", size=1,
                storage_name=name, sha256=sha256, status=IncomingItem.Status.READY,
                pdfa_storage_name=name, pdfa_sha256=sha256, recognised_text="Brief",
                text_source="ocr")


def _cadastre(town, people, world) -> None:
    """More trees in the Steueramt's cadastre, each inspected with a photo and with a
    work order; more inspections, photos and orders of the world's tree."""
    from rathaus.assets.models import Asset, Cadastre, Inspection, Photo, Team, WorkOrder
    from rathaus.records.blobs import store_blob

    png = tiny_png()
    with authority_context(town):
        cadastre = Cadastre.objects.get(name="trees")
        team = Team.objects.get(name="Baumpflege")
        name, sha256 = store_blob(png, authority_slug=town.slug)
        tree = Asset.objects.get(pk=world.arguments["asset_id"])
        trees = [tree] + [
            Asset.objects.create(cadastre=cadastre, kind="tree", number=f"B-{n + 2}",
                                 name=f"Eiche {n}", lon=7.01 + n / 1000, lat=51.1,
                                 next_due=timezone.localdate())
            for n in range(MORE)]
        for asset in trees:
            for _ in range(2):
                inspection = Inspection.objects.create(
                    asset=asset, kind="regular", inspected_at=timezone.now(),
                    inspector=people.decider, seen_version=1)
                Photo.objects.create(blob_name=name, sha256=sha256, media_type="image/png",
                                     size=len(png), inspection=inspection)
            WorkOrder.objects.create(asset=asset, team=team, title="Kronenpflege",
                                     deadline=timezone.localdate())


def _cemetery(town, world) -> None:
    """More graves in the world's field, and another field with graves."""
    from rathaus.assets.models import Asset
    from rathaus.cemeteries.models import Grave, GraveType

    with authority_context(town):
        cemetery = Asset.objects.get(pk=world.arguments["cemetery_id"])
        field = Asset.objects.get(pk=world.arguments["field_id"])
        grave_type = GraveType.objects.get(cemetery=cemetery, kind="choice_grave")
        other_field = Asset.objects.create(
            cadastre=cemetery.cadastre, kind="cemetery_field", number="FH-W-B", name="Feld B",
            lon=7.01, lat=51.1, parent=cemetery)
        for parent in (field, other_field):
            for n in range(MORE):
                asset = Asset.objects.create(
                    cadastre=cemetery.cadastre, kind="grave", number=f"{parent.number}-{n + 2}",
                    lon=7.01, lat=51.1, parent=parent, type="choice_grave")
                Grave.objects.create(asset=asset, cemetery=cemetery, field=parent,
                                     grave_type=grave_type)
        GraveType.objects.create(
            cemetery=cemetery, kind="urn_grave", places=1, rest_period_coffin_years=25,
            rest_period_urn_years=20, right_years=20, extendable=False,
            extension_max_years=0, right_fee=Decimal("900.00"),
            extension_fee_per_year=Decimal("0"))


def _firms(town) -> None:
    from rathaus.accounts.models import Firm, FirmMember, User

    with authority_context(town):
        for n in range(MORE):
            firm = Firm.objects.create(name=f"Bestatter {n}", street="Am Wall 2",
                                       postcode="42799", city="Leichlingen",
                                       trade="undertaker", email=f"info{n}@firm.example",
                                       department=departments_of(town)["steueramt"])
            for m in range(2):
                person = User.objects.create_user(f"p{n}-{m}@firm.example", None,
                                                  first_name="Paul", last_name=f"Firma{n}",
                                                  kind=User.Kind.FIRM)
                FirmMember.objects.create(firm=firm, user=person)


def _worktime(town, people, world) -> None:
    """More entries and absences of the Steueramt's clerk (last month and this one),
    more members of the team lead's team with their entries, teams, time models,
    holidays."""
    from rathaus.worktime.models import (
        Absence,
        Correction,
        Employee,
        Entry,
        LocalHoliday,
        MonthClosing,
        Team,
        TimeModel,
    )

    today = timezone.localdate()
    first = today.replace(day=1)
    last_month = (first - datetime.timedelta(days=1)).replace(day=1)
    steueramt = departments_of(town)["steueramt"]
    with authority_context(town):
        team = Team.objects.get(pk=world.arguments["team_id"])
        model = TimeModel.objects.get(pk=world.arguments["model_id"])
        employees = [Employee.objects.get(pk=world.arguments["employee_id"])]
        for n in range(MORE):
            user, _device = make_staff(town, departments=[steueramt],
                                       email=f"team{n}@x.example")
            employees.append(Employee.objects.create(
                user=user, team=team, time_model=model, personnel_number=f"W-{n + 10}",
                starts_on=datetime.date(2024, 1, 1)))
            Team.objects.create(name=f"Team {n}")
            TimeModel.objects.create(name=f"Teilzeit {n}", monday=240, tuesday=240,
                                     wednesday=240, thursday=240, friday=0)
            LocalHoliday.objects.create(day=datetime.date(today.year, 3, 1 + n),
                                        name=f"Feiertag {n}")
        for employee in employees:
            for month_start in (last_month, first):
                for day in range(MORE + 1):
                    started = timezone.make_aware(datetime.datetime.combine(
                        month_start + datetime.timedelta(days=day), datetime.time(8)))
                    if started > timezone.now():
                        continue
                    entry = Entry.objects.create(
                        employee=employee, started_at=started,
                        ended_at=started + datetime.timedelta(hours=4))
            Correction.objects.create(
                employee=employee, entry=entry, started_at=entry.started_at,
                ended_at=entry.ended_at + datetime.timedelta(minutes=30), reason="Nachtrag")
            for n in range(MORE):
                day = today + datetime.timedelta(days=70 + 7 * n)
                Absence.objects.create(employee=employee, kind="leave", first_day=day,
                                       last_day=day, days=1)
            if employee.pk != world.arguments["employee_id"]:
                MonthClosing.objects.create(employee=employee, month=last_month,
                                            state="confirmed")


def _council(town, district, world) -> None:
    """More persons with memberships, bodies, places, terms, meetings with agenda items
    and papers with consultations and files; more items, consultations and files of the
    world's meeting and paper; and a council of the district."""
    from rathaus.council import files
    from rathaus.council.documents import council_pdf
    from rathaus.council.models import (
        AgendaItem,
        Consultation,
        Council,
        CouncilFile,
        LegislativeTerm,
        Location,
        Meeting,
        Membership,
        Organization,
        Paper,
        Person,
    )

    now = timezone.now()
    with authority_context(town):
        pdf = council_pdf(kind="Beschlussvorlage", title="Vorlage", reference="V/2026/0100",
                          public=True)
        body = Organization.objects.get(pk=world.arguments["body_id"])
        meeting = Meeting.objects.get(pk=world.arguments["meeting_id"])
        paper = Paper.objects.get(pk=world.arguments["paper_id"])
        person = Person.objects.get(pk=world.arguments["council_person"])
        for n in range(MORE):
            place = Location.objects.create(description=f"Saal {n}")
            LegislativeTerm.objects.create(name=f"Wahlperiode {2010 + 5 * n}",
                                           start_date=datetime.date(2010 + 5 * n, 11, 1))
            committee = Organization.objects.create(name=f"Ausschuss {n}",
                                                    kind=Organization.Kind.COMMITTEE)
            Membership.objects.create(person=person, organization=committee, role="Mitglied")
            for m in range(2):
                member = Person.objects.create(given_name=f"Rita{n}{m}", family_name="Rat")
                Membership.objects.create(person=member, organization=body, role="Mitglied")
                Membership.objects.create(person=member, organization=committee,
                                          role="Mitglied")
            other_meeting = Meeting.objects.create(
                name=f"Sitzung {n}", organization=committee if n else body, location=place,
                start=now + datetime.timedelta(days=20 + n), state=Meeting.State.INVITED,
                invited_at=now, agenda_published_at=now)
            new_paper = Paper.objects.create(
                reference=f"V/2026/{n + 2:04d}", name=f"Vorlage {n}",
                paper_type=Paper.Type.PROPOSAL, date=timezone.localdate(), released_at=now)
            files.file_pdf(owner=new_paper, role=CouncilFile.Role.MAIN, name="Vorlage",
                           file_name=f"vorlage-{n}.pdf", pdf=pdf)
            files.file_pdf(owner=paper, role=CouncilFile.Role.ATTACHMENT,
                           name=f"Anlage {n}", file_name=f"anlage-{n}.pdf", pdf=pdf)
            for target, position in ((meeting, n + 2), (other_meeting, 1)):
                item = AgendaItem.objects.create(meeting=target, number=f"Ö {position}",
                                                 position=position, name=new_paper.name)
                Consultation.objects.create(paper=new_paper, organization=target.organization,
                                            meeting=target, agenda_item=item)
            Consultation.objects.create(paper=paper, organization=committee,
                                        meeting=other_meeting)
    kreistag = make_department(district, slug="kreistagsbuero", name="Kreistagsbüro")
    with authority_context(district):
        Council.objects.create(department=kreistag)
        body = Organization.objects.create(name="Kreistag", kind=Organization.Kind.COUNCIL)
        member = Person.objects.create(given_name="Karl", family_name="Kreis")
        Membership.objects.create(person=member, organization=body, role="Mitglied")
        Meeting.objects.create(name="Sitzung des Kreistages", organization=body,
                               start=now + datetime.timedelta(days=12),
                               state=Meeting.State.INVITED, invited_at=now,
                               agenda_published_at=now)
        Paper.objects.create(reference="K/2026/0001", name="Kreisstraße",
                             paper_type=Paper.Type.PROPOSAL, date=timezone.localdate(),
                             released_at=now)

