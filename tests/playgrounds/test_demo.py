"""The demo's playgrounds: about fifteen in Leichlingen with 4–10 pieces each, past
inspections, one swing closed with its open work order; loading twice adds nothing."""

from rathaus.assets.models import Asset, Inspection, ScheduledInspection, WorkOrder
from rathaus.authorities.tenancy import authority_context
from rathaus.playgrounds.demo import CLOSED, load_demo_playgrounds
from rathaus.playgrounds.selectors import public_playgrounds


def test_the_demo_playgrounds_load_once_with_one_closed_swing(cadastres, town):
    with authority_context(town):
        assert load_demo_playgrounds(inspector=cadastres["inspector"]) == 15
        playgrounds = Asset.objects.filter(kind="playground")
        assert playgrounds.count() == 15
        for playground in playgrounds:
            assert 4 <= playground.children.count() <= 10
            assert 7.00 <= playground.lon <= 7.08 and 51.08 <= playground.lat <= 51.14
        pieces = Asset.objects.filter(kind="play_equipment")
        assert set(pieces.values_list("status", flat=True)) == {"in_service", "closed"}
        (closed,) = pieces.filter(status="closed")
        assert closed.number == CLOSED and closed.type == "schaukel"
        assert WorkOrder.objects.get(asset=closed, status="open").closes_asset
        assert Inspection.objects.filter(asset__kind="play_equipment").count() >= 3 * pieces.count()
        assert not ScheduledInspection.objects.filter(asset__kind="playground").exists()
        statuses = [p.properties["status"] for p in public_playgrounds()]
        assert statuses.count("partly_closed") == 1 and statuses.count("open") == 14

        counts = (Asset.objects.count(), Inspection.objects.count(), WorkOrder.objects.count())
        assert load_demo_playgrounds(inspector=cadastres["inspector"]) == 0
        assert (Asset.objects.count(), Inspection.objects.count(),
                WorkOrder.objects.count()) == counts
