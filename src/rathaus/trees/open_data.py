"""The tree cadastre's automatic dataset "baeume": one row per tree standing, with its
number, species (German and botanical), planting year, height, crown diameter, street
and place (WGS 84; lon/lat make it an OGC API – Features collection too).

Only the attributes the tree kind marks public; never the condition, the traffic
expectation, inspections, findings or names of staff. An import tells the publishing
layer at once (`figures_changed` in its transaction); inspections and single edits
follow with the hourly refresh, which is enough for a dataset published weekly.
"""

from rathaus.assets.models import Asset
from rathaus.publication.producers import Column, Produced, automatic_dataset

from .species import all_species

DATASET = "baeume"
COLUMNS = [
    Column("nummer", "text"),
    Column("baumart", "text"),
    Column("botanischer_name", "text", reason="Der wissenschaftliche Name einer Baumart "
                                              "(z. B. Tilia cordata), nicht einer Person."),
    Column("pflanzjahr", "integer"),
    Column("hoehe_m", "decimal"),
    Column("kronendurchmesser_m", "decimal"),
    Column("strasse", "text", reason="Die Straße, an der ein Straßenbaum steht, ohne "
                                     "Hausnummer: keine Anschrift einer Person."),
    Column("lon", "decimal", role="lon"),
    Column("lat", "decimal", role="lat"),
]


def _standing():
    return Asset.objects.filter(kind="tree").exclude(status=Asset.Status.REMOVED)


def _any_tree() -> bool:
    return _standing().exists()


@automatic_dataset(
    name=DATASET,
    title="Baumkataster",
    description=(
        "Die Bäume im Baumkataster der Kommune (Straßen- und Parkbäume) mit Nummer, "
        "Baumart (deutsch und botanisch), Pflanzjahr, Höhe und Kronendurchmesser in "
        "Metern, Straße und Lage (WGS 84). Die Bäume werden nach der FLL-"
        "Baumkontrollrichtlinie regelmäßig kontrolliert; Kontrollergebnisse sind nicht "
        "Teil des Datensatzes."
    ),
    theme="ENVI", keywords=("Bäume", "Baumkataster", "Straßenbäume", "Umwelt", "Stadtgrün"),
    frequency="WEEKLY", applies=_any_tree,
)
def trees() -> Produced:
    species = {s.key: s for s in all_species()}
    return Produced(columns=COLUMNS, rows=_rows(species))


def _rows(species):
    for number, key, lon, lat, attributes in _standing().order_by("number").values_list(
            "number", "type", "lon", "lat", "attributes").iterator(chunk_size=2000):
        known = species.get(key)
        yield {
            "nummer": number,
            "baumart": known.german_name if known else key,
            "botanischer_name": known.botanical_name if known else None,
            "pflanzjahr": attributes.get("planting_year"),
            "hoehe_m": attributes.get("height"),
            "kronendurchmesser_m": attributes.get("crown_diameter"),
            "strasse": attributes.get("street") or None,
            "lon": lon,
            "lat": lat,
        }
