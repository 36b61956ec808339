"""The district's plate register: a plate is free until assigned or reserved; a
reservation holds 90 days; the town's form asks the district's register live."""

from datetime import date, timedelta

import pytest
from django import forms as django_forms

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.definitions import Field
from rathaus.forms.field_types import form_field
from rathaus.vehicles.identifiers import parse_plate
from rathaus.vehicles.models import PlateEntry
from rathaus.vehicles.plates import PlateTaken, plate_is_free, reserve_plate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)


@pytest.fixture
def kreis(db):
    return Authority.objects.create(slug="rbk", name="Rheinisch-Bergischer Kreis",
                                    short_name="Rhein.-Berg. Kreis", kind="district",
                                    municipality_key="05378")


@pytest.fixture
def leichlingen(kreis):
    return Authority.objects.create(slug="leichlingen", name="Stadt Leichlingen",
                                    short_name="Leichlingen", city="Leichlingen",
                                    parent=kreis)


def plate(text="GL-AB 123"):
    return parse_plate(text, sign="GL")


def test_a_reserved_plate_is_taken_for_ninety_days(kreis):
    with authority_context(kreis):
        assert plate_is_free(plate(), on=TODAY)
        entry = reserve_plate(plate(), reference="36.10-2026-1", on=TODAY)
        assert entry.reserved_until == TODAY + timedelta(days=90)
        assert not plate_is_free(plate(), on=TODAY + timedelta(days=90))
        assert plate_is_free(plate(), on=TODAY + timedelta(days=91))


def test_a_plate_is_reserved_for_one_application_only(kreis):
    with authority_context(kreis):
        reserve_plate(plate(), reference="A", on=TODAY)
        assert reserve_plate(plate(), reference="A", on=TODAY).holder_reference == "A"
        with pytest.raises(PlateTaken):
            reserve_plate(plate(), reference="B", on=TODAY)
        reserve_plate(plate(), reference="B", on=TODAY + timedelta(days=91))
        assert PlateEntry.objects.get().holder_reference == "B"


def test_an_assigned_plate_never_becomes_free(kreis):
    with authority_context(kreis):
        PlateEntry.objects.create(key="GLAB123", state=PlateEntry.State.ASSIGNED)
        assert not plate_is_free(plate(), on=TODAY + timedelta(days=3650))
        with pytest.raises(PlateTaken):
            reserve_plate(plate(), reference="C", on=TODAY)


def _plate_field():
    spec = Field(id="plate", type="plate", label={"de": "Wunschkennzeichen"},
                 errors={"required": {"de": "Geben Sie das Kennzeichen ein."}})
    return form_field(spec, required=True)


def test_the_towns_form_asks_the_districts_register(kreis, leichlingen):
    with authority_context(kreis):
        PlateEntry.objects.create(key="GLAB123", state=PlateEntry.State.ASSIGNED)
    with authority_context(leichlingen):
        field = _plate_field()
        assert field.clean("gl ab 124") == "GL-AB 124"
        with pytest.raises(django_forms.ValidationError) as taken:
            field.clean("GL-AB 123")
        with pytest.raises(django_forms.ValidationError) as forbidden:
            field.clean("GL-SS 1")
    assert "vergeben" in str(taken.value.messages[0])
    assert "§ 8 FZV" in str(forbidden.value.messages[0])


def test_anyone_can_ask_whether_a_plate_is_free(kreis, leichlingen, client):
    from rathaus.authorities.models import AuthorityHost

    AuthorityHost.objects.create(authority=leichlingen, host="leichlingen.localhost")
    with authority_context(kreis):
        PlateEntry.objects.create(key="GLAB123", state=PlateEntry.State.ASSIGNED)
    host = {"HTTP_HOST": "leichlingen.localhost"}
    page = client.get("/kennzeichen/", {"kennzeichen": "gl ab 12"}, **host)
    assert "GL-AB 12 ist frei" in page.content.decode()
    page = client.get("/kennzeichen/", {"kennzeichen": "GL-AB 123"}, **host)
    assert "schon vergeben" in page.content.decode()
    page = client.get("/kennzeichen/", {"kennzeichen": "GL-KZ 1"}, **host)
    assert "§ 8 FZV" in page.content.decode()
    assert "Rheinisch-Bergischer Kreis" in client.get("/kennzeichen/", **host).content.decode()
