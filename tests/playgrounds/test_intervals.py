"""DIN EN 1176-7's inspection intervals (DOMAIN.md, Cadastres; playgrounds/intervals.py):
visual routine inspection daily to weekly, operational inspection every 1–3 months,
annual main inspection; a more thorough inspection covers the lighter ones."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from rathaus.assets.models import Asset, ScheduledInspection
from rathaus.authorities.tenancy import authority_context
from rathaus.playgrounds import intervals
from rathaus.playgrounds.intervals import InvalidSetting, add_months
from rathaus.playgrounds.services import set_intervals

from .conftest import inspect


def _planned(piece) -> dict:
    return dict(ScheduledInspection.objects.filter(asset=piece).values_list("kind", "due_on"))


def _set_due(piece, **due):
    for kind, due_on in due.items():
        ScheduledInspection.objects.filter(asset=piece, kind=kind).update(due_on=due_on)


def test_a_new_piece_is_planned_for_all_three_regular_inspections(playground, town):
    today = timezone.localdate()
    with authority_context(town):
        _playground, (swing, _slide) = playground
        assert _planned(swing) == {"routine": today + timedelta(days=7),
                                   "operational": add_months(today, 3),
                                   "main": add_months(today, 12)}
        assert swing.next_due == today + timedelta(days=7)


def test_the_playground_itself_is_not_inspected(playground, town):
    with authority_context(town):
        place, _pieces = playground
        assert _planned(place) == {} and place.next_due is None


def test_routine_inspection_weekly_by_default(playground, cadastres, town):
    today = timezone.localdate()
    with authority_context(town):
        swing = playground[1][0]
        inspect(cadastres, swing, kind="routine")
        assert _planned(swing)["routine"] == today + timedelta(days=7)


def test_routine_inspection_daily_where_the_authority_says_so(playground, cadastres, town):
    today = timezone.localdate()
    with authority_context(town):
        set_intervals(actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                      routine_days=1)
        swing = Asset.objects.get(number="SG-01-1")
        inspect(cadastres, swing, kind="routine")
        assert _planned(swing)["routine"] == today + timedelta(days=1)


@pytest.mark.parametrize("months", [1, 2, 3])
def test_operational_inspection_every_one_to_three_months(months, playground, cadastres, town):
    today = timezone.localdate()
    with authority_context(town):
        set_intervals(actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                      operational_months=months)
        swing = Asset.objects.get(number="SG-01-1")
        inspect(cadastres, swing, kind="operational")
        assert _planned(swing)["operational"] == add_months(today, months)


def test_main_inspection_yearly(playground, cadastres, town):
    today = timezone.localdate()
    with authority_context(town):
        swing = playground[1][0]
        inspect(cadastres, swing, kind="main")
        assert _planned(swing)["main"] == add_months(today, 12)


@pytest.mark.parametrize("routine_days, operational_months", [
    (0, 3), (8, 3), ("x", 3), (7, 0), (7, 4), (7, "zwei"), ("", 3)])
def test_intervals_outside_the_standard_are_refused(
        routine_days, operational_months, cadastres, town):
    with authority_context(town):
        with pytest.raises(InvalidSetting):
            set_intervals(actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                          routine_days=routine_days, operational_months=operational_months)
        cadastres["playgrounds"].refresh_from_db()
        assert cadastres["playgrounds"].settings == {}


def test_a_setting_stored_outside_the_range_is_read_as_the_nearest_allowed():
    assert intervals.routine_days({"routine_days": 30}) == 7
    assert intervals.routine_days({"routine_days": 0}) == 1
    assert intervals.routine_days({"routine_days": "kaputt"}) == 7
    assert intervals.operational_months({"operational_months": 12}) == 3


def test_a_main_inspection_covers_the_operational_and_the_routine_one(
        playground, cadastres, town):
    today = timezone.localdate()
    with authority_context(town):
        swing = playground[1][0]
        _set_due(swing, routine=today - timedelta(days=2), operational=today + timedelta(days=5))
        inspect(cadastres, swing, kind="main")
        assert _planned(swing) == {"routine": today + timedelta(days=7),
                                   "operational": add_months(today, 3),
                                   "main": add_months(today, 12)}


def test_an_operational_inspection_covers_the_routine_one_but_not_the_main(
        playground, cadastres, town):
    today = timezone.localdate()
    main_due = today + timedelta(days=40)
    with authority_context(town):
        swing = playground[1][0]
        _set_due(swing, routine=today - timedelta(days=1), main=main_due)
        inspect(cadastres, swing, kind="operational")
        assert _planned(swing) == {"routine": today + timedelta(days=7),
                                   "operational": add_months(today, 3), "main": main_due}


def test_a_routine_inspection_moves_only_the_routine_date(playground, cadastres, town):
    today = timezone.localdate()
    with authority_context(town):
        swing = playground[1][0]
        _set_due(swing, operational=today + timedelta(days=3), main=today + timedelta(days=9))
        inspect(cadastres, swing, kind="routine")
        assert _planned(swing) == {"routine": today + timedelta(days=7),
                                   "operational": today + timedelta(days=3),
                                   "main": today + timedelta(days=9)}


def test_an_occasional_inspection_leaves_the_regular_dates(playground, cadastres, town):
    with authority_context(town):
        swing = playground[1][0]
        before = _planned(swing)
        inspect(cadastres, swing, kind="occasion")
        assert _planned(swing) == before


@pytest.mark.parametrize("day, months, expected", [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2027, 11, 15), 3, date(2028, 2, 15)),
    (date(2027, 3, 31), 12, date(2028, 3, 31)),
])
def test_months_are_counted_by_the_calendar(day, months, expected):
    assert add_months(day, months) == expected
