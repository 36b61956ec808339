"""OParl 1.1 (`oparl_views`): /oparl/v1/ is the System, /oparl/v1/body/<id>/<type>/ the
body's lists, /oparl/v1/<type>/<id>/ each object (types as OParl spells them)."""

from django.urls import path

from . import oparl, oparl_views

app_name = "oparl"

urlpatterns = [
    path("", oparl_views.system, name="system"),
    path("body/", oparl_views.body_list, name="body_list"),
    path("body/<int:pk>/", oparl_views.body_object, name="body"),
    path("file/<int:pk>/access/", oparl_views.file_bytes, {"how": "access"}, name="file_access"),
    path("file/<int:pk>/download/", oparl_views.file_bytes, {"how": "download"},
         name="file_download"),
]
for kind in oparl.KINDS[1:]:
    urlpatterns += [
        path(f"body/<int:body>/{kind}/", oparl_views.list_view, {"kind": kind},
             name=f"{kind}_list"),
        path(f"{kind}/<int:pk>/", oparl_views.object_view, {"kind": kind}, name=kind),
    ]
