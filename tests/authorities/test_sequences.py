import threading

import pytest
from django.db import connection, transaction

from rathaus.authorities.sequences import next_value
from rathaus.authorities.tenancy import authority_context


def test_numbers_count_up_per_name_period_and_authority(town, district):
    with authority_context(town):
        assert [next_value("akte", period="2026") for _ in range(3)] == [1, 2, 3]
        assert next_value("akte", period="2027") == 1
        assert next_value("hundemarke") == 1
    with authority_context(district):
        assert next_value("akte", period="2026") == 1


def test_rolled_back_caller_leaves_no_gap(town):
    with authority_context(town):
        next_value("akte")
        with pytest.raises(RuntimeError), transaction.atomic():
            next_value("akte")
            raise RuntimeError
        assert next_value("akte") == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_number(town):
    results, errors = [], []

    def draw():
        try:
            with authority_context(town):
                for _ in range(10):
                    with transaction.atomic():
                        results.append(next_value("hundemarke"))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, 41))


def test_a_reserved_number_is_kept_for_its_key(town):
    from rathaus.authorities.sequences import reserve_value

    with authority_context(town):
        first = reserve_value("hundemarke", key="case:a")
        assert reserve_value("hundemarke", key="case:b") == first + 1
        assert reserve_value("hundemarke", key="case:a") == first  # a repeated run
        assert next_value("hundemarke") == first + 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_for_one_key_get_one_number_and_use_up_one(town):
    from rathaus.authorities.sequences import reserve_value

    results, errors = [], []

    def reserve(key):
        try:
            with authority_context(town):
                for _ in range(5):
                    results.append((key, reserve_value("hundemarke", key=key)))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(key,)) for key in "aabb"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    by_key = {key: {value for k, value in results if k == key} for key in "ab"}
    assert sorted(v for values in by_key.values() for v in values) == [1, 2]
    with authority_context(town):
        assert next_value("hundemarke") == 3  # no number was lost to the race


def test_a_number_reserved_beforehand_is_found_inside_a_transaction_without_a_draw(town):
    """Drawing inside the long transaction that uses the number would lock the
    sequence's row until it commits, keeping every other draw of the authority waiting."""
    from django.test.utils import CaptureQueriesContext

    from rathaus.authorities.sequences import reserve_value

    with authority_context(town):
        reserved = reserve_value("aktenzeichen", key="handover:1")
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            assert reserve_value("aktenzeichen", key="handover:1") == reserved
        assert not [q for q in queries if "authorities_sequence" in q["sql"]]
        with transaction.atomic():  # not reserved before: drawn and kept as ever
            assert reserve_value("aktenzeichen", key="handover:2") == reserved + 1
        assert reserve_value("aktenzeichen", key="handover:2") == reserved + 1
