"""Done-when of issue 21: every OParl object from a crawl of the demo's API validates
against the schemas; the crawl follows every link from the System object, touches every
object the public may see, and fails on any schema error or dead link."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.council import visibility
from rathaus.council.demo import set_up_demo_council
from rathaus.council.models import Paper
from tests.council.oparl_crawl import crawl
from tests.factories import make_department

HOST = "leichlingen.localhost"
T = "https://schema.oparl.org/1.1/"


pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_council(town):
    department = make_department(town, slug="ratsbuero", name="Ratsbüro")
    with authority_context(town):
        set_up_demo_council(department=department)
    return town


def _of(objects, kind):
    return [o for o in objects.values() if o["type"] == T + kind]


def test_every_object_of_the_demos_api_validates_and_every_public_object_is_touched(
        demo_council, client):
    crawled = crawl(client, f"http://{HOST}/oparl/v1/")
    with authority_context(demo_council):
        expected = {
            "Organization": visibility.organizations().count(),
            "Person": visibility.persons().count(),
            "Membership": visibility.memberships().count(),
            "Meeting": visibility.meetings().count(),
            "AgendaItem": visibility.agenda_items().count(),
            "Paper": visibility.papers().count(),
            "Consultation": visibility.consultations().count(),
            "File": visibility.files().count(),
            "Location": visibility.locations().count(),
            "LegislativeTerm": visibility.legislative_terms().count(),
        }
    found = {kind: len(_of(crawled, kind)) for kind in expected}
    assert found == expected
    assert expected["Paper"] > 100 and expected["Meeting"] >= 20
    assert len(_of(crawled, "System")) == len(_of(crawled, "Body")) == 1
    # The non-public papers of the demo are not among them.
    with authority_context(demo_council):
        hidden = set(Paper.objects.exclude(pk__in=visibility.papers()).values_list(
            "reference", flat=True))
    assert hidden
    assert not hidden & {p["reference"] for p in _of(crawled, "Paper")}
