"""What the dog tax costs, for the service page and the summary of the Hundeanmeldung.

Registered in the catalog's costs registry under the definition's `tax_reference`
("hundesteuer"). The rates come from the authority's bylaw in force, and the estimate
from the same function that the tax notice uses (`dog_registration.assessment_from_answers`),
so the summary never promises another amount than the notice sets.
"""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.catalog.costs import Cost, Estimate, Tariff, register_costs_provider

from .dog_registration import (
    assessment_from_answers,
    category_from_answers,
    position_from_answers,
)
from .dog_tax import ZERO, NoBylawInForce, bylaw_in_force, liability_start, yearly_rate
from .models import DogCategory, DogTaxBylaw, InstalmentPlan

TAX_REFERENCE = "hundesteuer"


def _rate_rows(bylaw: DogTaxBylaw) -> list[tuple[str, str, int, object]]:
    """(label, category, position in the household, rate) for each rate of the bylaw."""
    return [
        (_("First dog"), DogCategory.STANDARD, 1, bylaw.rate_first_dog),
        (_("Second dog"), DogCategory.STANDARD, 2, bylaw.rate_second_dog),
        (_("Each further dog"), DogCategory.STANDARD, 3, bylaw.rate_each_further_dog),
        (_("First dangerous dog (§ 3 or § 10 LHundG NRW)"), DogCategory.DANGEROUS, 1,
         bylaw.rate_first_dangerous_dog),
        (_("Each further dangerous dog"), DogCategory.DANGEROUS, 2,
         bylaw.rate_each_further_dangerous_dog),
    ]


def _rate_label(bylaw: DogTaxBylaw, *, category: str, position: int) -> str:
    rows = [row for row in _rate_rows(bylaw) if row[1] == category]
    return next((label for label, _c, place, _r in reversed(rows) if position >= place),
                rows[0][0])


def _charging_notes(bylaw: DogTaxBylaw) -> tuple[str, ...]:
    return (
        _("The tax is charged by month: from the first day of the month after the dog came "
          "to you to the end of the month in which it leaves you."),
        _("Due: %(plan)s.") % {"plan": InstalmentPlan(bylaw.instalment_plan).label},
    )


class DogTaxCosts:
    def tariff(self, *, on: date) -> Tariff | None:
        try:
            bylaw = bylaw_in_force(on)
        except NoBylawInForce:
            return None
        rows = [Cost(label, rate) for label, _category, _place, rate in _rate_rows(bylaw)]
        rows += [Cost(str(DogCategory(category).label), ZERO, note=_("tax-free"))
                 for category in bylaw.exempt_categories]
        return Tariff(
            caption=_("Dog tax per year"), label_heading=_("Dog"),
            amount_heading=_("Per year"), rows=tuple(rows),
            notes=_charging_notes(bylaw), source=bylaw.title,
        )

    def estimate(self, *, answers: dict, on: date) -> Estimate | None:
        try:
            bylaw = bylaw_in_force(on)
            category = category_from_answers(answers)
            position = position_from_answers(answers)
            yearly = yearly_rate(bylaw, dog_category=category, position_in_household=position)
        except (NoBylawInForce, ValueError):
            return None
        label = _rate_label(bylaw, category=category, position=position)
        lines = [Cost(_("Dog tax per year (%(rate)s)") % {"rate": label}, yearly)]
        try:
            assessment = assessment_from_answers(answers, on=on)
        except (KeyError, TypeError, ValueError):  # no valid date of taking the dog in yet
            assessment = None
        if assessment is not None and assessment.months:
            lines.append(Cost(
                ngettext("For %(year)s: %(months)s month from %(start)s",
                         "For %(year)s: %(months)s months from %(start)s",
                         assessment.months) % {
                    "year": assessment.year, "months": assessment.months,
                    "start": f"{assessment.liable_from:%d.%m.%Y}"},
                assessment.amount))
        elif assessment is not None:
            start = liability_start(assessment.taken_in)
            lines.append(Cost(
                _("For %(year)s: no tax; it starts on %(start)s") % {
                    "year": assessment.year,
                    "start": f"{start:%d.%m.%Y}"},
                assessment.amount))
        notes = (_("The tax notice gives the exact amounts and when they are due. "
                   "The amounts follow from your answers and the %(bylaw)s.")
                 % {"bylaw": bylaw.title},)
        return Estimate(lines=tuple(lines), notes=notes)


register_costs_provider(TAX_REFERENCE, DogTaxCosts())
