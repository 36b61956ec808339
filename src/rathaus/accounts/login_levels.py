"""Vertrauensniveau: how strongly a login proved the person's identity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "rathaus_login_level"


class LoginLevel(models.TextChoices):
    BASISREGISTRIERUNG = "basisregistrierung", _("Basic registration (e-mail and password)")
    SUBSTANZIELL = "substanziell", _("Substantial (e.g. ELSTER certificate)")
    HOCH = "hoch", _("High (online ID card)")

    @property
    def rank(self) -> int:
        return list(LoginLevel).index(self)

    def satisfies(self, required: "LoginLevel") -> bool:
        return self.rank >= LoginLevel(required).rank


def session_login_level(request) -> LoginLevel | None:
    value = request.session.get(SESSION_KEY)
    return LoginLevel(value) if value in LoginLevel.values else None


def set_session_login_level(request, level: LoginLevel) -> None:
    request.session[SESSION_KEY] = str(level)
