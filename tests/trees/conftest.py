import pytest


@pytest.fixture(autouse=True)
def _species(request):
    """The seeded species, put back if an earlier transactional test's flush removed
    them (data migrations' rows do not survive a flush)."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db", "live_server"} & names
            or request.node.get_closest_marker("django_db")):
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & names or (
        marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from rathaus.trees.species import ensure_species, forget_species

    forget_species()
    ensure_species()
