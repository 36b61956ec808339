"""Reading the resident register."""

from django.db.models import QuerySet

from .models import Dwelling, Person, Residence, ResidenceKind


def current_main_residence(person: Person) -> Residence | None:
    return (person.residences.select_related("dwelling")
            .filter(kind=ResidenceKind.MAIN, moved_out__isnull=True).first())


def current_address(person: Person) -> Dwelling | None:
    """Where the person lives now: their main residence in the town, or None (they live
    here only in a secondary residence, or have moved away)."""
    residence = current_main_residence(person)
    return residence.dwelling if residence else None


def address_history(person: Person) -> list[Residence]:
    """Every residence of the person, main and secondary, the oldest first."""
    return list(person.residences.select_related("dwelling").order_by("moved_in", "pk"))


def persons_at(dwelling: Dwelling) -> QuerySet[Person]:
    """The persons who live in the dwelling now, in a main or a secondary residence."""
    return Person.objects.filter(residences__dwelling=dwelling,
                                 residences__moved_out__isnull=True).distinct()
