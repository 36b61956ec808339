from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("rathaus.portal.urls")),
    path("konto/", include("rathaus.accounts.urls")),
    path("verwaltung/", include("rathaus.office.urls")),
    path("sprache/", set_language, name="set_language"),
]

handler400 = "rathaus.portal.errors.bad_request"
handler403 = "rathaus.portal.errors.permission_denied"
handler404 = "rathaus.portal.errors.page_not_found"
handler500 = "rathaus.portal.errors.server_error"
