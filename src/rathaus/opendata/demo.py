"""Demo open data for Leichlingen: two datasets as staff would upload them, and the
automatic datasets queued for the worker. Locations are plausible, not surveyed."""

import csv
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.accounts.models import User
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from .publish import services
from .publish.tasks import enqueue_refresh

# (street or place, district, lat, lon) near which a dispenser stands.
DISPENSER_SITES = [
    ("Am Büscherhof", "Leichlingen-Mitte", 51.1064, 7.0170),
    ("Brückenstraße", "Leichlingen-Mitte", 51.1052, 7.0199),
    ("Marktstraße", "Leichlingen-Mitte", 51.1071, 7.0153),
    ("Stadtpark, Eingang Wupper", "Leichlingen-Mitte", 51.1043, 7.0127),
    ("Musterweg", "Leichlingen-Mitte", 51.1088, 7.0231),
    ("Unterberg", "Unterberg", 51.1130, 7.0062),
    ("Hasensprung", "Unterberg", 51.1152, 7.0101),
    ("Solinger Straße", "Witzhelden", 51.1225, 7.0956),
    ("Burscheider Straße", "Witzhelden", 51.1201, 7.0894),
    ("Wanderparkplatz Sengbachtalsperre", "Witzhelden", 51.1292, 7.1038),
]

POLLING_STATIONS = [
    ("Grundschule Am Hasensprung", "Hasensprung 12, 42799 Leichlingen", "01", True,
     51.1149, 7.0098),
    ("Rathaus, Sitzungssaal", "Am Büscherhof 1, 42799 Leichlingen", "02", True,
     51.1063, 7.0168),
    ("Städtische Realschule", "Uferstraße 4, 42799 Leichlingen", "03", True,
     51.1037, 7.0188),
    ("Evangelisches Gemeindehaus", "Marktstraße 9, 42799 Leichlingen", "04", False,
     51.1074, 7.0149),
    ("Gemeinschaftsgrundschule Unterberg", "Unterberg 30, 42799 Leichlingen", "05", True,
     51.1126, 7.0057),
    ("Bürgerhaus Witzhelden", "Solinger Straße 5, 42799 Leichlingen", "06", True,
     51.1229, 7.0961),
    ("Feuerwehrgerätehaus Witzhelden", "Burscheider Straße 21, 42799 Leichlingen", "07",
     False, 51.1203, 7.0899),
]


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _dispensers() -> bytes:
    # Seeded: the same demo data on every machine; nothing secret about it.
    spread = random.Random(42799)  # noqa: S311
    rows = []
    for number, (place, district, lat, lon) in enumerate(DISPENSER_SITES * 2, start=1):
        rows.append([f"HKB-{number:03d}", place, district,
                     f"{lat + spread.uniform(-0.0015, 0.0015):.6f}".replace(".", ","),
                     f"{lon + spread.uniform(-0.0025, 0.0025):.6f}".replace(".", ","),
                     f"{spread.randint(1, 28):02d}.{spread.randint(1, 12):02d}."
                     f"{spread.choice([2021, 2022, 2023, 2024, 2025])}",
                     "ja" if number % 9 else "nein"])
    return _csv(["nummer", "standort", "ortsteil", "lat", "lon", "aufgestellt_am",
                 "in_betrieb"], rows)


def _stations() -> bytes:
    return _csv(["bezeichnung", "adresse", "wahlbezirk", "barrierefrei", "lat", "lon"],
                [[n, a, b, "ja" if f else "nein", f"{la:.4f}", f"{lo:.4f}"]
                 for n, a, b, f, la, lo in POLLING_STATIONS])


def _publish(actor, *, name, filename, content, reasons=None, **metadata):
    dataset = services.create_dataset(actor=actor, name=name, **metadata)
    upload = services.receive_upload(dataset=dataset, actor=actor,
                                     file=SimpleUploadedFile(filename, content))
    decisions = {c["name"]: {"public": True, "type": c["type"],
                             "reason": (reasons or {}).get(c["name"], "")}
                 for c in upload.columns}
    services.confirm_upload(upload=upload, actor=actor, decisions=decisions,
                            note="Erstveröffentlichung")
    services.publish(dataset=dataset, actor=actor)


def create_demo_datasets(actor) -> None:
    _publish(
        actor, name="hundekotbeutelspender", filename="hundekotbeutelspender.csv",
        content=_dispensers(), title="Hundekotbeutelspender",
        description="Standorte der Spender für Hundekotbeutel im Stadtgebiet, mit Ortsteil, "
                    "Datum der Aufstellung und Betriebszustand.",
        keywords=["Hunde", "Sauberkeit", "Stadtgrün"], theme="ENVI", frequency="IRREG",
        contact_name="Grünflächen", contact_email="gruenflaechen@leichlingen.example",
    )
    _publish(
        actor, name="wahllokale", filename="wahllokale.csv", content=_stations(),
        title="Wahllokale",
        description="Wahllokale der Stadt mit Wahlbezirk, Anschrift und Angabe zur "
                    "Barrierefreiheit.",
        keywords=["Wahlen", "Barrierefreiheit"], theme="GOVE", frequency="ANNUAL",
        contact_name="Bürgerbüro", contact_email="wahlen@leichlingen.example",
        reasons={"adresse": "Anschriften öffentlicher Gebäude, keine Wohnanschriften",
                 "bezeichnung": "Namen von Gebäuden, nicht von Personen"},
    )


def load_demo_open_data() -> None:
    """Called by the demo loader inside its transaction, after the staff exist."""
    for authority in Authority.objects.all():
        with authority_context(authority):
            if authority.slug == "leichlingen":
                create_demo_datasets(User.objects.get(email="admin@leichlingen.example"))
            enqueue_refresh()
