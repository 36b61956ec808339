import base64
import datetime
import hashlib
import re
import zlib
from urllib.parse import unquote, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.login_levels import SESSION_KEY
from rathaus.accounts.models import User
from rathaus.audit.models import AuditEntry
from tests.factories import PASSWORD, make_citizen, make_department, make_staff

FORM = {
    "first_name": "Bettina",
    "last_name": "Beispiel",
    "email": "Bettina.Beispiel@Example.org",
    "password": PASSWORD,
    "password_repeat": PASSWORD,
    "privacy": "on",
}


def _link(inbox, number=1) -> str:
    body = inbox.body(inbox.wait_for(number))
    return re.search(r"https?://\S+", body).group(0)


def test_citizen_registers_confirms_email_and_logs_in(town, smtp_inbox, argon2):
    client = Client()
    response = client.post("/konto/registrieren/", FORM)
    assert response.status_code == 302
    user = User.objects.get(email="bettina.beispiel@example.org")
    assert user.email_verified_at is None
    assert user.password.startswith("argon2")

    message = smtp_inbox.wait_for()
    assert message["To"] == "bettina.beispiel@example.org"
    link = _link(smtp_inbox)

    # Before confirming, logging in is refused with a clear message.
    response = client.post("/konto/anmelden/", {"username": FORM["email"], "password": PASSWORD})
    assert response.status_code == 200
    assert "E-Mail-Adresse" in response.text or "e-mail address" in response.text

    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None

    response = client.post("/konto/anmelden/", {"username": FORM["email"], "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == "basisregistrierung"
    assert "Bettina Beispiel" in client.get("/konto/").text
    actions = list(AuditEntry.all_authorities.values_list("action", flat=True))
    assert actions == ["account.registered", "account.email_verified", "account.logged_in"]


def _without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("kind", ["citizen", "staff"])
def test_registering_an_existing_address_looks_the_same_and_tells_the_owner_by_email(
    town, smtp_inbox, kind
):
    if kind == "citizen":
        owner = make_citizen("bettina@example.org")
    else:
        owner, _device = make_staff(
            town, departments=[make_department(town, slug="steueramt", name="Steueramt")]
        )
    fresh = Client().post("/konto/registrieren/", {**FORM, "email": "neu@example.org"},
                          follow=True)
    known = Client().post("/konto/registrieren/", {**FORM, "email": owner.email.upper()},
                          follow=True)
    assert known.status_code == fresh.status_code == 200
    assert known.redirect_chain == fresh.redirect_chain
    assert _without_csrf_tokens(known.text) == _without_csrf_tokens(fresh.text)
    assert User.objects.filter(email__iexact=owner.email).count() == 1

    notice = smtp_inbox.wait_for(2)
    assert notice["To"] == owner.email
    body = smtp_inbox.body(notice)
    # Citizens may reset their password by e-mail; staff ask their administrator.
    assert ("/konto/passwort/vergessen/" if kind == "citizen" else "/verwaltung/anmelden/") in body
    assert "/konto/bestaetigen/" not in body


def _reveals(link: str, email: str) -> bool:
    """Whether `link` carries `email`, plainly, URL-quoted or base64-encoded (maybe zlib)."""
    if email in unquote(link).lower():
        return True
    for part in re.split(r"[/:.?&=]", link):
        for start in range(len(part)):
            chunk = part[start:]
            try:
                raw = base64.urlsafe_b64decode(chunk + "=" * (-len(chunk) % 4))
            except ValueError:
                continue
            for data in (raw, _inflate(raw)):
                if email.encode() in data.lower():
                    return True
    return False


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def test_verification_link_carries_only_an_opaque_single_use_token(town, smtp_inbox):
    from rathaus.accounts.models import AccountToken

    Client().post("/konto/registrieren/", FORM)
    link = _link(smtp_inbox)
    assert not _reveals(link, "bettina.beispiel@example.org")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    stored = AccountToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()

    assert Client().get(link).status_code == 200
    assert User.objects.get().email_verified_at is not None
    assert Client().get(link).status_code == 400, "a link works once"


def test_expired_verification_link_is_refused(town, smtp_inbox, settings):
    from rathaus.accounts.models import AccountToken

    Client().post("/konto/registrieren/", FORM)
    stored = AccountToken.objects.get()
    assert stored.expires_at - stored.created_at == datetime.timedelta(
        seconds=settings.EMAIL_VERIFICATION_MAX_AGE)
    AccountToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get(_link(smtp_inbox)).status_code == 400
    assert User.objects.get().email_verified_at is None


def test_password_reset_link_names_no_address(town, citizen, smtp_inbox):
    Client().post("/konto/passwort/vergessen/", {"email": citizen.email})
    assert not _reveals(_link(smtp_inbox), citizen.email)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": "keine-adresse"}, "email"),
        ({"password": "kurz", "password_repeat": "kurz"}, "password"),
        ({"password": "12345678901", "password_repeat": "12345678901"}, "password"),
        ({"password_repeat": "etwas-anderes-2026"}, "password_repeat"),
        ({"first_name": ""}, "first_name"),
        ({"privacy": ""}, "privacy"),
    ],
)
def test_wrong_registration_input_gets_a_message_and_creates_nothing(town, change, field):
    response = Client().post("/konto/registrieren/", {**FORM, **change})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'aria-invalid="true"' in response.text
    assert not User.objects.exists()


def test_tampered_verification_link_is_refused(town, smtp_inbox):
    Client().post("/konto/registrieren/", FORM)
    link = _link(smtp_inbox)
    response = Client().get(link.rstrip("/") + "x/")
    assert response.status_code == 400
    assert User.objects.get().email_verified_at is None


def test_password_reset_by_email(town, citizen, smtp_inbox):
    client = Client()
    response = client.post("/konto/passwort/vergessen/", {"email": citizen.email})
    assert response.status_code == 302
    link = _link(smtp_inbox)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    new = "Neues-Passwort-2027"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(new)
    assert AuditEntry.all_authorities.filter(action="account.password_reset").exists()


def test_password_reset_for_unknown_address_reveals_nothing_and_sends_nothing(
    town, smtp_inbox
):
    response = Client().post("/konto/passwort/vergessen/", {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert smtp_inbox.messages == []


def test_registering_again_before_confirming_sends_a_new_confirmation_link(town, smtp_inbox):
    Client().post("/konto/registrieren/", {**FORM, "email": "neu@example.org"})
    first = smtp_inbox.body(smtp_inbox.wait_for(1))
    again = Client().post("/konto/registrieren/", {**FORM, "email": "neu@example.org"},
                          follow=True)
    assert again.status_code == 200
    second = smtp_inbox.body(smtp_inbox.wait_for(2))
    assert "/konto/bestaetigen/" in second and "bereits ein Konto" not in second
    link = re.search(r"https?://\S+/konto/bestaetigen/\S+", second).group(0)
    assert link not in first
    Client().get(urlsplit(link).path)
    account = User.objects.get(email="neu@example.org")
    assert account.email_verified_at is not None


def test_each_registration_field_says_what_to_enter_never_the_generic_message(town):
    empty = dict.fromkeys(["first_name", "last_name", "email", "password", "password_repeat"], "")
    response = Client().post("/konto/registrieren/", empty)
    assert response.status_code == 200
    assert {name: list(messages) for name, messages in response.context["form"].errors.items()} == {
        "first_name": ["Geben Sie Ihren Vornamen ein."],
        "last_name": ["Geben Sie Ihren Nachnamen ein."],
        "email": ["Geben Sie Ihre E-Mail-Adresse ein."],
        "password": ["Wählen Sie ein Passwort."],
        "password_repeat": ["Geben Sie das Passwort noch einmal ein."],
        "privacy": ["Bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben."],
    }
    assert "zwingend erforderlich" not in response.text
    wrong = Client().post("/konto/registrieren/", {**FORM, "email": "bettina@",
                                                    "password_repeat": "anders-2026-x"})
    assert list(wrong.context["form"].errors["email"]) == [
        "Geben Sie eine E-Mail-Adresse im Format name@beispiel.de ein."]
    assert list(wrong.context["form"].errors["password_repeat"]) == [
        "Die beiden Passwörter stimmen nicht überein. Geben Sie das Passwort noch einmal ein."]


def test_forms_of_the_account_never_show_djangos_generic_required_message(town, citizen):
    pages = {
        "/konto/anmelden/": {"username": "", "password": ""},
        "/konto/passwort/vergessen/": {"email": ""},
    }
    for path, data in pages.items():
        response = Client().post(path, data)
        assert response.status_code == 200, path
        assert "zwingend erforderlich" not in response.text, path
        assert response.context["form"].errors, path
