"""Who performs a service for a resident (Zuständigkeit), as data: each service says
which kind of authority performs it, each town knows the district above it, and the
resident's address says which town they live in.

A district (Kreis) on this instance performs its services for the residents of its
towns; a town whose district is elsewhere knows only the district's name and the
address of its online services, so its portal links there instead of offering a form.
"""

from dataclasses import dataclass

from .models import Authority

MUNICIPALITY, DISTRICT = Authority.Kind.MUNICIPALITY, Authority.Kind.DISTRICT


class NoResponsibleAuthority(Exception):
    """The address lies in no town of this instance, or a district was asked for a
    town's service (a district has many towns: the address must name one)."""


@dataclass(frozen=True)
class Responsibility:
    authority: Authority | None  # performs the service, on this instance
    name: str  # for the sentence "Zuständig ist …"
    url: str = ""  # its online services, when it is not on this instance

    @property
    def sentence_name(self) -> str:
        """Its name as a sentence's subject ("der Rheinisch-Bergische Kreis")."""
        return self.authority.sentence_name if self.authority else self.name

    @property
    def on_this_instance(self) -> bool:
        return self.authority is not None


def _city(text: str) -> str:
    """"Leichlingen (Rheinland)" and "Leichlingen" name the same town."""
    return " ".join(text.split(" (")[0].split()).casefold()


def home_authority(*, city: str) -> Authority | None:
    """The town of this instance a resident of `city` lives in."""
    wanted = _city(city)
    if not wanted:
        return None
    return next((a for a in Authority.objects.filter(kind=MUNICIPALITY)
                 if wanted in (_city(a.city), _city(a.short_name))), None)


def responsible_for(*, performed_by: str, home: Authority) -> Responsibility:
    """Who performs a service of the kind `performed_by` for a resident of `home`."""
    if performed_by == home.kind:
        return Responsibility(home, home.name)
    if performed_by == DISTRICT and home.kind == MUNICIPALITY:
        if home.parent is not None:
            return Responsibility(home.parent, home.parent.name)
        if home.parent_name:
            return Responsibility(None, home.parent_name, home.parent_url)
    raise NoResponsibleAuthority(f"{home} has no {performed_by} for this service.")


def responsible_for_address(*, performed_by: str, city: str) -> Responsibility:
    """Who performs the service for a resident living in `city`."""
    home = home_authority(city=city)
    if home is None:
        raise NoResponsibleAuthority(f"No town of this instance is called {city!r}.")
    return responsible_for(performed_by=performed_by, home=home)
