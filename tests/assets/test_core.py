"""The shared core of the cadastres, with a small kind of its own registered for the
tests: every inspection due a year later, the highest risk closing the asset."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from rathaus.assets import services
from rathaus.assets.kinds import KINDS, AssetKind, Attribute, InspectionKind
from rathaus.assets.models import (
    Asset,
    AssetRevision,
    Inspection,
    Risk,
    ScheduledInspection,
    WorkOrder,
)
from rathaus.authorities.tenancy import authority_context


def _yearly(asset, inspection, today):
    return {"regular": today + timedelta(days=365)}


BENCH = AssetKind(
    name="test_bench", cadastre="trees", label="bench", label_plural="benches",
    inspection_kinds=(InspectionKind("regular", "regular"),
                      InspectionKind("storm", "storm", regular=False)),
    next_inspections=_yearly,
    attributes=(Attribute("height", "height", "decimal", minimum=0, maximum=50),),
    conditions=(("good", "good"), ("bad", "bad")),
)


@pytest.fixture(autouse=True)
def _bench_kind():
    if "test_bench" not in KINDS:
        KINDS.register("test_bench", BENCH)


@pytest.fixture
def bench(cadastres, town):
    with authority_context(town):
        yield services.create_asset(
            actor=cadastres["inspector"], cadastre=cadastres["trees"], kind="test_bench",
            number="B-1", lon=7.01, lat=51.1, attributes={"height": "1,5"})


def _inspect(cadastres, asset, *, client_id=None, seen_version=None, findings=(), actor=None):
    return services.record_inspection(
        actor=actor or cadastres["inspector"], asset=asset, client_id=client_id or uuid.uuid4(),
        kind="regular", inspected_at=timezone.now(), condition="good",
        seen_version=asset.version if seen_version is None else seen_version,
        findings=list(findings))


def test_a_new_asset_is_planned_by_its_kind_rules(bench, town):
    with authority_context(town):
        assert bench.attributes == {"height": 1.5}
        assert bench.next_due == timezone.localdate() + timedelta(days=365)
        assert ScheduledInspection.objects.get(asset=bench).kind == "regular"
        assert AssetRevision.objects.filter(asset=bench).count() == 1


def test_the_same_inspection_sent_twice_is_stored_once(bench, cadastres, town):
    with authority_context(town):
        client_id = uuid.uuid4()
        first = _inspect(cadastres, bench, client_id=client_id)
        again = _inspect(cadastres, bench, client_id=client_id)
        assert first.created and not again.created
        assert again.inspection.pk == first.inspection.pk
        assert Inspection.objects.count() == 1


def test_the_highest_risk_closes_the_asset_until_its_work_order_is_done(bench, cadastres, town):
    with authority_context(town):
        recorded = _inspect(cadastres, bench, findings=[
            services.NewFinding("Sitzbrett gebrochen", Risk.VERY_HIGH, "Brett tauschen")])
        bench.refresh_from_db()
        assert bench.status == Asset.Status.CLOSED
        (order,) = recorded.work_orders
        assert order.deadline == timezone.localdate() and order.team == cadastres["tree_team"]
        services.finish_work_order(actor=cadastres["inspector"], work_order=order,
                                   note="Brett getauscht")
        bench.refresh_from_db()
        assert bench.status == Asset.Status.IN_SERVICE
        assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.DONE


def test_an_inspection_after_someone_elses_waits_for_its_inspectors_decision(
        bench, cadastres, town):
    from tests.factories import make_staff

    with authority_context(town):
        seen = bench.version
        other, _device = make_staff(town, departments=[cadastres["department"]],
                                    email="zweite@leichlingen.example")
        _inspect(cadastres, bench, actor=other, seen_version=seen)
        late = _inspect(cadastres, bench, seen_version=seen)
        assert late.conflict
        bench.refresh_from_db()
        version = bench.version
        kept = services.decide_conflict(actor=cadastres["inspector"], asset=bench,
                                        inspection=late.inspection, keep=True)
        assert kept.inspection.state == Inspection.State.RECORDED
        bench.refresh_from_db()
        assert bench.version == version + 1


def test_a_storm_plans_an_extra_inspection_in_its_area(bench, cadastres, town):
    with authority_context(town):
        due = date.today() + timedelta(days=3)
        count = services.plan_inspections(
            actor=cadastres["inspector"], cadastre=cadastres["trees"],
            assets=Asset.objects.all(), kind="storm", due_on=due, reason="Sturm")
        assert count == 1
        bench.refresh_from_db()
        assert bench.next_due == due


def test_planning_keeps_an_earlier_date_and_brings_a_later_one_forward(cadastres, town):
    with authority_context(town):
        actor, trees = cadastres["inspector"], cadastres["trees"]
        near, far = (services.create_asset(actor=actor, cadastre=trees, kind="test_bench",
                                           number=f"B-{n}", lon=7.01, lat=51.1)
                     for n in (2, 3))
        soon, later = date.today() + timedelta(days=2), date.today() + timedelta(days=9)
        services.plan_inspections(actor=actor, cadastre=trees, assets=Asset.objects.filter(
            pk=near.pk), kind="storm", due_on=soon, reason="Sturm A")
        services.plan_inspections(actor=actor, cadastre=trees, assets=Asset.objects.filter(
            pk=far.pk), kind="storm", due_on=date.today() + timedelta(days=30), reason="Sturm A")
        count = services.plan_inspections(actor=actor, cadastre=trees, assets=Asset.objects.all(),
                                          kind="storm", due_on=later, reason="Sturm B")
        assert count == 1  # only the far one: the near one's earlier date stays
        assert ScheduledInspection.objects.get(asset=near, kind="storm").due_on == soon
        moved = ScheduledInspection.objects.get(asset=far, kind="storm")
        assert (moved.due_on, moved.reason) == (later, "Sturm B")
        far.refresh_from_db()
        assert far.next_due == later
