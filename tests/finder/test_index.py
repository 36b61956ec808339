"""The index follows the catalogue by itself: a published service is found at once, a
renamed one under its new name only, an unpublished or deleted one no longer; another
authority's services never; the rebuild command makes it anew."""

from django.core.management import call_command
from django.db import connection

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.models import Service
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.finder import text_index
from rathaus.finder.models import IndexWord, SearchEntry
from rathaus.finder.selectors import find_services, suggestions
from rathaus.finder.services import rebuild_index
from tests.factories import make_department


def _slugs(query):
    return [service.slug for service in find_services(query)]


def _words():
    return set(IndexWord.objects.values_list("word", flat=True))


def test_a_service_offered_from_its_definition_is_found_by_its_keywords(town):
    make_department(town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(town):
        offer_service(definition=definition("personalausweis"))
        assert _slugs("Perso abgelaufen") == ["personalausweis"]
        entry = SearchEntry.objects.get()
        assert entry.title == "personalausweis beantragen"
        assert "perso abgelaufen" in entry.keywords.split(" | ")
        assert "online ausweis" in entry.keywords.split(" | ")


def test_a_renamed_service_is_found_by_its_new_name_only(in_town):
    service = Service.objects.create(slug="hund", title="Hund anmelden")
    assert _slugs("Hund") == ["hund"]
    service.title = "Vierbeiner registrieren"
    service.save()
    assert _slugs("Vierbeiner") == ["hund"]
    assert _slugs("Hund") == []
    assert "hund" not in _words() and "vierbeiner" in _words()


def test_an_unpublished_service_leaves_the_index_and_comes_back_when_published(in_town):
    service = Service.objects.create(slug="hund", title="Hund anmelden")
    service.is_published = False
    service.save()
    assert _slugs("Hund") == [] and suggestions("Hun") == []
    assert not SearchEntry.objects.exists() and _words() == set()
    service.is_published = True
    service.save()
    assert _slugs("Hund") == ["hund"]


def test_a_deleted_service_leaves_the_index_and_the_databases_text_index(in_town):
    service = Service.objects.create(slug="hund", title="Hund anmelden")
    entry_id = SearchEntry.objects.get().pk
    service.delete()
    assert _slugs("Hund") == []
    assert not SearchEntry.objects.exists() and _words() == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM finder_entry_stems WHERE rowid = %s",
                           [entry_id])
            assert cursor.fetchone() == (0,)
            cursor.execute("SELECT count(*) FROM finder_word_pieces WHERE padded LIKE '%hund%'")
            assert cursor.fetchone() == (0,)


def test_a_word_stays_in_the_vocabulary_while_another_service_uses_it(in_town):
    first = Service.objects.create(slug="hund-an", title="Hund anmelden")
    Service.objects.create(slug="hund-ab", title="Hund abmelden")
    first.delete()
    assert {"hund", "abmelden"} <= _words() and "anmelden" not in _words()


def test_another_authoritys_services_are_never_found(town, district):
    with authority_context(district):
        Service.objects.create(slug="kfz", title="Fahrzeug zulassen", keywords="Auto")
        Service.objects.create(slug="hund", title="Hund anmelden bei dem Kreis")
    with authority_context(town):
        Service.objects.create(slug="hund", title="Hund anmelden")
        assert _slugs("Fahrzeug") == [] and _slugs("Auto") == []
        assert _slugs("Hund") == ["hund"]
        assert [s.pk for s in find_services("Hund Kreis")] == [
            Service.objects.get(slug="hund").pk]
        assert suggestions("Fahrz") == []
        # Nor through the vocabulary: the Kreis's words are not the town's.
        assert "fahrzeug" not in _words() and "kreis" not in _words()


def test_the_rebuild_command_makes_every_authoritys_index_anew(town, district):
    with authority_context(town):
        Service.objects.create(slug="hund", title="Hund anmelden")
    with authority_context(district):
        Service.objects.create(slug="kfz", title="Fahrzeug zulassen")
    SearchEntry.all_authorities.all().delete()  # an index lost, or never made
    IndexWord.all_authorities.all().delete()
    with authority_context(town):
        assert _slugs("Hund") == []
    call_command("rebuild_search_index", verbosity=0)
    with authority_context(town):
        assert _slugs("Hund") == ["hund"] and _slugs("Fahrzeug") == []
        assert rebuild_index() == 1
        assert _slugs("Hund") == ["hund"]
    with authority_context(district):
        assert _slugs("Fahrzeug") == ["kfz"]


def test_every_database_has_its_text_index_module():
    assert text_index.for_connection().__name__.endswith(f"{connection.vendor}_index")
