"""The demo's street trees: plausible, the same every time, and loaded once."""

from rathaus.assets.models import Asset, Inspection, ScheduledInspection
from rathaus.authorities.tenancy import authority_context
from rathaus.trees.demo import generate_tree_rows, load_demo_trees
from rathaus.trees.species_list import SPECIES


def test_the_generated_trees_are_the_same_for_the_same_seed_and_lie_in_leichlingen():
    first = list(generate_tree_rows(6000, seed=7))
    assert first == list(generate_tree_rows(6000, seed=7))
    assert len({row["number"] for row in first}) == 6000
    assert all(6.98 < row["lon"] < 7.10 and 51.07 < row["lat"] < 51.15 for row in first)
    keys = {key for key, *_rest in SPECIES}
    assert {row["type"] for row in first} <= keys
    assert len({row["attributes"]["street"] for row in first}) == 40
    damaged = sum(row["attributes"]["condition"] == "damaged" for row in first)
    assert 0.01 * 6000 < damaged < 0.15 * 6000


def test_the_demo_loads_its_trees_with_their_plan_once(cadastres, town):
    with authority_context(town):
        made = load_demo_trees(inspector=cadastres["inspector"], count=1500)
        assert made == 1500
        assert ScheduledInspection.objects.filter(kind="regular").count() == 1500
        assert Inspection.objects.filter(inspector=cadastres["inspector"]).count() == 50
        assert not Asset.objects.filter(kind="tree", next_due__isnull=True).exists()
        assert load_demo_trees(inspector=cadastres["inspector"], count=1500) == 0
        assert Asset.objects.filter(kind="tree").count() == 1500
