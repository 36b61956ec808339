"""The demo's cadastres: who keeps them and which teams do the work."""

from rathaus.authorities.models import Department

from .models import Cadastre, Team

# (cadastre, department slug, team name)
CADASTRES = (
    ("trees", "gruenflaechen", "Baumpflege"),
    ("playgrounds", "gruenflaechen", "Spielplatzkolonne"),
    ("cemeteries", "friedhofsverwaltung", "Friedhofsgärtner"),
)


def set_up_demo_cadastres() -> None:
    """The trees and playgrounds cadastres kept by the Grünflächen, each with a team.
    Adds only what is missing."""
    for name, department_slug, team_name in CADASTRES:
        department = Department.objects.get(slug=department_slug)
        Cadastre.objects.get_or_create(name=name, defaults={"department": department})
        if not Team.objects.filter(name=team_name).exists():
            Team.objects.create(department=department, name=team_name, cadastres=[name])
