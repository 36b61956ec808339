"""Creates the demo once; later runs leave existing data alone."""

import base64
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.accounts.models import CitizenProfile, Firm, FirmMember, StaffMembership, User
from rathaus.assets.demo import set_up_demo_cadastres
from rathaus.audit.services import record
from rathaus.authorities.models import Authority, AuthorityHost, Department
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import all_definitions, definition
from rathaus.catalog.selectors import service_with_slug
from rathaus.catalog.services import offer_service
from rathaus.cemeteries.demo import set_up_demo_cemeteries
from rathaus.council.demo import set_up_demo_council
from rathaus.dogs.demo import create_demo_dog_tax_bylaw, create_demo_street_districts
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.opendata.demo import load_demo_open_data
from rathaus.payments.demo import create_demo_payment_account
from rathaus.playgrounds.demo import load_demo_playgrounds
from rathaus.residents.demo import load_demo_residents
from rathaus.trees.demo import load_demo_trees
from rathaus.vehicles.demo import load_demo_vehicles
from rathaus.worktime.demo import set_up_demo_worktime

from . import data
from .archive import create_demo_disposal_files
from .dogs import register_citizens_dog, register_demo_dogs
from .file_plan import create_demo_file_plan
from .identities import load_test_identities

VEHICLE_SERVICE = "fahrzeugzulassung"


def _offer_demo_services(authority: Authority, spec: dict) -> None:
    """The illustrative bylaw values (a town's), bank account and court, when the
    authority performs services itself (a town offering only its district's needs
    none), then the services."""
    service_ids = spec["services"]
    performs = [s for s in service_ids if definition(s).performed_by == authority.kind]
    if authority.kind == Authority.Kind.MUNICIPALITY and performs:
        create_demo_dog_tax_bylaw()
        create_demo_street_districts()
    if performs or "notice_settings" in spec:  # or ready to adopt services of its own
        create_demo_payment_account(**spec.get("payment_account", {}))
        create_demo_notice_settings(**spec.get("notice_settings", {}))
    for service_id in service_ids:
        offer_service(definition=definition(service_id))


def _password() -> str:
    return "Demo-" + secrets.token_urlsafe(9)


@transaction.atomic
def load_demo() -> list[dict] | None:
    """Returns the credentials of the accounts created, or None if the demo exists."""
    town = Authority.objects.filter(slug=data.AUTHORITIES[0]["slug"]).first()
    if town is not None:
        # A demo loaded before the registers existed gets its residents and the
        # district's vehicle registration now.
        _load_residents(town)
        _load_vehicles()
        _load_information_services()
        _load_citizens_dog(town)
        _load_cadastres(town)
        added = (_load_file_plan(town) or []) + _load_worktime(town) + _load_council(town)
        return added or None
    authorities = {}
    for spec in data.AUTHORITIES:
        fields = {k: v for k, v in spec.items()
                  if k not in ("hosts", "departments", "services", "parent",
                               "notice_settings", "payment_account",
                               "information_services")}
        authority = Authority.objects.create(**fields)
        authorities[authority.slug] = authority
        for host in spec["hosts"]:
            AuthorityHost.objects.create(authority=authority, host=host)
        with authority_context(authority):
            for slug, name, code in spec["departments"]:
                Department.objects.create(slug=slug, name=name, code=code)
            record("authority.created", target=authority, data={"demo": True})
            if spec.get("services"):
                _offer_demo_services(authority, spec)

    for spec in data.AUTHORITIES:  # the district above each town
        if spec.get("parent"):
            Authority.objects.filter(slug=spec["slug"]).update(
                parent=authorities[spec["parent"]])

    credentials = []
    for authority_slug, email, first, last, roles in data.STAFF:
        password = _password()
        user = User.objects.create_user(
            email, password, first_name=first, last_name=last, kind=User.Kind.STAFF,
            email_verified_at=timezone.now(),
        )
        device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
        with authority_context(authorities[authority_slug]):
            for department_slug, role in roles.items():
                StaffMembership.objects.create(
                    user=user, department=Department.objects.get(slug=department_slug), role=role
                )
            record("account.staff_created", target=user, data={"roles": roles})
        credentials.append({
            "kind": "staff", "authority": authorities[authority_slug].name, "email": email,
            "password": password, "totp_secret": base64.b32encode(device.bin_key).decode(),
        })

    for spec in data.CITIZENS:
        password = _password()
        user = User.objects.create_user(
            spec["email"], password, first_name=spec["first_name"],
            last_name=spec["last_name"], kind=User.Kind.CITIZEN,
            email_verified_at=timezone.now(),
        )
        CitizenProfile.objects.create(
            user=user,
            date_of_birth=date.fromisoformat(spec["date_of_birth"]),
            **{k: spec[k] for k in ("street", "house_number", "postcode", "city")},
        )
        credentials.append({"kind": "citizen", "authority": "", "email": spec["email"],
                            "password": password, "totp_secret": ""})
    credentials.append(_load_firm(authorities[data.FIRM_AUTHORITY]))
    with authority_context(authorities[data.AUTHORITIES[0]["slug"]]):
        # Before the first cases, which file under its entries.
        create_demo_file_plan(keeper=User.objects.get(email=data.RECORDS_MANAGER))
        register_demo_dogs(clerk=User.objects.get(email=data.DOG_CLERK),
                           second=User.objects.get(email=data.DOG_SECOND_CLERK))
    _load_citizens_dog(authorities[data.AUTHORITIES[0]["slug"]])
    _load_residents(authorities[data.AUTHORITIES[0]["slug"]])
    _load_cadastres(authorities[data.AUTHORITIES[0]["slug"]])
    _load_worktime(authorities[data.AUTHORITIES[0]["slug"]])
    credentials += [{k: v for k, v in c.items() if k != "added_to_existing_demo"}
                    for c in _load_council(authorities[data.AUTHORITIES[0]["slug"]])]
    _load_vehicles()
    _load_information_services()
    load_demo_open_data()
    with authority_context(authorities[data.AUTHORITIES[0]["slug"]]):
        create_demo_disposal_files(keeper=User.objects.get(email=data.RECORDS_MANAGER))
    return credentials


def _load_citizens_dog(town: Authority) -> None:
    """The demo citizen's decided dog registration; a demo loaded before she had one
    gets it at the next `rathaus setup` (unless her account was deleted)."""
    citizen = User.objects.filter(email=data.CITIZENS[0]["email"]).first()
    if citizen is None:
        return
    with authority_context(town):
        register_citizens_dog(citizen=citizen, clerk=User.objects.get(email=data.DOG_CLERK),
                              second=User.objects.get(email=data.DOG_SECOND_CLERK))


def _load_file_plan(town: Authority) -> list[dict] | None:
    """A demo loaded before the file plan was a tree gets the tree, its Registratur and
    the Hauptamt it works in. Returns the Registratur's credentials if it was made now,
    marked so that they are added to the demo's credentials file; else None."""
    credentials = None
    with authority_context(town):
        keeper = User.objects.filter(email=data.RECORDS_MANAGER).first()
        if keeper is None:
            spec = next(s for s in data.STAFF if s[1] == data.RECORDS_MANAGER)
            credentials = [{**_create_staff(town, *spec[1:]), "added_to_existing_demo": True}]
            keeper = User.objects.get(email=data.RECORDS_MANAGER)
        create_demo_file_plan(keeper=keeper)
        create_demo_disposal_files(keeper=keeper)
    return credentials


def _create_staff(authority: Authority, email, first, last, roles) -> dict:
    """A staff account with a confirmed TOTP device and its memberships in the active
    authority (a department missing there is made from the demo's data); returns its
    credentials."""
    password = _password()
    user = User.objects.create_user(email, password, first_name=first, last_name=last,
                                    kind=User.Kind.STAFF, email_verified_at=timezone.now())
    device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
    spec = next(s for s in data.AUTHORITIES if s["slug"] == authority.slug)
    names = {slug: (name, code) for slug, name, code in spec["departments"]}
    for department_slug, role in roles.items():
        name, code = names[department_slug]
        department, _made = Department.objects.get_or_create(
            slug=department_slug, defaults={"name": name, "code": code})
        StaffMembership.objects.create(user=user, department=department, role=role)
    record("account.staff_created", target=user, data={"roles": roles})
    return {"kind": "staff", "authority": authority.name, "email": email,
            "password": password, "totp_secret": base64.b32encode(device.bin_key).decode()}


def _load_firm(town: Authority) -> dict:
    """The undertaker admitted by the Friedhofsverwaltung with its one person, whose
    firm access is set up already (password and a confirmed TOTP device)."""
    password = _password()
    first, last = data.FIRM_PERSON
    user = User.objects.create_user(data.FIRM_EMAIL, password, first_name=first,
                                    last_name=last, kind=User.Kind.FIRM,
                                    email_verified_at=timezone.now())
    device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
    with authority_context(town):
        firm = Firm.objects.create(
            name=data.FIRM_NAME, trade=Firm.Trade.UNDERTAKER, email=data.FIRM_CONTACT,
            department=Department.objects.get(slug=data.FIRM_DEPARTMENT), **data.FIRM_ADDRESS)
        member = FirmMember.objects.create(firm=firm, user=user)
        record("firm.admitted", target=firm, data={"demo": True})
        record("firm.person_added", target=firm, data={"member": member.pk, "user": user.pk})
    return {"kind": "firm", "authority": town.name, "email": data.FIRM_EMAIL,
            "password": password, "totp_secret": base64.b32encode(device.bin_key).decode()}


def _load_worktime(town: Authority) -> list[dict]:
    """The town's working time: its Personalamt's clerk, the agreement, teams and about
    three months of records; a demo loaded before working time existed gets them at
    the next `rathaus setup`. Returns the credentials of an account made now (marked to
    be added to the demo's credentials file)."""
    credentials = []
    with authority_context(town):
        if not User.objects.filter(email=data.WORKTIME_HR).exists():
            spec = next(s for s in data.STAFF if s[1] == data.WORKTIME_HR)
            credentials.append({**_create_staff(town, *spec[1:]), "added_to_existing_demo": True})
        set_up_demo_worktime()
    return credentials


def _load_council(town: Authority) -> list[dict]:
    """The town's council information: its Sitzungsdienst (the Ratsbüro and its clerk),
    the two members' reading room accounts and a year of the council (council.demo);
    what is missing is made, so a demo loaded before it existed gets it at the next
    `rathaus setup`. Returns the credentials of the accounts made now (marked to be added
    to the demo's credentials file)."""
    credentials = []
    with authority_context(town):
        spec = next(s for s in data.AUTHORITIES if s["slug"] == town.slug)
        for slug, name, code in spec["departments"]:
            Department.objects.get_or_create(slug=slug, defaults={"name": name, "code": code})
        if not User.objects.filter(email=data.COUNCIL_CLERK).exists():
            staff = next(s for s in data.STAFF if s[1] == data.COUNCIL_CLERK)
            credentials.append({**_create_staff(town, *staff[1:]), "added_to_existing_demo": True})
        accounts = []
        for councillor in data.COUNCILLORS:
            user = User.objects.filter(email=councillor["email"]).first()
            if user is None:
                user, made = _create_councillor(councillor)
                credentials.append({**made, "added_to_existing_demo": True})
            accounts.append(user)
        set_up_demo_council(accounts=accounts)
    return credentials


def _create_councillor(spec: dict) -> tuple[User, dict]:
    """A citizen account with a confirmed TOTP device: a member's reading room login."""
    password = _password()
    user = User.objects.create_user(
        spec["email"], password, first_name=spec["first_name"], last_name=spec["last_name"],
        kind=User.Kind.CITIZEN, email_verified_at=timezone.now())
    CitizenProfile.objects.create(
        user=user, **{k: spec[k] for k in ("street", "house_number", "postcode", "city")})
    device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
    return user, {"kind": "councillor", "authority": "", "email": spec["email"],
                  "password": password, "totp_secret": base64.b32encode(device.bin_key).decode()}


def _load_residents(town: Authority) -> None:
    with authority_context(town):
        load_demo_residents(clerk=User.objects.get(email=data.RESIDENTS_CLERK))
    load_test_identities()


def _load_cadastres(town: Authority) -> None:
    """The trees and playgrounds of the demo town with their teams; a demo loaded
    before the cadastres existed gets them at the next `rathaus setup`."""
    with authority_context(town):
        set_up_demo_cadastres()
        inspector = User.objects.get(email=data.INSPECTOR)
        load_demo_trees(inspector=inspector)
        load_demo_playgrounds(inspector=inspector)
        # A demo loaded before Jonas Stein existed: Lieschen Müller keeps them too.
        clerk = (User.objects.filter(email=data.CEMETERY_CLERK).first()
                 or User.objects.get(email=data.INSPECTOR))
        set_up_demo_cemeteries(clerk=clerk)


def _load_vehicles() -> None:
    """"Fahrzeug zulassen" offered by the district and its towns, and the district's
    registers with the demo's vehicles and plates. Adds only what is missing, so a demo
    loaded before the vehicle registration existed gets it."""
    for spec in data.AUTHORITIES:
        authority = Authority.objects.filter(slug=spec["slug"]).first()
        if authority is None or VEHICLE_SERVICE not in spec.get("services", ()):
            continue
        with authority_context(authority):
            if service_with_slug(slug=VEHICLE_SERVICE) is None:
                offer_service(definition=definition(VEHICLE_SERVICE))
            if authority.kind == Authority.Kind.DISTRICT:
                create_demo_payment_account(**spec.get("payment_account", {}))
                create_demo_notice_settings(**spec.get("notice_settings", {}))
                load_demo_vehicles()
        if not authority.name_in_sentence and spec.get("name_in_sentence"):
            Authority.objects.filter(pk=authority.pk).update(
                name_in_sentence=spec["name_in_sentence"])


def _load_information_services() -> None:
    """The services without an online form (what to bring, where, when) that each demo
    authority gives, and a town also those of its district, which it names as
    responsible. Adds only what is missing, so an older demo gets them too."""
    information = [d for d in all_definitions().values() if not d.is_online]
    for spec in data.AUTHORITIES:
        authority = Authority.objects.filter(slug=spec["slug"]).first()
        if authority is None or not spec.get("information_services"):
            continue
        with authority_context(authority):
            for slug, name, code in spec["departments"]:
                Department.objects.get_or_create(slug=slug, defaults={"name": name, "code": code})
            for found in information:
                given_here = found.performed_by == authority.kind or (
                    authority.kind == Authority.Kind.MUNICIPALITY
                    and found.performed_by == Authority.Kind.DISTRICT)
                if given_here and service_with_slug(slug=found.id) is None:
                    offer_service(definition=found)
