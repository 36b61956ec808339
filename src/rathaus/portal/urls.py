from django.urls import path

from . import application_views as applications
from . import data_copy_views, dog_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/vorschlaege/", views.search_suggestions, name="search_suggestions"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("lebenslagen/", views.life_events, name="life_events"),
    path("lebenslagen/<slug:slug>/", views.life_event, name="life_event"),
    path("leistungen/<slug:service_id>/", applications.service_page, name="service"),
    path("leistungen/<slug:service_id>/beantragen/", applications.start, name="start"),
    path("leistungen/<slug:service_id>/leichte-sprache/", views.service_easy_language,
         name="service_easy_language"),
    path("antraege/<uuid:draft_id>/schritt/<int:number>/", applications.step, name="step"),
    path("antraege/<uuid:draft_id>/pruefen/", applications.summary, name="summary"),
    path("antraege/<uuid:draft_id>/absenden/", applications.send, name="send"),
    path("antraege/<uuid:draft_id>/verwerfen/", applications.discard, name="discard"),
    path("vorgaenge/<uuid:case_id>/", applications.case, name="case"),
    path("vorgaenge/weitergeleitet/<uuid:forwarded_id>/", applications.forwarded,
         name="forwarded"),
    path("hunde/<int:dog_id>/abmelden/", dog_views.deregister, name="deregister_dog"),
    path("hunde/<int:dog_id>/abmelden/pruefen/", dog_views.check_deregistration,
         name="deregister_dog_check"),
    path("hunde/<int:dog_id>/abmelden/bestaetigung/", dog_views.deregistered,
         name="dog_deregistered"),
    path("vorgaenge/<uuid:case_id>/eingangsbestaetigung/", applications.case_receipt,
         name="case_receipt"),
    path("vorgaenge/<uuid:case_id>/bewertung/", applications.rate_case, name="rate_case"),
    path("konto/meine-daten/", data_copy_views.data_copy, name="data_copy"),
]
