"""Demo dog tax bylaw for the active authority.

The rates are illustrative, in the range of towns like Leichlingen; they are not the
town's actual Hundesteuersatzung.
"""

from datetime import date
from decimal import Decimal

from .models import DogCategory, DogTaxBylaw, InstalmentPlan


def create_demo_dog_tax_bylaw() -> DogTaxBylaw:
    bylaw, _ = DogTaxBylaw.objects.get_or_create(
        valid_from=date(2026, 1, 1),
        defaults={
            "title": "Hundesteuersatzung der Stadt Leichlingen (Demo, Beispielwerte)",
            "rate_first_dog": Decimal("96.00"),
            "rate_second_dog": Decimal("120.00"),
            "rate_each_further_dog": Decimal("150.00"),
            "rate_first_dangerous_dog": Decimal("600.00"),
            "rate_each_further_dangerous_dog": Decimal("750.00"),
            "exempt_categories": [DogCategory.ASSISTANCE.value, DogCategory.RESCUE.value],
            "instalment_plan": InstalmentPlan.QUARTERLY,
        },
    )
    return bylaw
