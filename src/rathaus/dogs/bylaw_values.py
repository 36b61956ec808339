"""The dog tax bylaw's values as one authority hands them to another with the
Hundeanmeldung (catalog.bylaw_values): its title, five rates, exemptions and
instalments. Adopting them makes a new version of the adopting authority's bylaw."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.catalog.bylaw_values import BylawValue, register_bylaw_values

from .costs import TAX_REFERENCE
from .dog_tax import NoBylawInForce, bylaw_in_force
from .models import RATE_FIELDS, DogTaxBylaw, InstalmentPlan

MAXIMUM_RATE = Decimal("10000")


class DogTaxBylawValues:
    def values(self) -> tuple[BylawValue, ...]:
        rates = tuple(BylawValue(name, DogTaxBylaw._meta.get_field(name).verbose_name, "amount")
                      for name in RATE_FIELDS)
        return (
            BylawValue("title", gettext_lazy("title of the bylaw"), "text"),
            *rates,
            BylawValue("instalment_plan", gettext_lazy("instalments"), "choice",
                       tuple(InstalmentPlan.choices)),
        )

    def in_force(self, *, on: date) -> dict | None:
        try:
            bylaw = bylaw_in_force(on)
        except NoBylawInForce:
            return None
        return {"title": bylaw.title,
                **{name: str(getattr(bylaw, name)) for name in RATE_FIELDS},
                "exempt_categories": list(bylaw.exempt_categories),
                "instalment_plan": bylaw.instalment_plan}

    def adopt(self, values: dict, *, valid_from: date) -> None:
        fields = {"title": str(values.get("title", "")).strip(),
                  "instalment_plan": values.get("instalment_plan", InstalmentPlan.QUARTERLY),
                  "exempt_categories": values.get("exempt_categories", [])}
        if not fields["title"]:
            raise ValueError(_("Enter the title of the dog tax bylaw."))
        for name in RATE_FIELDS:
            fields[name] = _rate(values.get(name), DogTaxBylaw._meta.get_field(name).verbose_name)
        bylaw = DogTaxBylaw.objects.filter(valid_from=valid_from).first() or DogTaxBylaw(
            valid_from=valid_from)
        for name, value in fields.items():
            setattr(bylaw, name, value)
        try:
            bylaw.full_clean(exclude=["authority"])
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error
        bylaw.save()


def _rate(value, label) -> Decimal:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        rate = None
    if rate is None or not rate.is_finite() or rate < 0 or rate > MAXIMUM_RATE:
        raise ValueError(_("%(label)s: enter an amount in euros between 0 and 10,000.")
                         % {"label": label})
    return rate.quantize(Decimal("0.01"))


register_bylaw_values(TAX_REFERENCE, DogTaxBylawValues())
