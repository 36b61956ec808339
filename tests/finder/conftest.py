"""The demo's catalogue as the town of Leichlingen offers it: its own services and its
district's, every one the demo loader gives it (demo/data.py), without the rest of the
demo (dogs, residents, open data), which the finder does not need."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import all_definitions
from rathaus.catalog.services import offer_service
from rathaus.demo import data
from tests.factories import make_department

TOWN = data.AUTHORITIES[0]


@pytest.fixture
def demo_town(town):
    """The test town with Leichlingen's departments, offering what Leichlingen offers."""
    for slug, name, _code in TOWN["departments"]:
        make_department(town, slug=slug, name=name)
    offered = [d for d in all_definitions().values()
               if d.id in TOWN["services"] or not d.is_online]
    with authority_context(town):
        for found in sorted(offered, key=lambda d: d.id):
            offer_service(definition=found)
    return town


@pytest.fixture
def in_demo_town(demo_town):
    with authority_context(demo_town):
        yield demo_town
