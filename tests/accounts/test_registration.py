import re

import pytest
from django.test import Client

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
