from django.conf import settings
from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("anmelden/", views.start_login, name="login"),
    path("acs/", views.acs, name="acs"),
]

# The test identity provider: never in production (settings refuse to start with it).
if settings.RATHAUS_SAML_TEST_IDP and not settings.PRODUCTION:
    urlpatterns += [
        path("test-idp/metadata/", views.test_idp_metadata, name="test_idp_metadata"),
        path("test-idp/sso/", views.test_idp_sso, name="test_idp_sso"),
    ]
