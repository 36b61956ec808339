"""The check of the vehicle step of "Fahrzeug zulassen" (the definition's `checks:`), in
the citizen's words: the district's vehicle register knows the vehicle, it is new or
used as the citizen said, the hidden security codes match, and a used vehicle's main
inspection (HU) is recent enough.

The form is filled in the town's portal; the register is the district's. As the plate
field does (`field_types.check_plate`), the check finds the district above the town and
asks its register in the district's context. A town whose district is not on this
instance asks nothing here: its portal links to the district instead of offering the
form.

The codes are short, so they could be guessed: wrong codes are counted per citizen
(the rate limit `security_code`, 5 an hour), and once they are used up no code is
compared until the hour ends. The field types have already checked the formats; the
salted hashes are compared once per sending of the step, last, after every cheap check.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import authority_context
from rathaus.forms.checks import answer_check
from rathaus.rate_limits.limiter import count_failure, failures_exhausted
from rathaus.rate_limits.responses import wait_text

from .field_types import plate_district
from .vehicle_register import UnknownVehicle, WrongSecurityCode, vehicle_register

CODE_LIMIT = "security_code"
# The HU is due every two years for a car (§ 29 StVZO, Anlage VIII); a used vehicle is
# registered again only with a valid one.
HU_INTERVAL_YEARS = 2


def hu_overdue(inspected: date, *, today: date) -> bool:
    """Whether a main inspection on `inspected` is more than two years before `today`."""
    try:
        due = inspected.replace(year=inspected.year + HU_INTERVAL_YEARS)
    except ValueError:  # 29 February: due on 1 March
        due = date(inspected.year + HU_INTERVAL_YEARS, 3, 1)
    return due < today


def _inspection_problem(answers: dict) -> dict:
    if answers.get("registration_kind") != "used" or not answers.get("last_inspection"):
        return {}
    inspected = date.fromisoformat(answers["last_inspection"])
    if not hu_overdue(inspected, today=timezone.localdate()):
        return {}
    return {"last_inspection": _(
        "HU overdue: the last main inspection on %(date)s was more than two years ago. "
        "Have the vehicle inspected first (TÜV, DEKRA or another testing organisation), "
        "then register it with the date of the new inspection.")
        % {"date": inspected.strftime("%d.%m.%Y")}}


def _kind_problem(answers: dict, plate: str) -> dict:
    kind = answers.get("registration_kind")
    if kind == "new" and plate:
        return {"registration_kind": _(
            "This vehicle is registered already. Choose “A used vehicle that was "
            "registered before” and enter the codes of part I and of the plate's seal as "
            "well.")}
    if kind == "used" and not plate:
        return {"registration_kind": _(
            "This vehicle has never been registered. Choose “A new vehicle that was never "
            "registered”.")}
    return {}


def _code_problem(register, answers: dict, *, account: str) -> dict:
    """Compares the codes, unless this citizen has guessed wrong too often."""
    used = answers.get("registration_kind") == "used"
    refusal = failures_exhausted(CODE_LIMIT, account=account)
    if refusal is not None:
        return {"certificate_code": _(
            "You have entered wrong security codes too often. For your protection we do "
            "not check any more codes for now. %(wait)s")
            % {"wait": wait_text(refusal.retry_after)}}
    try:
        register.check_codes(vin=answers["vin"], certificate_code=answers["certificate_code"],
                             part_one_code=answers.get("part_one_code") or "",
                             seal_code=answers.get("seal_code") or "")
    except WrongSecurityCode:
        count_failure(CODE_LIMIT, account=account)
        # Never which code is wrong: that would tell a guesser which one to keep.
        if used:
            return {"certificate_code": _(
                "The security codes do not match this vehicle. Check the codes of part II, "
                "of part I and of the plate's seal, character by character.")}
        return {"certificate_code": _(
            "The security code does not match this vehicle. Check it character by "
            "character.")}
    return {}


@answer_check("vehicles.vehicle", per_applicant=True)
def vehicle(answers: dict, *, applicant_id=None) -> dict:
    district = plate_district()
    if district is None:
        return {}
    problems = _inspection_problem(answers)
    if problems:
        return problems
    with authority_context(district):
        register = vehicle_register()
        try:
            facts = register.facts(vin=answers["vin"],
                                   certificate_number=answers["certificate_number"])
        except UnknownVehicle:
            return {"vin": _(
                "The vehicle register knows no vehicle with this vehicle identification "
                "number and this certificate number. Check both against the registration "
                "certificate part II.")}
        problems = _kind_problem(answers, facts.plate)
        if problems:
            return problems
        return _code_problem(register, answers, account=f"user:{applicant_id}")
