"""What the Friedhofsverwaltung's lists and plans read (cemeteries.selectors): free
graves by type, rights and rest periods ending, graves to clear, a field's plan in one
query, and that the lists naming holders are refused to other departments."""

from datetime import datetime, timedelta
from datetime import time as clock

import pytest
from django.utils import timezone

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import selectors, services
from rathaus.cemeteries.models import Burial, Grave, GraveKind, RightOfUse
from rathaus.cemeteries.office_plan import field_plan_svg
from rathaus.cemeteries.rules import add_years
from tests.cemeteries.conftest import HOLDER
from tests.factories import make_staff


def _right(world, kind, index=0, *, ends_in_days):
    grave = world["graves"][kind][index]
    ends_on = timezone.localdate() + timedelta(days=ends_in_days)
    right = services.grant_right(actor=world["clerk"], grave=grave, holder=HOLDER,
                                 starts_on=add_years(ends_on, -world["types"][kind].right_years))
    RightOfUse.objects.filter(pk=right.pk).update(ends_on=ends_on)
    return right


def _burial(grave, *, rest_ends_in_days, state=Burial.State.CONFIRMED, right=None,
            last_name="Beispiel"):
    buried = timezone.make_aware(datetime.combine(timezone.localdate(), clock(10)))
    return Burial.objects.create(
        grave=grave, right=right, kind="urn", first_name="Heinrich", last_name=last_name,
        died_on=timezone.localdate(), buried_at=buried,
        rest_ends_on=timezone.localdate() + timedelta(days=rest_ends_in_days), state=state)


def _ended_and_occupied(world, kind, index=0, *, rest_ends_in_days):
    """A grave whose right has ended, with a burial whose rest ends as given."""
    right = _right(world, kind, index, ends_in_days=-10)
    RightOfUse.objects.filter(pk=right.pk).update(state=RightOfUse.State.ENDED)
    grave = right.grave
    Grave.objects.filter(pk=grave.pk).update(state=Grave.State.OCCUPIED)
    _burial(grave, rest_ends_in_days=rest_ends_in_days, right=right)
    return grave


def test_free_graves_are_counted_by_cemetery_and_type(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        _right(world, GraveKind.CHOICE, ends_in_days=400)
        counts = selectors.free_graves_by_type(cadastre=world["cadastre"])
    free = counts[world["cemetery"].pk]
    assert free[GraveKind.CHOICE] == 1
    assert free[GraveKind.ROW] == 2 and free[GraveKind.TREE] == 2


def test_rights_ending_within_twelve_months_soonest_first(cemetery_world, town):
    world = cemetery_world
    today = timezone.localdate()
    with authority_context(town):
        later = _right(world, GraveKind.CHOICE, 0, ends_in_days=200)
        sooner = _right(world, GraveKind.URN_CHOICE, 0, ends_in_days=20)
        _right(world, GraveKind.TREE, 0, ends_in_days=400)  # beyond the twelve months
        page = selectors.rights_ending(actor=world["clerk"], cadastre=world["cadastre"],
                                       today=today)
        count = selectors.count_rights_ending(actor=world["clerk"],
                                              cadastre=world["cadastre"], today=today)
    assert [row["number"] for row in page.rows] == [sooner.number, later.number]
    assert count == 2
    first = page.rows[0]
    assert first["grave_number"] == sooner.grave.asset.number
    assert first["holder_name"] == HOLDER.name
    assert first["field_name"] == "Feld A" and first["cemetery_name"] == "Testfriedhof"
    assert first["written"] is False
    assert not page.has_next


def test_the_lists_naming_holders_are_refused_to_other_departments(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        other = Department.objects.create(slug="bauamt", name="Bauamt")
    stranger, _device = make_staff(town, departments=[other], email="bau@leichlingen.example")
    with authority_context(town):
        for selector in (selectors.rights_ending, selectors.rest_periods_ending,
                         selectors.graves_to_clear):
            with pytest.raises(NotPermitted):
                selector(actor=stranger, cadastre=world["cadastre"],
                         today=timezone.localdate())
        with pytest.raises(NotPermitted):
            selectors.grave_detail(actor=stranger, grave=world["graves"][GraveKind.ROW][0])


def test_rest_periods_ending_lists_confirmed_burials_only(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        graves = world["graves"][GraveKind.URN_CHOICE]
        _burial(graves[0], rest_ends_in_days=100, last_name="Bald")
        _burial(graves[1], rest_ends_in_days=500, last_name="Später")
        _burial(graves[1], rest_ends_in_days=50, state=Burial.State.BOOKED,
                last_name="Gebucht")
        page = selectors.rest_periods_ending(actor=world["clerk"],
                                             cadastre=world["cadastre"],
                                             today=timezone.localdate())
    assert [row["last_name"] for row in page.rows] == ["Bald"]


def test_graves_to_clear_once_the_right_has_ended_and_the_rest_is_over(cemetery_world, town):
    world = cemetery_world
    today = timezone.localdate()
    with authority_context(town):
        over = _ended_and_occupied(world, GraveKind.CHOICE, 0, rest_ends_in_days=-1)
        _ended_and_occupied(world, GraveKind.CHOICE, 1, rest_ends_in_days=30)  # resting
        active = _right(world, GraveKind.URN_CHOICE, 0, ends_in_days=-5)  # not ended yet
        Grave.objects.filter(pk=active.grave_id).update(state=Grave.State.OCCUPIED)
        page = selectors.graves_to_clear(actor=world["clerk"], cadastre=world["cadastre"],
                                         today=today)
        count = selectors.count_graves_to_clear(actor=world["clerk"],
                                                cadastre=world["cadastre"], today=today)
    assert [row["grave_number"] for row in page.rows] == [over.asset.number]
    assert count == 1


def test_a_fields_plan_is_three_small_queries_with_the_states(cemetery_world, town,
                                                     django_assert_num_queries):
    world = cemetery_world
    with authority_context(town):
        _right(world, GraveKind.CHOICE, ends_in_days=400)
        with django_assert_num_queries(3):  # the bylaw's types, the graves, their assets
            rows = selectors.field_plan(field=world["field"])
    assert len(rows) == 12
    states = {row["asset__number"]: row["state"] for row in rows}
    assert states[world["graves"][GraveKind.CHOICE][0].asset.number] == Grave.State.RESERVED
    assert states[world["graves"][GraveKind.ROW][0].asset.number] == Grave.State.FREE
    assert (rows[0]["row"], rows[0]["position"]) <= (rows[1]["row"], rows[1]["position"])


def _big_field(world, town, *, outlines: bool):
    with authority_context(town):
        field = services.create_field(actor=world["clerk"], cadastre=world["cadastre"],
                                      cemetery=world["cemetery"], number="FH-T1-B",
                                      name="Feld B", lon=7.018, lat=51.109)
        graves = []
        for row in range(1, 21):
            for position in range(1, 26):
                lon, lat = 7.018 + position * 0.00002, 51.109 + row * 0.00003
                outline = {"type": "Polygon", "coordinates": [[
                    [lon, lat], [lon + 0.000015, lat], [lon + 0.000015, lat + 0.000025],
                    [lon, lat + 0.000025], [lon, lat]]]} if outlines else None
                graves.append(services.NewGrave(
                    number=f"B-{row}-{position}", row=row, position=position,
                    kind=GraveKind.URN_ROW, lon=lon, lat=lat, outline=outline))
        services.create_graves(actor=world["clerk"], cadastre=world["cadastre"],
                               field=field, graves=graves, reason="Testplan")
    return field


@pytest.mark.parametrize("outlines", [False, True])
def test_the_plan_of_a_field_of_500_graves_draws_every_grave(cemetery_world, town, outlines):
    # How fast: bench/bench_cemeteries.py (p95 < 100 ms), never a timed assertion here.
    field = _big_field(cemetery_world, town, outlines=outlines)
    labels = {"state_labels": dict(Grave.State.choices),
              "kind_labels": dict(GraveKind.choices)}
    with authority_context(town):
        rows = selectors.field_plan(field=field)
        svg = field_plan_svg(rows, title="Feld B", **labels)
    assert len(rows) == 500
    assert svg.count("<a ") == 500
    assert ("<path d=\"M6.0 6.0" in svg) is not outlines  # the grid starts at the margin
