"""The FLL intervals: one test per row of DOMAIN.md's table, the age phase from the
planting year and the species, and an inspection that plans the next one."""

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from rathaus.assets import services
from rathaus.assets.models import ScheduledInspection
from rathaus.authorities.tenancy import authority_context
from rathaus.trees import intervals
from rathaus.trees.intervals import age_phase, interval_years

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(("traffic", "years"), [("low", 3), ("medium", 3), ("high", 2)])
def test_a_healthy_mature_tree_is_inspected_every_three_years_or_two_at_high_traffic(
        traffic, years):
    assert interval_years(phase="mature", condition="healthy", traffic=traffic) == years


@pytest.mark.parametrize(("traffic", "years"), [("low", 2), ("medium", 2), ("high", 1)])
def test_a_healthy_ageing_tree_is_inspected_every_two_years_or_yearly_at_high_traffic(
        traffic, years):
    assert interval_years(phase="ageing", condition="healthy", traffic=traffic) == years


@pytest.mark.parametrize("phase", ["young", "mature", "ageing"])
@pytest.mark.parametrize("traffic", ["low", "medium", "high"])
def test_a_damaged_tree_is_inspected_yearly_whatever_its_phase(phase, traffic):
    assert interval_years(phase=phase, condition="damaged", traffic=traffic) == 1


@pytest.mark.parametrize(("traffic", "years"), [("low", 3), ("high", 2)])
def test_a_healthy_young_tree_is_planned_like_a_mature_one(traffic, years):
    assert interval_years(phase="young", condition="healthy", traffic=traffic) == years


def test_unknown_traffic_counts_as_high_and_unknown_condition_as_healthy():
    assert interval_years(phase="mature", condition=None, traffic=None) == 2


def test_the_phase_follows_the_planting_year_and_the_species_ageing_age():
    assert age_phase(planting_year=2015, assessed=None, ageing_from=50, today=TODAY) == "young"
    assert age_phase(planting_year=2011, assessed=None, ageing_from=50, today=TODAY) == "mature"
    assert age_phase(planting_year=1977, assessed=None, ageing_from=50, today=TODAY) == "mature"
    assert age_phase(planting_year=1976, assessed=None, ageing_from=50, today=TODAY) == "ageing"
    assert age_phase(planting_year=1976, assessed=None, ageing_from=80, today=TODAY) == "mature"
    assert age_phase(planting_year=None, assessed=None, ageing_from=60, today=TODAY) == "mature"


def test_the_inspectors_assessment_of_the_phase_wins_over_the_planting_year():
    assert age_phase(planting_year=2020, assessed="ageing", ageing_from=60,
                     today=TODAY) == "ageing"


def test_the_29th_of_february_moves_to_the_28th():
    assert intervals.years_after(date(2028, 2, 29), 1) == date(2029, 2, 28)


def _tree(cadastres, **attributes):
    return services.create_asset(
        actor=cadastres["inspector"], cadastre=cadastres["trees"], kind="tree",
        number="B-100", type="birke", lon=7.0117, lat=51.1063,
        attributes={"traffic_expectation": "high", **attributes})


def test_a_new_tree_is_planned_by_the_fll_rules(cadastres, town):
    with authority_context(town):
        today = timezone.localdate()
        tree = _tree(cadastres, planting_year=today.year - 30)  # mature birch
        assert tree.next_due == intervals.years_after(today, 2)


def test_an_inspection_sets_the_next_date(cadastres, town):
    with authority_context(town):
        today = timezone.localdate()
        # A birch enters its ageing phase at 50: healthy, high traffic → yearly.
        tree = _tree(cadastres, planting_year=today.year - 60)
        inspected_at = timezone.make_aware(datetime.combine(today - timedelta(days=10),
                                                            datetime.min.time().replace(hour=10)))
        services.record_inspection(
            actor=cadastres["inspector"], asset=tree, client_id=uuid.uuid4(), kind="regular",
            inspected_at=inspected_at, seen_version=tree.version, condition="healthy")
        tree.refresh_from_db()
        due = intervals.years_after(today - timedelta(days=10), 1)
        assert tree.next_due == due
        assert ScheduledInspection.objects.get(asset=tree, kind="regular").due_on == due


def test_a_storm_inspection_finding_damage_brings_the_regular_one_forward(cadastres, town):
    with authority_context(town):
        today = timezone.localdate()
        tree = _tree(cadastres, planting_year=today.year - 30, traffic_expectation="low")
        assert tree.next_due == intervals.years_after(today, 3)
        services.record_inspection(
            actor=cadastres["inspector"], asset=tree, client_id=uuid.uuid4(), kind="storm",
            inspected_at=timezone.now(), seen_version=tree.version, condition="damaged")
        tree.refresh_from_db()
        assert tree.next_due == intervals.years_after(today, 1)
        assert tree.attributes["condition"] == "damaged"
