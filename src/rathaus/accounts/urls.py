from django.urls import path

from . import views

# "Mein Konto" itself (the name "overview") is served by the portal, which may ask
# the apps that keep cases, drafts, dogs and messages: see rathaus/urls.py.
app_name = "accounts"

urlpatterns = [
    path("registrieren/", views.register, name="register"),
    path("registrieren/fertig/", views.registered, name="registered"),
    path("bestaetigen/<str:token>/", views.verify_email, name="verify_email"),
    path("firmenzugang/<str:token>/", views.firm_invitation, name="firm_invitation"),
    path("anmelden/", views.login_view, name="login"),
    path("anmelden/code/", views.login_code, name="login_code"),
    path("abmelden/", views.logout_view, name="logout"),
    path("daten/", views.profile, name="profile"),
    path("zwei-faktor/", views.two_factor, name="two_factor"),
    path("zugriffe/", views.access_log, name="access_log"),
    path("zugriffe/<int:entry_id>/nachweis.json", views.access_proof, name="access_proof"),
    path("passwort/vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort/geaendert/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
