"""Fixtures every folder may use: authorities, people, the town offering the
Hundeanmeldung, and a real SMTP server on loopback. What they build comes from
tests/factories.py."""

import socket
import threading
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from rathaus.accounts.models import StaffMembership
from rathaus.audit import triggers
from rathaus.authorities.selectors import forget_hosts
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from tests.factories import (
    DOG_SERVICE,
    World,
    build_world,
    citizen_logged_in,
    departments_of,
    make_authority,
    make_citizen,
    make_department,
    make_staff,
)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks run at once in tests unless a test asks for the database queue explicitly."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (German). A request leaves the language
    it was served in active in the thread (LocaleMiddleware activates, nothing
    deactivates), so without this a test after an English request reads English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rolled-back test transactions send no signals, so forget cached rows explicitly."""
    forget_hosts()
    cache.clear()
    yield
    forget_hosts()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _audit_triggers_let_the_sqlite_flush_through(request):
    """A transactional test ends with a flush, which on SQLite deletes every row and so
    meets the audit tables' append-only triggers (PostgreSQL truncates, which they let
    through). Drop them just before, and put them back at the next test's start."""
    transactional = _transactional(request)
    uses_db = transactional or "db" in request.fixturenames or request.node.get_closest_marker(
        "django_db")
    if uses_db and connection.vendor == "sqlite":
        request.getfixturevalue("transactional_db" if transactional else "db")
        if not triggers.installed():
            triggers.install()
    yield
    if transactional and connection.vendor == "sqlite":
        triggers.drop()


@pytest.fixture(scope="session")
def _saml_keys(tmp_path_factory):
    return tmp_path_factory.mktemp("saml")


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings, tmp_path_factory, _saml_keys):
    """Documents, open data files and SAML keys of tests never land in the checkout's
    var/ (the SAML keys are generated once per session)."""
    files = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = files / "storage"
    settings.RATHAUS_OPENDATA_DIR = files / "opendata"
    settings.RATHAUS_SAML_DIR = _saml_keys


@pytest.fixture(autouse=True)
def _maps_without_tiles(settings):
    """No test fetches map tiles from outside: the maps draw only the assets."""
    settings.RATHAUS_MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check hashing itself ask for it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class RateClock:
    """The rate limits' clock, moved by the test instead of sleeping."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def rate_clock(monkeypatch):
    """Stops the rate limits' clock at the start of a minute and an hour (the windows
    are aligned to the Unix epoch)."""
    from rathaus.rate_limits import counters

    clock = RateClock(1_800_000_000.0)
    monkeypatch.setattr(counters, "clock", clock)
    return clock


@pytest.fixture
def no_rate_limits(settings):
    """Lifts every rate limit, for a test that legitimately sends many requests from one
    address (a crawl, a load test). Limits are on in every other test."""
    settings.RATHAUS_RATE_LIMITS_ENABLED = False


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture
def town(db):
    return make_authority("leichlingen", name="Stadt Leichlingen",
                          host="leichlingen.localhost", default=True)


@pytest.fixture
def district(db):
    return make_authority("rbk", name="Rheinisch-Bergischer Kreis", host="rbk.localhost")


@pytest.fixture
def in_town(town):
    with authority_context(town):
        yield town


@pytest.fixture
def citizen(db):
    return make_citizen()


@pytest.fixture
def citizen_client(citizen):
    return citizen_logged_in(citizen)


@pytest.fixture
def dog_service(town):
    make_department(town, slug="steueramt", name="Steueramt")
    make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    with authority_context(town):
        return offer_service(definition=definition(DOG_SERVICE))


@pytest.fixture
def dog_town(town, dog_service):
    """The town with the dog tax bylaw, its bank account and its court."""
    from rathaus.dogs.demo import create_demo_dog_tax_bylaw
    from rathaus.notices.demo import create_demo_notice_settings
    from rathaus.payments.demo import create_demo_payment_account

    with authority_context(town):
        create_demo_dog_tax_bylaw()
        create_demo_payment_account()
        create_demo_notice_settings()
    return town


@dataclass
class People:
    """Every kind of person the permission tests try (None: nobody logged in)."""

    owner: object
    other_citizen: object
    decider: object  # clerk of the deciding department (Steueramt)
    second: object  # another Steueramt clerk, for four eyes
    other_task: object  # clerk of a department with a task that does not decide
    no_task: object  # clerk of a department without a task on the case
    team_lead: object  # team lead of the deciding department
    administrator: object  # administrator of a department without a task
    foreign: object  # staff of another authority, in a Steueramt of the same name
    records_manager: object  # the Registratur: keeps the file plan, reads every file

    def kinds(self) -> dict:
        return {"anonymous": None, **vars(self)}


@pytest.fixture
def people(dog_town, district, citizen) -> People:
    departments = departments_of(dog_town)
    buergerbuero = make_department(dog_town, slug="buergerbuero", name="Bürgerbüro")
    foreign_office = make_department(district, slug="steueramt", name="Steueramt")
    hauptamt = make_department(dog_town, slug="hauptamt", name="Hauptamt")
    lead = StaffMembership.Role.TEAM_LEAD
    admin = StaffMembership.Role.ADMINISTRATOR
    return People(
        owner=citizen,
        other_citizen=make_citizen("nachbar@example.org"),
        decider=make_staff(dog_town, departments=[departments["steueramt"]],
                           email="max@x.example")[0],
        second=make_staff(dog_town, departments=[departments["steueramt"]],
                          email="erika@x.example")[0],
        other_task=make_staff(dog_town, departments=[departments["ordnungsamt"]],
                              email="otto@x.example")[0],
        no_task=make_staff(dog_town, departments=[buergerbuero],
                           email="lieschen@x.example")[0],
        team_lead=make_staff(dog_town, departments=[departments["steueramt"]],
                             email="lea@x.example", role=lead)[0],
        administrator=make_staff(dog_town, departments=[buergerbuero],
                                 email="admin@x.example", role=admin)[0],
        foreign=make_staff(district, departments=[foreign_office],
                           email="klara@rbk.example")[0],
        records_manager=make_staff(dog_town, departments=[hauptamt],
                                   email="registratur@x.example",
                                   role=StaffMembership.Role.RECORDS_MANAGER)[0],
    )


@pytest.fixture
def world(people, dog_town, settings) -> World:
    """Every kind of visitor logged in, and real things of citizen A and the town to ask
    for (tests/factories.py, "Every kind of visitor")."""
    # The matrix and the crawl send hundreds of requests from one address: they test who
    # gets what and how input is handled, so the rate limits of issue 11 (tested on their
    # own) are lifted, as its `no_rate_limits` fixture does.
    settings.RATHAUS_RATE_LIMITS_ENABLED = False
    return build_world(people, dog_town, settings)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count=1, timeout=10.0):
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        assert len(self.messages) >= count, "expected e-mail did not arrive"
        return self.messages[count - 1]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback; Django sends through it."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


@pytest.fixture
def cadastres(town):
    """The town's trees and playgrounds cadastres, teams and inspector
    (factories.make_cadastres)."""
    from tests.factories import make_cadastres

    return make_cadastres(town)
