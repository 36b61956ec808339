"""The cemeteries' open data: free graves per cemetery and grave type, confirmed burials
per year, cemetery, kind and grave type with counts below 3 suppressed, and nothing
that names a person, a grave or a day."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import services
from rathaus.cemeteries.models import Burial, BurialKind, Grave, GraveKind
from rathaus.cemeteries.open_data import (
    BURIALS_DATASET,
    FREE_GRAVES_DATASET,
    burial_rows,
    free_grave_rows,
)
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.publication.producers import producer
from tests.cemeteries.conftest import HOLDER, deceased

# The dead of the fixture: none of them may appear anywhere in the open data.
NAMES = ("Wilhelmine", "Geheimnisvoll", "Heinrich", "Beispiel", "Margarete", "Ottilie",
         "Verborgen")


def _historic(grave: Grave, *, year: int, kind: str, first: str, last: str) -> Burial:
    """A burial from the register of earlier years, entered confirmed."""
    grave.state = Grave.State.OCCUPIED
    grave.save(update_fields=["state"])
    return Burial.objects.create(
        grave=grave, kind=kind, first_name=first, last_name=last,
        born_on=date(1930, 2, 3), died_on=date(year, 3, 1),
        buried_at=datetime(year, 3, 10, 11, 0, tzinfo=UTC), rest_ends_on=date(year + 20, 3, 10),
        state=Burial.State.CONFIRMED)


@pytest.fixture
def burials(cemetery_world, town):
    """2024: four urn burials in urn graves of choice (two graves, two each) and one
    coffin burial in a row grave; 2025: one urn burial in a tree grave; this year's
    booking confirmed through the services (a second row grave); one booking that is
    never confirmed."""
    world = cemetery_world
    graves = world["graves"]
    with authority_context(town):
        for index, grave in enumerate(graves[GraveKind.URN_CHOICE] * 2):
            _historic(grave, year=2024, kind=BurialKind.URN, first="Wilhelmine",
                      last=f"Geheimnisvoll{index}")
        _historic(graves[GraveKind.ROW][0], year=2024, kind=BurialKind.COFFIN,
                  first="Ottilie", last="Verborgen")
        _historic(graves[GraveKind.TREE][0], year=2025, kind=BurialKind.URN,
                  first="Wilhelmine", last="Verborgen")
        buried_at = timezone.now() + timedelta(days=3)
        services.book_burial(actor=world["clerk"], grave=graves[GraveKind.ROW][1],
                             case_reference="FH-2026-1", kind=BurialKind.COFFIN,
                             deceased=deceased(), buried_at=buried_at)
        services.confirm_burial(case_reference="FH-2026-1", holder=HOLDER,
                                consent_grave_search=True)
        services.book_burial(actor=world["clerk"], grave=graves[GraveKind.CHOICE][0],
                             case_reference="FH-2026-2", kind=BurialKind.URN,
                             deceased=deceased(first="Margarete"), buried_at=buried_at)
    return {**world, "year": timezone.localtime(buried_at).year}


def _csv(name: str) -> tuple[str, list[dict]]:
    response = Client().get(f"/daten/{name}/download.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return text, list(csv.DictReader(io.StringIO(text)))


def test_no_cemetery_no_dataset(town):
    with authority_context(town):
        assert not producer(FREE_GRAVES_DATASET).applies()
        assert not producer(BURIALS_DATASET).applies()


def test_free_graves_per_cemetery_and_grave_type(burials, town):
    with authority_context(town):
        rows = {row["grabart"]: row for row in free_grave_rows()}
    assert set(rows) == {"Reihengrab", "Wahlgrab", "Urnenreihengrab", "Urnenwahlgrab",
                         "Anonymes Urnenfeld", "Baumbestattung"}
    assert all(row["friedhof"] == "Testfriedhof" for row in rows.values())
    counts = {kind: row["freie_grabstellen"] for kind, row in rows.items()}
    # Two graves of each type; occupied, booked or reserved ones are not free.
    assert counts == {"Reihengrab": 0, "Wahlgrab": 1, "Urnenreihengrab": 2,
                      "Urnenwahlgrab": 0, "Anonymes Urnenfeld": 2, "Baumbestattung": 1}


def test_burials_per_year_with_small_counts_suppressed(burials, town):
    with authority_context(town):
        rows = burial_rows()
    figures = {(r["jahr"], r["bestattungsart"], r["grabart"]): r["bestattungen"] for r in rows}
    assert figures == {
        (2024, "Urnenbeisetzung", "Urnenwahlgrab"): 4,
        (2024, "Erdbestattung", "Reihengrab"): None,  # one: suppressed
        (2025, "Urnenbeisetzung", "Baumbestattung"): None,
        (burials["year"], "Erdbestattung", "Reihengrab"): None,  # the booking is not counted
    }
    assert {r["friedhof"] for r in rows} == {"Testfriedhof"}


def test_the_published_files_name_nobody_and_no_day(burials, town):
    with authority_context(town):
        refresh_automatic_datasets()
    texts = []
    for name in (FREE_GRAVES_DATASET, BURIALS_DATASET):
        text, rows = _csv(name)
        assert rows, name
        texts.append(text)
    free_text, burial_text = texts
    assert list(csv.DictReader(io.StringIO(burial_text)).fieldnames) == [
        "jahr", "friedhof", "bestattungsart", "grabart", "bestattungen"]
    for text in texts:
        for name in NAMES:
            assert name not in text
        assert "A-1-1" not in text and "NR-" not in text  # no grave, no certificate
        assert "-03-10" not in text and "10.03." not in text  # no day of a burial
        assert "Am Hang" not in text and "42799" not in text  # no holder's address
    suppressed = [row for row in csv.DictReader(io.StringIO(burial_text))
                  if row["jahr"] == "2025"]
    assert suppressed and suppressed[0]["bestattungen"] == ""


def test_a_confirmed_burial_moves_the_figures_at_once(cemetery_world, town):
    world = cemetery_world

    def free_urn_row_graves() -> str:
        return next(row["freie_grabstellen"] for row in _csv(FREE_GRAVES_DATASET)[1]
                    if row["grabart"] == "Urnenreihengrab")

    with authority_context(town):
        refresh_automatic_datasets()
        assert free_urn_row_graves() == "2"
        services.book_burial(actor=world["clerk"], grave=world["graves"][GraveKind.URN_ROW][0],
                             case_reference="FH-2026-9", kind=BurialKind.URN,
                             deceased=deceased(), buried_at=timezone.now() + timedelta(days=2))
        services.confirm_burial(case_reference="FH-2026-9", holder=HOLDER)
        assert free_urn_row_graves() == "1"
