import pytest

from rathaus.rate_limits.limiter import Refusal, client_key, refusal_for


@pytest.fixture
def tight(settings):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "login": {"client": "3/m", "account": "2/m"}}


def _attempts(n, *, client, account):
    return [refusal_for("login", client=client, account=account) for _ in range(n)]


@pytest.mark.django_db
def test_an_account_is_limited_from_any_address(tight, rate_clock):
    assert refusal_for("login", client="192.0.2.1", account="bettina@example.org") is None
    assert refusal_for("login", client="192.0.2.2", account="bettina@example.org") is None
    refused = refusal_for("login", client="192.0.2.3", account="bettina@example.org")
    assert refused == Refusal(limit="login", scope="account", retry_after=60)


@pytest.mark.django_db
def test_an_address_is_limited_whatever_account_it_names(tight, rate_clock):
    for number in range(3):
        assert refusal_for("login", client="192.0.2.1", account=f"p{number}@example.org") is None
    rate_clock.advance(20)
    refused = refusal_for("login", client="192.0.2.1", account="p9@example.org")
    assert refused == Refusal(limit="login", scope="client", retry_after=40)


@pytest.mark.django_db
def test_a_refused_client_does_not_use_up_the_accounts_quota(tight, rate_clock):
    _attempts(3, client="192.0.2.66", account=None)  # the flooder's quota is spent
    for _ in range(5):
        refused = refusal_for("login", client="192.0.2.66", account="bettina@example.org")
        assert refused.scope == "client"
    assert refusal_for("login", client="198.51.100.1", account="bettina@example.org") is None


@pytest.mark.django_db
def test_the_limit_lifts_when_the_window_ends(tight, rate_clock):
    assert _attempts(3, client="192.0.2.1", account=None)[-1] is None
    assert refusal_for("login", client="192.0.2.1", account=None) is not None
    rate_clock.advance(60)
    assert refusal_for("login", client="192.0.2.1", account=None) is None


@pytest.mark.django_db
def test_switched_off_nothing_is_counted_or_refused(tight, rate_clock, no_rate_limits):
    from rathaus.rate_limits.models import RateCounter

    assert _attempts(10, client="192.0.2.1", account="bettina@example.org") == [None] * 10
    assert not RateCounter.objects.exists()


@pytest.mark.django_db
def test_a_rate_set_off_is_not_counted(settings, rate_clock):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "login": {"client": "off", "account": "1/m"}}
    assert _attempts(5, client="192.0.2.1", account=None) == [None] * 5


@pytest.mark.parametrize(("address", "key"), [
    ("192.0.2.1", "192.0.2.1"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::7", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.1", "192.0.2.1"),
    (None, None),
    ("", None),
])
def test_an_ipv6_client_is_counted_by_its_64_network(address, key):
    assert client_key(address) == key


@pytest.fixture
def five_failures(settings):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "security_code": {"account": "5/h"}}


@pytest.mark.django_db
def test_failures_are_counted_only_when_counted_and_stop_the_next_attempt(
        five_failures, rate_clock):
    from rathaus.rate_limits.limiter import count_failure, failures_exhausted

    for _ in range(10):  # asking counts nothing
        assert failures_exhausted("security_code", account="user:7") is None
    for _ in range(5):
        assert failures_exhausted("security_code", account="user:7") is None
        count_failure("security_code", account="user:7")
    rate_clock.advance(600)
    refused = failures_exhausted("security_code", account="user:7")
    assert refused == Refusal(limit="security_code", scope="account", retry_after=3000)
    assert failures_exhausted("security_code", account="user:8") is None
    rate_clock.advance(3000)
    assert failures_exhausted("security_code", account="user:7") is None


@pytest.mark.django_db
def test_failures_are_neither_counted_nor_refused_when_limits_are_off(
        five_failures, rate_clock, no_rate_limits):
    from rathaus.rate_limits.limiter import count_failure, failures_exhausted
    from rathaus.rate_limits.models import RateCounter

    for _ in range(6):
        count_failure("security_code", account="user:7")
    assert failures_exhausted("security_code", account="user:7") is None
    assert not RateCounter.objects.exists()
