from django.urls import include, path

from rathaus.accounts import urls as account_urls
from rathaus.audit import views as audit_views
from rathaus.handover import views as handover_views
from rathaus.mailbox.views import receipt_keys
from rathaus.portal.account_views import overview as account_overview
from rathaus.portal.language import switch_language
from rathaus.portal.security_txt import security_txt

# The accounts' URLs with "Mein Konto" added under the name accounts:overview: the
# page gathers cases, drafts, dogs and messages, which the accounts app (a layer
# below those apps) may not ask for, so the portal serves it.
account_patterns = [path("", account_overview, name="overview"), *account_urls.urlpatterns]

urlpatterns = [
    path("", include("rathaus.operations.urls")),
    path("", include("rathaus.portal.urls")),
    path("konto/postfach/", include("rathaus.mailbox.urls")),
    path("konto/", include((account_patterns, account_urls.app_name))),
    path("saml/", include("rathaus.identity.urls")),
    path("bestaetigung/", include("rathaus.confirmations.urls")),
    path("kennzeichen/", include("rathaus.vehicles.urls")),
    path("karten/", include("rathaus.portal.map_urls")),
    path("baeume/", include("rathaus.portal.tree_urls")),
    path("spielplaetze/", include("rathaus.portal.playground_urls")),
    path("schaden-melden/", include("rathaus.portal.damage_urls")),
    path("grabsuche/", include("rathaus.cemeteries.public_urls")),
    path("ratsinfo/mandat/", include("rathaus.council.reading_urls")),
    path("ratsinfo/", include("rathaus.council.public_urls")),
    path("oparl/v1/", include("rathaus.council.oparl_urls")),
    path("verwaltung/offene-daten/", include("rathaus.opendata.pages.office_urls")),
    path("verwaltung/kataster/import/", include("rathaus.fieldapp.import_urls")),
    path("verwaltung/friedhof/import/", include("rathaus.cemeteries.import_urls")),
    path("verwaltung/friedhof/", include("rathaus.cemeteries.office_urls")),
    path("verwaltung/arbeitszeit/", include("rathaus.worktime.urls")),
    path("verwaltung/sitzungsdienst/", include("rathaus.council.office_urls")),
    path("verwaltung/kataster/", include("rathaus.fieldapp.office_urls")),
    path("verwaltung/kontrolle/", include("rathaus.fieldapp.field_urls")),
    path("verwaltung/friedhof/buchung/", include("rathaus.cemeteries.booking_urls")),
    path("verwaltung/firmen/", include("rathaus.office.firm_urls")),
    path("verwaltung/", include("rathaus.office.urls")),
    path("daten/", include("rathaus.opendata.pages.urls")),
    path("api/", include("rathaus.opendata.ckan.urls")),
    path("ogc/", include("rathaus.opendata.ogc.urls")),
    path("", include("rathaus.opendata.dcat.urls")),
    path("uebergabe/", include("rathaus.handover.urls")),
    path("sprache/<str:code>/", switch_language, name="switch_language"),
    path(".well-known/rathaus/receipt-keys.json", receipt_keys, name="receipt_keys"),
    path(".well-known/rathaus/audit-tree-head.json", audit_views.published_tree_heads,
         name="audit_tree_heads"),
    path(".well-known/rathaus/audit-consistency.json", audit_views.consistency_proof,
         name="audit_consistency"),
    path(".well-known/rathaus/handover-keys.json", handover_views.key_set,
         name="handover_keys"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
]

handler400 = "rathaus.portal.errors.bad_request"
handler403 = "rathaus.portal.errors.permission_denied"
handler404 = "rathaus.portal.errors.page_not_found"
handler500 = "rathaus.portal.errors.server_error"
