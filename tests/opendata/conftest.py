"""Clients for the open data tests: staff in the office and visitors, on the town's host."""

import pytest
from django.test import Client

from tests.factories import (
    OPENDATA_HOST,
    PASSWORD,
    current_totp,
    make_department,
    make_staff,
)


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    """Every test writes its version stores into a directory of its own."""
    settings.RATHAUS_OPENDATA_DIR = tmp_path / "opendata"
    return settings.RATHAUS_OPENDATA_DIR


def _staff_client(town, *, role="team_lead", email="erika@leichlingen.example"):
    department = make_department(town, slug=f"d-{email.split('@')[0]}", name="Bürgerbüro")
    staff, device = make_staff(town, departments=[department], email=email, role=role)
    client = Client(HTTP_HOST=OPENDATA_HOST)
    response = client.post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    client.staff = staff
    return client


@pytest.fixture
def lead(town):
    return _staff_client(town)


@pytest.fixture
def clerk(town):
    return _staff_client(town, role="clerk", email="max@leichlingen.example")


@pytest.fixture
def public(town):
    return Client(HTTP_HOST=OPENDATA_HOST)
