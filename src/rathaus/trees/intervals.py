"""When a tree is inspected next, after the FLL Baumkontrollrichtlinie (2010 edition,
as DOMAIN.md quotes its table).

The age phase is the inspector's assessment when there is one, else it follows from
the planting year: young for the first 15 years, ageing from the species' usual
ageing age, mature in between. The interval then depends on the phase, the tree's
condition and the traffic expected at its site:

    condition  phase            low/medium traffic   high traffic
    healthy    young, mature    3 years              2 years
    healthy    ageing           2 years              1 year
    damaged    any              1 year               1 year

The FLL table has no row for young trees; they are planned like mature ones (the
FLL asks for the same regular visual inspection, and a young tree is less likely to
fail than a mature one, so this is on the safe side of "young trees need less").
"""

from datetime import date

from .species import species_of

YOUNG, MATURE, AGEING = "young", "mature", "ageing"
HEALTHY, DAMAGED = "healthy", "damaged"
LOW, MEDIUM, HIGH = "low", "medium", "high"
YOUNG_YEARS = 15
DEFAULT_AGEING_FROM = 60


def age_phase(*, planting_year: int | None, assessed: str | None, ageing_from: int,
              today: date) -> str:
    """The inspector's assessment, else young/mature/ageing by age. Without a planting
    year and an assessment the tree counts as mature (the commonest phase)."""
    if assessed in (YOUNG, MATURE, AGEING):
        return assessed
    if planting_year is None:
        return MATURE
    age = today.year - int(planting_year)
    if age < YOUNG_YEARS:
        return YOUNG
    if age >= ageing_from:
        return AGEING
    return MATURE


def interval_years(*, phase: str, condition: str | None, traffic: str | None) -> int:
    """Years until the next regular inspection (the table above). An unknown condition
    counts as healthy (a new tree before its first inspection), an unknown traffic
    expectation as high (on the safe side)."""
    if condition == DAMAGED:
        return 1
    high = traffic not in (LOW, MEDIUM)
    if phase == AGEING:
        return 1 if high else 2
    return 2 if high else 3  # mature, and young like mature (no FLL row)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def regular_due(attributes: dict, ageing_from: int, today: date) -> date:
    phase = age_phase(planting_year=attributes.get("planting_year"),
                      assessed=attributes.get("age_phase"), ageing_from=ageing_from,
                      today=today)
    years = interval_years(phase=phase, condition=attributes.get("condition"),
                           traffic=attributes.get("traffic_expectation"))
    return years_after(today, years)


def next_inspections(asset, inspection, today: date) -> dict[str, date]:
    """The kind's rule (assets.kinds): a new tree and a regular inspection plan the next
    regular one from `today`; a storm or occasional inspection brings it forward
    when what it found asks for an earlier date, and leaves it otherwise."""
    species = species_of(asset.type)
    ageing_from = species.ageing_from if species else DEFAULT_AGEING_FROM
    due = regular_due(asset.attributes, ageing_from, today)
    if inspection is None or inspection.kind == "regular":
        return {"regular": due}
    from rathaus.assets.models import ScheduledInspection

    planned = (ScheduledInspection.objects.filter(asset=asset, kind="regular")
               .values_list("due_on", flat=True).first())
    return {"regular": min(due, planned) if planned else due}
