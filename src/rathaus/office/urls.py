from django.urls import include, path

from . import (
    background_views,
    case_views,
    catalogue_views,
    components_views,
    register_views,
    satisfaction_views,
    views,
)

app_name = "office"

urlpatterns = [
    path("", views.basket, name="basket"),
    path("anmelden/", views.login_view, name="login"),
    path("abmelden/", views.logout_view, name="logout"),
    path("abteilung/", views.switch_department, name="switch_department"),
    path("komponenten/", components_views.components, name="components"),
    path("hintergrund/", background_views.failed_tasks, name="failed_tasks"),
    path("zufriedenheit/", satisfaction_views.satisfaction, name="satisfaction"),
    path("leistungen/", catalogue_views.catalogue, name="catalogue"),
    path("leistungen/uebernehmen/", catalogue_views.adopt, name="adopt_service"),
    path("leistungen/fim-entwurf/", catalogue_views.fim_draft, name="fim_draft"),
    path("leistungen/<slug:service_id>/export/", catalogue_views.export, name="export_service"),
    path("leistungen/<slug:service_id>/eigene-fassung/", catalogue_views.give_up,
         name="give_up_adopted_service"),
    path("hintergrund/<uuid:task_id>/erneut/", background_views.retry_task, name="retry_task"),
    path("vorgaenge/<uuid:case_id>/", case_views.case_view, name="case"),
    path("vorgaenge/<uuid:case_id>/schritt/<slug:action>/", case_views.case_action,
         name="case_action"),
    path("vorgaenge/<uuid:case_id>/dokumente/<uuid:version_id>/", case_views.case_document,
         name="case_document"),
    # The eAkte: search, files and the file plan, incoming mail, hand-over to the archive.
    path("akten/suche/", include("rathaus.office.search_urls")),
    path("akten/", include("rathaus.office.files_urls")),
    path("posteingang/", include("rathaus.office.intake_urls")),
    path("aussonderung/", include("rathaus.office.archive_urls")),
    path("protokoll/", include("rathaus.office.audit_urls")),
    path("melderegister/", register_views.register_search, name="register_search"),
    path("melderegister/personen/<int:person_id>/", register_views.register_person,
         name="register_person"),
]
