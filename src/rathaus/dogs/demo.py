"""Demo dog tax bylaw for the active authority.

The rates are illustrative, in the range of towns like Leichlingen; they are not the
town's actual Hundesteuersatzung.
"""

from datetime import date
from decimal import Decimal

from .models import DogCategory, DogTaxBylaw, InstalmentPlan, StreetDistrict


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


# A few streets per part of town, enough for the demo's statistics; a real town loads
# its full street directory (Straßenverzeichnis).
DEMO_STREETS = {
    "Leichlingen-Mitte": ["Am Büscherhof", "Brückenstraße", "Marktstraße", "Musterweg"],
    "Witzhelden": ["Solinger Straße", "Burscheider Straße"],
    "Unterberg": ["Unterberg", "Hasensprung"],
}


def create_demo_street_districts() -> None:
    for district, streets in DEMO_STREETS.items():
        for street in streets:
            StreetDistrict.objects.get_or_create(street=street, defaults={"district": district})
