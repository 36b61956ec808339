"""The counters every web process shares: rows in the main database."""

import re
import threading

import pytest
from django.db import connections

from rathaus.rate_limits import counters
from rathaus.rate_limits.models import RateCounter


@pytest.mark.django_db
def test_each_request_counts_once_in_its_window(rate_clock):
    assert counters.hit("login|client|192.0.2.1", 60) == (1, 60)
    rate_clock.advance(15)
    assert counters.hit("login|client|192.0.2.1", 60) == (2, 45)
    assert counters.hit("login|client|192.0.2.2", 60) == (1, 45)


@pytest.mark.django_db
def test_a_new_window_starts_from_nothing(rate_clock):
    for _ in range(3):
        counters.hit("api|client|192.0.2.1", 60)
    rate_clock.advance(59.5)
    assert counters.hit("api|client|192.0.2.1", 60) == (4, 1)
    rate_clock.advance(0.5)
    assert counters.hit("api|client|192.0.2.1", 60) == (1, 60)


@pytest.mark.django_db
def test_the_table_holds_no_address_or_account_in_clear(rate_clock):
    counters.hit("login|account|bettina@example.org", 60)
    counters.hit("login|client|192.0.2.1", 60)
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2
    # A SHA-256 in hex: any three digits such as "192" may occur in it by chance (the
    # window's start is hashed in, so it changes with the time); the address may not.
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
    assert not any("bettina" in key or "192.0.2.1" in key for key in keys)


@pytest.mark.django_db
def test_housekeeping_deletes_the_counters_of_past_windows(rate_clock):
    counters.hit("login|client|192.0.2.1", 60)
    counters.hit("registration|client|192.0.2.1", 3600)
    rate_clock.advance(60)
    assert counters.delete_expired_counters() == 1
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_database_connections_count_on_the_same_counter(rate_clock):
    """As two gunicorn workers do: each thread has a connection of its own."""
    counters.hit("login|client|192.0.2.1", 60)
    mine, seen = connections["default"], []

    def other_worker():
        try:
            seen.append(connections["default"] is not mine)  # a connection of its own
            seen.append(counters.hit("login|client|192.0.2.1", 60)[0])
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    worker.join()
    assert seen == [True, 2]
    assert counters.hit("login|client|192.0.2.1", 60)[0] == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_lose_no_count(rate_clock):
    """The upsert is one atomic statement: no read-then-write race between processes."""
    errors = []

    def burst():
        try:
            for _ in range(10):
                counters.hit("api|client|192.0.2.9", 60)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=burst) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counters.hit("api|client|192.0.2.9", 60)[0] == 41
