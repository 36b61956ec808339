"""The district's open data of the vehicle registration: registrations per month, new and
used apart, small counts without a number, published where the district offers the
service."""

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.cases.models import Case
from rathaus.cases.workflow import take
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.publication.producers import producer
from rathaus.vehicles.statistics import registrations_per_month
from tests.factories import DISTRICT_HOST

from .conftest import NEW, USED, apply_for_registration

pytestmark = pytest.mark.django_db

NAME = "kfz-zulassungen-je-monat"
NOTE = "weniger als 3, nicht ausgewiesen"


def _decided(citizen, vehicle, day: datetime, *, status="approved") -> Case:
    """An application decided on `day` (the register's check is tested elsewhere: here
    only what the figures count)."""
    case = apply_for_registration(citizen, vehicle=vehicle)
    Case.objects.filter(pk=case.pk).update(status=status,
                                           decided_at=timezone.make_aware(day))
    return case


@pytest.fixture
def registrations(in_kreis, citizen):
    """March 2026: three new vehicles and one used; April: three and three; May: two new.
    A rejection and an open application in April count nowhere."""
    for vehicle, days in ((NEW, [(3, 2), (3, 9), (3, 31), (4, 1), (4, 2), (4, 30),
                                  (5, 4), (5, 5)]),
                          (USED, [(3, 15), (4, 10), (4, 11), (4, 12)])):
        for month, day in days:
            _decided(citizen, vehicle, datetime(2026, month, day, 12))
    _decided(citizen, NEW, datetime(2026, 4, 20, 12), status="rejected")
    apply_for_registration(citizen)


def test_registrations_are_counted_per_month_of_the_decision(registrations):
    assert registrations_per_month(min_count=1) == [
        {"month": "2026-03", "registrations": 4, "new": 3, "used": 1, "suppressed": False},
        {"month": "2026-04", "registrations": 6, "new": 3, "used": 3, "suppressed": False},
        {"month": "2026-05", "registrations": 2, "new": 2, "used": 0, "suppressed": False},
    ]


def test_a_small_part_hides_both_parts_and_a_small_month_hides_all(registrations):
    assert registrations_per_month() == [
        {"month": "2026-03", "registrations": 4, "new": None, "used": None,
         "suppressed": True},
        {"month": "2026-04", "registrations": 6, "new": 3, "used": 3, "suppressed": False},
        {"month": "2026-05", "registrations": None, "new": None, "used": None,
         "suppressed": True},
    ]


def test_an_approval_in_the_office_counts_in_its_month(in_kreis, klara, citizen):
    take(apply_for_registration(citizen), "approve", actor=klara[0])
    month = timezone.localdate().strftime("%Y-%m")
    assert registrations_per_month(min_count=1) == [
        {"month": month, "registrations": 1, "new": 1, "used": 0, "suppressed": False}]


def test_the_dataset_is_published_where_the_district_offers_the_service(registrations):
    assert producer(NAME).applies()
    assert producer(NAME).title == "Kfz-Zulassungen je Monat"
    refresh_automatic_datasets()
    dataset = Dataset.objects.get(name=NAME)
    assert dataset.published and dataset.theme == "TRAN"
    public = Client(HTTP_HOST=DISTRICT_HOST)
    csv = b"".join(public.get(f"/daten/{NAME}/download.csv").streaming_content).decode()
    assert csv.splitlines() == [
        "monat,zulassungen,neufahrzeuge,gebrauchtfahrzeuge,hinweis",
        f'2026-03,4,,,"{NOTE}"',
        "2026-04,6,3,3,",
        f'2026-05,,,,"{NOTE}"',
    ]


def test_an_authority_without_the_service_publishes_no_such_dataset(in_town):
    assert not producer(NAME).applies()
