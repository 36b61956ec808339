"""Published aggregates show no count below 3, nor what is computed from it."""

from rathaus.publication.small_counts import suppress_small_counts


def test_small_counts_and_what_derives_from_them_are_suppressed():
    rows = [{"group": "a", "n": 2, "median": 4.0}, {"group": "b", "n": 3, "median": 5.0}]
    assert suppress_small_counts(rows, count="n", dependent=("median",)) == [
        {"group": "a", "n": None, "median": None}, {"group": "b", "n": 3, "median": 5.0}]
