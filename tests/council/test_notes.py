"""A councillor's private notes: sealed at rest, read and written by the writer only,
and shown nowhere else, neither to the Sitzungsdienst nor to an administrator."""

import pytest
from django.db import connection
from django.urls import reverse

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.council import notes
from rathaus.council.models import PrivateNote
from tests.factories import make_staff, office_client, project_urls

from .reading import HOME, de, member_client, paper_url

pytestmark = pytest.mark.django_db

NOTE = "Nachfragen: Kaufpreis Zwergenwiese 4711 zu hoch?"


WRITER = object()  # the councillor, Clara Rat


def _save(world, text=NOTE, *, actor=WRITER, paper=None):
    actor = world.councillor if actor is WRITER else actor
    with authority_context(world.authority):
        return notes.save_note(actor=actor, paper=paper or world.secret_paper, text=text)


def _text(world, *, actor=WRITER, paper=None):
    actor = world.councillor if actor is WRITER else actor
    with authority_context(world.authority):
        return notes.note_text(actor=actor, paper=paper or world.secret_paper)


def test_the_writer_reads_her_note_back_and_an_empty_note_removes_it(council_world):
    assert _save(council_world) is True
    assert _save(council_world) is True  # saving twice is harmless
    assert _text(council_world) == NOTE
    assert _text(council_world, paper=council_world.public_paper) == ""
    assert _save(council_world, "  ") is False
    assert _text(council_world) == ""
    with authority_context(council_world.authority):
        assert not PrivateNote.objects.exists()


def test_nobody_else_reads_or_writes_through_the_services(council_world, committee_member):
    _save(council_world)
    for other in (council_world.clerk, committee_member.user, None):
        with pytest.raises(NotPermitted):
            _text(council_world, actor=other)
        with pytest.raises(NotPermitted):
            _save(council_world, "überschrieben", actor=other)
    assert _text(council_world) == NOTE


def test_a_sealed_note_opens_only_for_its_writer_and_paper(council_world):
    _save(council_world)
    with authority_context(council_world.authority):
        note = PrivateNote.objects.get()
        # Moved to another paper (or another writer), the note no longer opens.
        PrivateNote.objects.filter(pk=note.pk).update(paper=council_world.public_paper)
    assert _text(council_world, paper=council_world.public_paper) == ""


def _plain_text_anywhere(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (names from the schema)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes) and needle.encode() in value \
                            or isinstance(value, str) and needle in value:
                        found.append(table)
    return found


def test_the_database_holds_no_plain_text_of_a_note(council_world):
    client = member_client(council_world.councillor, council_world.councillor_device)
    response = client.post(paper_url(council_world.secret_paper), {"text": NOTE})
    assert response.status_code == 302
    page = client.get(paper_url(council_world.secret_paper)).content.decode()
    assert de("Your note has been saved.") in page and NOTE in page
    assert _plain_text_anywhere(NOTE) == []
    assert _plain_text_anywhere("Zwergenwiese") == []


def test_a_note_too_long_gets_a_german_message_and_nothing_is_saved(council_world):
    client = member_client(council_world.councillor, council_world.councillor_device)
    response = client.post(paper_url(council_world.secret_paper),
                           {"text": "x" * (notes.MAX_LENGTH + 1)})
    assert response.status_code == 200 and response.context["form"].errors
    with authority_context(council_world.authority):
        assert not PrivateNote.objects.exists()


def _value(world, name: str, converter):
    """A real object for a URL parameter (the note's paper where the name says paper)."""
    with authority_context(world.authority):
        note_file = world.secret_paper.files.get()
    by_name = {"meeting": world.upcoming, "paper": world.secret_paper, "file": note_file,
               "item": world.secret_item, "person": world.clara, "organization": world.council,
               "body": world.council}
    obj = next((o for key, o in by_name.items() if key in name), world.secret_paper)
    kind = type(converter).__name__
    if kind == "UUIDConverter":
        return obj.uuid if hasattr(obj, "uuid") else world.secret_paper.uuid
    if kind == "IntConverter":
        return obj.pk
    return str(obj.pk)


def _every_get_path(world) -> list[str]:
    from django.urls import URLPattern, get_resolver

    converters = {}

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLPattern):
                key = f"{namespace}{entry.name}" if entry.name else None
                converters[key] = entry.pattern.converters
            else:
                walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)

    walk(get_resolver())
    paths = []
    for key, _route, named, parameters in project_urls():
        if not named or "logout" in key or "abmelden" in key:
            continue
        kwargs = {name: _value(world, name, converters[key][name]) for name in parameters}
        try:
            paths.append(reverse(key, kwargs=kwargs))
        except Exception:  # noqa: BLE001  (a parameter of another kind: not this walk's)
            continue
    return paths


def test_neither_the_sitzungsdienst_nor_an_administrator_sees_a_note_anywhere(council_world):
    _save(council_world)
    admin, admin_device = make_staff(council_world.authority, role="administrator",
                                     departments=[council_world.department],
                                     email="admin@leichlingen.example")
    paths = _every_get_path(council_world)
    assert paper_url(council_world.secret_paper) in paths and HOME in paths
    for staff, device in ((council_world.clerk, council_world.clerk_device),
                          (admin, admin_device)):
        client = office_client(staff, device)
        client.raise_request_exception = False
        for path in paths:
            response = client.get(path)
            body = (b"".join(response.streaming_content) if response.streaming
                    else response.content)
            assert NOTE.encode() not in body, f"{staff.email} read the note at {path}"
            assert b"Zwergenwiese" not in body, path
