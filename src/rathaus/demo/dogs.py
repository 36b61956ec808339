"""Dogs already in the register when the demo starts, so that the open data portal's
"Hunde je Ortsteil" has figures from the first visit.

Each went the way a citizen's application goes: the pages of the Hundeanmeldung
through the form engine, the sending, and the Steueramt's decision with four eyes.
The decision queues the notice; the worker issues it, enters the dog in the register
and refreshes the open data, as for any approved application.
"""

from datetime import date, timedelta

from django.utils import timezone

from rathaus.accounts.models import CitizenProfile, User
from rathaus.audit.services import record_access
from rathaus.cases.actions import confirm_decision, propose_decision
from rathaus.cases.selectors import cases_of_citizen
from rathaus.cases.submission import submit_application
from rathaus.catalog.registry import definition
from rathaus.forms.services import fill_in, start_draft

from . import data

SERVICE = "hundeanmeldung"
DEMO_IBAN = "DE02 1203 0000 0000 2020 51"  # a valid test IBAN, no real account
POSTCODE, CITY = "42799", "Leichlingen (Rheinland)"


def register_demo_dogs(*, clerk: User, second: User) -> None:
    """The dogs of `data.DOG_HOLDERS` applied for by their holders, decided by `clerk`
    and confirmed by `second` (both of the active authority's Steueramt)."""
    service = definition(SERVICE)
    for number, holder in enumerate(data.DOG_HOLDERS):
        citizen = _holder(number, holder)
        draft = fill_in(draft=start_draft(user=citizen, definition=service),
                        definition=service, pages=_pages(number, holder))
        case = submit_application(user=citizen, draft_id=draft.pk, definition=service)
        propose_decision(case=case, staff=clerk, decision="approve")
        confirm_decision(case=case, staff=second)


def register_citizens_dog(*, citizen: User, clerk: User, second: User) -> None:
    """The demo citizen's own dog (`data.CITIZEN_DOG`), applied for with the address of
    her account and decided like the others. `clerk` opens her case first, which the
    office writes into her access log. Nothing if she has applied for a dog already: a
    later `rathaus setup`, or she tried the dog registration herself."""
    if cases_of_citizen(user=citizen).filter(service_id=SERVICE).exists():
        return
    service = definition(SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service),
                    definition=service, pages=_citizens_pages(citizen, data.CITIZEN_DOG))
    case = submit_application(user=citizen, draft_id=draft.pk, definition=service)
    record_access(staff=clerk, citizen=citizen, what=f"Vorgang {case.reference}", target=case)
    propose_decision(case=case, staff=clerk, decision="approve")
    confirm_decision(case=case, staff=second)


def _citizens_pages(citizen: User, dog: dict) -> list[dict]:
    today, profile = timezone.localdate(), citizen.profile
    return [
        {"first_name": citizen.first_name, "last_name": citizen.last_name,
         "date_of_birth": _german(profile.date_of_birth), "street": profile.street,
         "house_number": profile.house_number, "postcode": profile.postcode,
         "city": profile.city, "dogs_in_household": "1"},
        {key: dog[key] for key in ("dog_name", "breed", "breed_other", "sex", "colour",
                                   "microchip")}
        | {"dog_birth_date": _german(today - timedelta(days=365 * dog["age"] + 30)),
           "taken_in": _german(today - timedelta(days=dog["days"])),
           "previous_municipality": ""},
        {"is_large": "no"},
        {"payment_method": "transfer"},
    ]


def _holder(number: int, holder: dict) -> User:
    """A citizen account without a password: nobody logs in as a demo dog holder."""
    citizen = User.objects.create_user(
        f"hundehalter-{number + 1:02d}@example.org", None, first_name=holder["first_name"],
        last_name=holder["last_name"], kind=User.Kind.CITIZEN, email_verified_at=timezone.now(),
    )
    CitizenProfile.objects.create(user=citizen, date_of_birth=_birth_date(number),
                                  street=holder["street"], house_number=holder["house_number"],
                                  postcode=POSTCODE, city=CITY)
    return citizen


def _pages(number: int, holder: dict) -> list[dict]:
    """The four pages of the Hundeanmeldung as a browser posts them."""
    today = timezone.localdate()
    person = {key: holder[key] for key in ("first_name", "last_name", "street", "house_number")}
    dog = {key: holder[key] for key in ("dog_name", "breed", "breed_other", "sex", "colour")}
    name = f"{holder['first_name']} {holder['last_name']}"
    payment = ({"payment_method": "sepa", "account_holder": name, "iban": DEMO_IBAN,
                "sepa_consent": "on"} if holder["sepa"] else {"payment_method": "transfer"})
    return [
        person | {"date_of_birth": _german(_birth_date(number)), "postcode": POSTCODE,
                  "city": CITY, "dogs_in_household": "1"},
        dog | {"dog_birth_date": _german(today - timedelta(days=365 * holder["age"] + 30)),
               "microchip": f"276098{500000000 + number:09d}",
               "taken_in": _german(today - timedelta(days=holder["days"])),
               "previous_municipality": ""},
        {"is_large": "no"},
        payment,
    ]


def _birth_date(number: int) -> date:
    return date(1950 + 3 * number, 5, 1)


def _german(day: date) -> str:
    return day.strftime("%d.%m.%Y")
