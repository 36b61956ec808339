"""The registry of automatic datasets: data the platform produces itself.

An app that wants its figures published registers a producer:

    from rathaus.publication.producers import Column, Produced, automatic_dataset

    @automatic_dataset(
        name="baeume", title="Baumkataster", theme="ENVI", keywords=("Bäume",),
        description="…", frequency="WEEKLY",
        applies=lambda: Tree.objects.exists(),       # optional: which authorities
    )
    def trees() -> Produced:
        return Produced(columns=[Column("art", "text"), Column("lon", "decimal", role="lon"),
                                 Column("lat", "decimal", role="lat")],
                        rows=({"art": t.species, "lon": t.lon, "lat": t.lat} for t in …))

Put it in the app's `open_data.py`: the publication app imports every app's
`open_data` module at start-up. The function runs with the authority active and
returns every row; `rows` may be a generator. All declared columns are published, so
declare only public figures: a column that looks personal (opendata's privacy guard)
needs a `reason`, and counts below 3 must already be suppressed
(`small_counts.suppress_small_counts`). The publishing layer (opendata) runs every
producer and stores a new version whenever the rows changed; send
`signals.figures_changed` in the transaction of a change that alters the figures.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # models.ColumnType
    role: str = ""  # "lon"/"lat" for point coordinates
    reason: str = ""  # why a personal-looking column is not personal


@dataclass(frozen=True)
class Produced:
    columns: list[Column]
    rows: Iterable[dict]


@dataclass(frozen=True)
class Producer:
    name: str
    title: str
    description: str
    theme: str
    produce: Callable[[], Produced]
    keywords: tuple[str, ...] = ()
    frequency: str = "DAILY"
    applies: Callable[[], bool] = field(default=lambda: True)


_producers: dict[str, Producer] = {}


def automatic_dataset(*, name: str, title: str, description: str, theme: str,
                      keywords: Iterable[str] = (), frequency: str = "DAILY",
                      applies: Callable[[], bool] | None = None):
    def register(function: Callable[[], Produced]) -> Callable[[], Produced]:
        if name in _producers and _producers[name].produce is not function:
            raise ValueError(f"An automatic dataset named {name!r} is already registered.")
        _producers[name] = Producer(
            name=name, title=title, description=description, theme=theme, produce=function,
            keywords=tuple(keywords), frequency=frequency,
            applies=applies or (lambda: True),
        )
        return function

    return register


def producers() -> list[Producer]:
    return list(_producers.values())


def producer(name: str) -> Producer | None:
    return _producers.get(name)
