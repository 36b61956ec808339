"""The access for firms (ADR 0041): a department admits a firm and its persons, each
person sets up a personal firm account through a single-use link, and always logs in
with two factors at login level substanziell."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.accounts import firm_access
from rathaus.accounts.firm_access import FirmAccessRefused, FirmData, PersonData
from rathaus.accounts.login_levels import SESSION_KEY
from rathaus.accounts.models import AccountToken, Firm, FirmMember, User
from rathaus.accounts.permissions import NotPermitted
from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from tests.accounts.firms import (
    FIRM_EMAIL,
    firm_logged_in,
    install_firm_service,
    invitation_path,
    make_firm,
)
from tests.factories import PASSWORD, make_citizen, make_department, make_staff, wrong_totp

NEW_PASSWORD = "Grabpflege-Wupper-2026"
FIRM = FirmData(name="Bestattungshaus Wupperweg GmbH", street="Wupperstraße 12",
                postcode="42799", city="Leichlingen", trade="undertaker",
                email="info@wupperweg.example")
PERSON = PersonData(first_name="Bernd", last_name="Bestatter", email=FIRM_EMAIL)


@pytest.fixture
def cemetery_office(town, monkeypatch):
    department = install_firm_service(monkeypatch, town)
    staff, device = make_staff(town, departments=[department])
    return department, staff, device


def _link(token: str) -> str:
    return f"http://leichlingen.localhost/konto/firmenzugang/{token}/"


def _admit(town, department, staff, person=PERSON):
    with authority_context(town):
        return firm_access.admit_firm(actor=staff, department=department, firm_data=FIRM,
                                      firm_person=person, link_for=_link)


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_admission_creates_the_firm_the_personal_account_and_an_invitation(
        town, cemetery_office, mailoutbox):
    department, staff, _ = cemetery_office
    firm = _admit(town, department, staff)
    user = User.objects.get(email=FIRM_EMAIL)
    assert user.is_firm and user.acts_in_portal and not user.has_usable_password()
    assert not hasattr(user, "profile") or user.profile is None
    with authority_context(town):
        assert FirmMember.objects.get(firm=firm).user == user
        assert firm.department == department and firm.active
    token = AccountToken.objects.get(user=user)
    assert token.purpose == "firm_invitation"
    assert (token.expires_at - token.created_at).days == 7
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [FIRM_EMAIL]
    body = mailoutbox[0].body
    assert "Bestattungshaus Wupperweg GmbH" in body and "/konto/firmenzugang/" in body
    assert token.token_hash not in body  # only the hash is stored, the token is sent


def test_the_audit_entries_name_ids_only(town, cemetery_office):
    department, staff, _ = cemetery_office
    _admit(town, department, staff)
    with authority_context(town):
        entries = list(AuditEntry.objects.filter(action__startswith="firm."))
    assert {e.action for e in entries} == {"firm.admitted", "firm.person_added"}
    text = repr([e.data for e in entries])
    assert "Bestatter" not in text and "wupperweg" not in text and "Wupper" not in text


def test_an_address_of_a_citizen_cannot_become_a_firm_account(town, cemetery_office):
    department, staff, _ = cemetery_office
    citizen = make_citizen()
    # German once the translations of ADR 0041's texts are compiled.
    with pytest.raises(FirmAccessRefused, match="Bürger|citizen"):
        _admit(town, department, staff, person=PersonData("B", "B", citizen.email))
    with authority_context(town):
        assert not Firm.objects.exists()  # nothing half-saved
    assert User.objects.get(email=citizen.email).is_citizen


def test_only_members_of_the_department_may_admit(town, cemetery_office):
    department, _, _ = cemetery_office
    other = make_department(town, slug="steueramt", name="Steueramt")
    outsider, _ = make_staff(town, departments=[other], email="out@leichlingen.example")
    with pytest.raises(NotPermitted):
        _admit(town, department, outsider)
    with pytest.raises(NotPermitted):
        _admit(town, department, make_citizen())


def test_the_invitation_sets_password_and_totp_and_logs_in_substanziell(
        town, cemetery_office, mailoutbox):
    department, staff, _ = cemetery_office
    _admit(town, department, staff)
    path = invitation_path(mailoutbox[0].body)
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and "data:image/svg+xml" in page.text
    device = TOTPDevice.objects.get(user__email=FIRM_EMAIL, confirmed=False)
    # A weak password is refused with Django's validators; nothing is spent.
    refused = client.post(path, {"password": "12345", "password_repeat": "12345",
                                 "otp_token": _code(device)})
    assert refused.status_code == 200 and "zu kurz" in refused.text
    wrong = client.post(path, {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD,
                               "otp_token": wrong_totp(device)})
    assert "falsch" in wrong.text
    assert not User.objects.get(email=FIRM_EMAIL).has_usable_password()
    done = client.post(path, {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD,
                              "otp_token": _code(device)})
    assert done.status_code == 302 and done["Location"] == "/konto/"
    assert client.session[SESSION_KEY] == "substanziell"
    user = User.objects.get(email=FIRM_EMAIL)
    assert user.check_password(NEW_PASSWORD) and user.email_verified_at
    assert TOTPDevice.objects.get(user=user).confirmed
    overview = client.get("/konto/")
    assert "Bestattungshaus Wupperweg GmbH" in overview.text
    # The link is single-use.
    assert Client().get(path).status_code == 400


def test_a_firm_login_always_needs_the_code(town, cemetery_office):
    department, _, _ = cemetery_office
    _, user, device = make_firm(town, department)
    client = Client()
    first = client.post("/konto/anmelden/", {"username": user.email, "password": PASSWORD})
    assert first["Location"].endswith("/konto/anmelden/code/")
    assert client.get("/konto/").status_code == 302  # not logged in yet
    wrong = client.post("/konto/anmelden/code/", {"otp_token": wrong_totp(device)})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    # django-otp waits after a wrong code; the test does not.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    client = firm_logged_in(user, device)
    assert client.session[SESSION_KEY] == "substanziell"


def test_a_firm_account_without_a_confirmed_device_cannot_log_in(town, cemetery_office):
    department, _, _ = cemetery_office
    _, user, _ = make_firm(town, department)
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    page = client.post("/konto/anmelden/", {"username": user.email, "password": PASSWORD})
    assert page.status_code == 200
    assert "keine App für Sicherheitscodes" in page.text or "no security code app" in page.text
    assert "_auth_user_id" not in client.session


def test_ending_the_access_locks_the_portal_but_keeps_the_account(town, cemetery_office):
    department, staff, _ = cemetery_office
    firm, user, device = make_firm(town, department)
    client = firm_logged_in(user, device)
    assert client.get("/konto/").status_code == 200
    with authority_context(town):
        member = FirmMember.objects.get(firm=firm, user=user)
        firm_access.end_firm_access(actor=staff, firm=firm, firm_member=member)
    page = client.get("/konto/")
    assert page.status_code == 403 and 'action="/konto/abmelden/"' in page.text
    assert User.objects.filter(pk=user.pk, is_active=True).exists()


def test_a_second_person_and_a_person_at_two_firms(town, cemetery_office, mailoutbox):
    department, staff, _ = cemetery_office
    firm, user, _ = make_firm(town, department)
    with authority_context(town):
        firm_access.add_firm_person(actor=staff, firm=firm, link_for=_link,
                                    firm_person=PersonData("Berta", "Bestatter",
                                                           "berta@wupperweg.example"))
        other = firm_access.admit_firm(
            actor=staff, department=department, link_for=_link,
            firm_data=FirmData(**{**FIRM.__dict__, "name": "Pietät Rhein"}),
            firm_person=PersonData("Bernd", "Bestatter", user.email))
        assert {m.user.email for m in firm.members.all()} == {
            user.email, "berta@wupperweg.example"}
        assert other.members.get().user == user
        with pytest.raises(FirmAccessRefused):
            firm_access.add_firm_person(actor=staff, firm=firm, link_for=_link,
                                        firm_person=PersonData("B", "B", user.email))
    # The person set up already is told, without a new invitation link.
    assert "/konto/firmenzugang/" not in mailoutbox[-1].body



def test_the_demo_has_the_undertaker_with_a_confirmed_device(town, cemetery_office):
    from django.core.management import call_command

    from rathaus.demo import data
    from rathaus.demo.loader import _load_firm  # the demo's step, without the whole demo

    entry = _load_firm(town)
    assert entry["kind"] == "firm" and entry["email"] == data.FIRM_EMAIL
    user = User.objects.get(email=data.FIRM_EMAIL)
    assert user.is_firm and user.check_password(entry["password"])
    assert TOTPDevice.objects.get(user=user).confirmed
    with authority_context(town):
        firm = Firm.objects.get(name=data.FIRM_NAME)
        assert firm.department.slug == "friedhofsverwaltung" and firm.city == "Leichlingen"
        assert firm.members.get().user == user
    call_command("demo_totp", data.FIRM_EMAIL)  # `rathaus demo_totp` gives its codes
