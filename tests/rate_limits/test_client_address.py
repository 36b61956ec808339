from rathaus.rate_limits.client_address import client_address


def test_the_client_behind_trusted_proxies_is_counted_never_a_forged_one(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2",
                     REMOTE_ADDR="10.0.0.1")
    settings.RATHAUS_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.RATHAUS_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.2"
    settings.RATHAUS_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.7"


def test_fewer_forwarded_entries_than_proxies_fall_back_to_the_connection(rf, settings):
    settings.RATHAUS_PROXY_COUNT = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.2", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"


def test_django_axes_counts_the_same_client_address():
    from axes.helpers import get_client_ip_address  # noqa: F401  (the setting resolves)
    from django.conf import settings
    from django.utils.module_loading import import_string

    assert import_string(settings.AXES_CLIENT_IP_CALLABLE) is client_address
