"""Whether pages may offer the login with the online ID card (an identity provider is
configured), for the citizen login page's link to it."""

from .views import available


def id_card_login(request) -> dict:
    return {"id_card_login_available": available()}
