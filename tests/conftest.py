"""Shared fixtures: authorities, people, and a real SMTP server on loopback."""

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.accounts.models import CitizenProfile, StaffMembership, User
from rathaus.authorities.models import Authority, AuthorityHost, Department
from rathaus.authorities.selectors import forget_hosts
from rathaus.authorities.tenancy import authority_context

PASSWORD = "Sicheres-Passwort-2026"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks run at once in tests unless a test asks for the database queue explicitly."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rolled-back test transactions send no signals, so forget cached rows explicitly."""
    forget_hosts()
    cache.clear()
    yield
    forget_hosts()


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings, tmp_path_factory):
    """Documents and open data files of tests never land in the checkout's var/."""
    files = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = files / "storage"
    settings.RATHAUS_OPENDATA_DIR = files / "opendata"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check hashing itself ask for it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def make_authority(slug: str, name: str, *, host: str, default: bool = False) -> Authority:
    authority = Authority.objects.create(
        slug=slug, name=name, short_name=name, email=f"post@{slug}.example",
        street="Rathausplatz 1", postcode="42799", city=name.split()[-1], is_default=default,
    )
    AuthorityHost.objects.create(authority=authority, host=host)
    return authority


@pytest.fixture
def town(db):
    return make_authority("leichlingen", "Stadt Leichlingen", host="leichlingen.localhost",
                          default=True)


@pytest.fixture
def district(db):
    return make_authority("rbk", "Rheinisch-Bergischer Kreis", host="rbk.localhost")


@pytest.fixture
def in_town(town):
    with authority_context(town):
        yield town


def make_department(authority, slug, name):
    with authority_context(authority):
        return Department.objects.create(slug=slug, name=name)


def make_citizen(email="bettina@example.org", *, verified=True, password=PASSWORD) -> User:
    from django.utils import timezone

    user = User.objects.create_user(
        email, password, first_name="Bettina", last_name="Beispiel", kind=User.Kind.CITIZEN,
        email_verified_at=timezone.now() if verified else None,
    )
    CitizenProfile.objects.create(user=user)
    return user


def make_staff(authority, departments, email="erika@leichlingen.example", role="clerk"):
    user = User.objects.create_user(
        email, PASSWORD, first_name="Erika", last_name="Mustermann", kind=User.Kind.STAFF
    )
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    with authority_context(authority):
        for department in departments:
            StaffMembership.objects.create(user=user, department=department, role=role)
    return user, device


def current_totp(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


@pytest.fixture
def citizen(db):
    return make_citizen()


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
