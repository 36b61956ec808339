"""The species the cadastre knows, looked up by key, botanical or German name. They
change only by migration, so one index per process serves every request; a saved
species (an admin's correction) clears it."""

from django.db.models.signals import post_delete, post_save

from .models import Species

_index: dict[str, Species] | None = None


def _build() -> dict[str, Species]:
    index = {}
    for species in Species.objects.all():
        for name in (species.german_name, species.botanical_name, species.key):
            index[_folded(name)] = species
    return index


def _folded(name: str) -> str:
    return " ".join(str(name).replace("×", "x").split()).casefold()


def all_species() -> list[Species]:
    return sorted({s.pk: s for s in _species_index().values()}.values(),
                  key=lambda s: s.german_name)


def _species_index() -> dict[str, Species]:
    global _index
    if _index is None:
        _index = _build()
    return _index


def find_species(name: str) -> Species | None:
    """The species named by its key, botanical or German name (any case)."""
    if not name:
        return None
    return _species_index().get(_folded(name))


def species_of(key: str) -> Species | None:
    return find_species(key)


def forget_species(**kwargs) -> None:
    global _index
    _index = None


post_save.connect(forget_species, sender=Species, dispatch_uid="trees.forget_species")
post_delete.connect(forget_species, sender=Species, dispatch_uid="trees.forget_species_d")


def ensure_species() -> None:
    """Put back the seeded species a flush removed (tests that truncate tables);
    nothing when they are there."""
    from .species_list import SPECIES

    existing = set(Species.objects.values_list("key", flat=True))
    missing = [Species(key=key, botanical_name=botanical, german_name=german,
                       ageing_from=ageing)
               for key, botanical, german, ageing in SPECIES if key not in existing]
    if missing:
        Species.objects.bulk_create(missing, ignore_conflicts=True)
        forget_species()
