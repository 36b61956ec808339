import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from rathaus.rate_limits.rates import Rate, parse_rate, rates_of


@pytest.mark.parametrize(("text", "rate"), [
    ("10/m", Rate(count=10, period=60)),
    ("5/h", Rate(count=5, period=3600)),
    ("600 / m", Rate(count=600, period=60)),
    ("100/10m", Rate(count=100, period=600)),
    ("1/2d", Rate(count=1, period=172800)),
    ("off", None),
    ("", None),
])
def test_rates_read_as_count_per_period(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["10", "10/minute", "ten/m", "10/0m", "-1/m"])
def test_anything_else_is_no_rate(text):
    with pytest.raises(ValueError, match="not a rate"):
        parse_rate(text)


def test_the_defaults_are_the_documented_ones(settings):
    assert rates_of("login") == {"client": Rate(10, 60), "account": Rate(5, 60)}
    assert rates_of("registration") == {"client": Rate(5, 3600), "account": Rate(3, 3600)}
    assert rates_of("password_reset") == {"client": Rate(5, 3600), "account": Rate(3, 3600)}
    assert rates_of("api") == {"client": Rate(600, 60), "account": None}
    assert settings.RATHAUS_RATE_LIMITS_ENABLED


def test_an_unknown_limit_name_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="no limit 'loign'"):
        rates_of("loign")


def test_a_wrong_rate_in_the_settings_stops_the_start(settings):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "login": {"client": "10 per minute", "acount": "5/m"}}
    ids = {message.id for message in run_checks()}
    assert {"rate_limits.E001", "rate_limits.E002"} <= ids


def test_a_rate_from_the_environment_overrides_the_default(monkeypatch):
    import importlib

    import rathaus.settings as module

    monkeypatch.setenv("RATHAUS_RATE_LIMIT_LOGIN_CLIENT", "20/m")
    monkeypatch.setenv("RATHAUS_RATE_LIMITS_ENABLED", "false")
    try:
        fresh = importlib.reload(module)
        assert fresh.RATHAUS_RATE_LIMITS["login"] == {"client": "20/m", "account": "5/m"}
        assert fresh.RATHAUS_RATE_LIMITS_ENABLED is False
    finally:
        monkeypatch.undo()
        importlib.reload(module)
