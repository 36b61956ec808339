from django.urls import include, path

from rathaus.mailbox.views import receipt_keys
from rathaus.portal.language import switch_language

urlpatterns = [
    path("", include("rathaus.portal.urls")),
    path("konto/postfach/", include("rathaus.mailbox.urls")),
    path("konto/", include("rathaus.accounts.urls")),
    path("verwaltung/offene-daten/", include("rathaus.opendata.pages.office_urls")),
    path("verwaltung/", include("rathaus.office.urls")),
    path("daten/", include("rathaus.opendata.pages.urls")),
    path("api/", include("rathaus.opendata.ckan.urls")),
    path("ogc/", include("rathaus.opendata.ogc.urls")),
    path("", include("rathaus.opendata.dcat.urls")),
    path("sprache/<str:code>/", switch_language, name="switch_language"),
    path(".well-known/rathaus/receipt-keys.json", receipt_keys, name="receipt_keys"),
]

handler400 = "rathaus.portal.errors.bad_request"
handler403 = "rathaus.portal.errors.permission_denied"
handler404 = "rathaus.portal.errors.page_not_found"
handler500 = "rathaus.portal.errors.server_error"
