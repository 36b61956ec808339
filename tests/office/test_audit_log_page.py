"""The audit log in the office (/verwaltung/protokoll/): administrators see every entry
of their authority newest first, with the kind in words and citizens by account number
only; they filter by kind, time and person and walk the pages without the whole log
being counted. Team leads and clerks do not get the page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.audit.models import AuditEntry
from rathaus.audit.services import record, record_access
from rathaus.authorities.tenancy import authority_context
from rathaus.office import audit_views, audit_wording
from tests.factories import departments_of, make_citizen, make_staff, office_client

URL = "/verwaltung/protokoll/"


def _named(user, first, last):
    User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)
    user.refresh_from_db()
    return user


@pytest.fixture
def office(dog_town):
    steueramt = departments_of(dog_town)["steueramt"]
    admin, admin_device = make_staff(dog_town, departments=[steueramt], role="administrator",
                                     email="admin@x.example")
    clerk, _ = make_staff(dog_town, departments=[steueramt], email="clerk@x.example")
    return {"admin": office_client(_named(admin, "Hanna", "Verwalterin"), admin_device),
            "clerk": _named(clerk, "Konrad", "Sachbearbeiter"),
            "citizen": make_citizen("wiebke.wunderlich@example.org"),
            "steueramt": steueramt}


def _german(text) -> str:
    """The page's words (German is shown by default), whether or not the catalogue of
    translations has the new ones yet."""
    with translation.override("de"):
        return str(text)


def test_administrators_read_the_log_newest_first_with_citizens_by_account_number(
        office, dog_town):
    citizen, clerk = office["citizen"], office["clerk"]
    _named(citizen, "Wiebke", "Wunderlich")
    with authority_context(dog_town):
        record("subject_access.requested", actor=citizen, target=citizen)
        record_access(staff=clerk, citizen=citizen, what="Vorgang 21.33.01-2026-000007")
        record("archive.message_0502_imported", actor=clerk)
        record("something.unknown")
    page = office["admin"].get(URL).content.decode()
    # The link in the navigation.
    assert f'href="{URL}" aria-current="page"' in page
    table = page[page.index("<tbody"):]
    assert "Wunderlich" not in page and "wiebke.wunderlich" not in page
    with translation.override("de"):
        citizen_words = audit_wording.who(AuditEntry(actor=citizen, actor_id=citizen.pk))
        asked = str(audit_wording.KINDS["subject_access.requested"])
        opened = str(audit_wording.KINDS["personal_data.viewed"])
        archive = audit_wording.kind_label("archive.message_0502_imported")
    assert str(citizen.pk) in citizen_words and "Wunderlich" not in citizen_words
    assert citizen_words in table and "Konrad Sachbearbeiter" in table
    assert "Vorgang 21.33.01-2026-000007" in table
    assert "0502" in archive and archive in table
    # Newest first; a kind without words as it is stored.
    assert (table.index("something.unknown") < table.index(archive)
            < table.index(opened) < table.index(asked))


def test_team_leads_and_clerks_get_no_page_and_no_link(dog_town):
    steueramt = departments_of(dog_town)["steueramt"]
    for role, email in (("team_lead", "lead@x.example"), ("clerk", "c@x.example")):
        client = office_client(*make_staff(dog_town, departments=[steueramt], role=role,
                                           email=email))
        assert client.get(URL).status_code == 404
        assert URL not in client.get("/verwaltung/").content.decode()


def test_filters_by_kind_time_and_person(office, dog_town, monkeypatch):
    citizen, clerk = office["citizen"], office["clerk"]
    with authority_context(dog_town):
        record("records.note_added", actor=clerk)
        record("records.document_moved", actor=clerk)
        record("subject_access.requested", actor=citizen)
        record("intake.item_received")
    # The last entry was written ten days ago.
    ten_days_ago = timezone.now() - timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: ten_days_ago)
    with authority_context(dog_town):
        record("archive.offered", actor=clerk)
    monkeypatch.undo()
    admin = office["admin"]

    def kinds(**query) -> set[str]:
        response = admin.get(URL, query)
        assert response.status_code == 200
        rows = response.context["rows"]
        return {row["entry"].action for row in rows}

    assert kinds(kind="records.") == {"records.note_added", "records.document_moved"}
    assert kinds(kind="subject_access.requested") == {"subject_access.requested"}
    assert kinds(actor=str(clerk.pk)) == {"records.note_added", "records.document_moved",
                                          "archive.offered"}
    assert kinds(actor="system") >= {"intake.item_received"}
    assert "subject_access.requested" not in kinds(actor="system")
    assert kinds(actor=str(citizen.pk)) == {"subject_access.requested"}
    day = timezone.localdate(ten_days_ago).strftime("%d.%m.%Y")
    assert kinds(since=day, until=day) == {"archive.offered"}
    assert "archive.offered" not in kinds(
        since=timezone.localdate().strftime("%d.%m.%Y"))


@pytest.mark.parametrize("query, message", [
    ({"since": "31.02.2026"}, "Der Februar 2026 hat 28 Tage"),
    ({"since": "gestern"}, "Bitte geben Sie das Datum als TT.MM.JJJJ ein."),
    ({"since": "10.03.2026", "until": "01.03.2026"},
     _("The end date lies before the start date.")),
    ({"kind": "Records; DROP"}, _("A kind consists of small letters, digits, dots and "
                                  "underscores, for example “records.”.")),
    ({"actor": "jemand"}, _("Choose a person from the list.")),
    ({"before": "-4"}, "1"),
])
def test_bad_filters_get_a_german_message_and_no_entries(office, query, message):
    response = office["admin"].get(URL, query)
    assert response.status_code == 200
    assert response.context["page"] is None and not response.context["rows"]
    page = response.content.decode()
    assert "Es gibt ein Problem" in page and _german(message) in page


def test_pages_are_walked_by_sequence_number_without_counting_the_log(
        office, dog_town, monkeypatch):
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 4)
    with authority_context(dog_town):
        before = AuditEntry.objects.count()
        for number in range(10):
            record("records.note_added", actor=office["clerk"], data={"n": number})
        total = AuditEntry.objects.count()
        assert total - before == 10
    admin, seen, url = office["admin"], [], URL
    with CaptureQueriesContext(connection) as queries:
        while True:
            response = admin.get(url)
            rows = response.context["rows"]
            assert len(rows) <= 4
            seen += [row["entry"].seq for row in rows]
            if not response.context["older_query"]:
                break
            url = f"{URL}?{response.context['older_query']}"
    assert seen == sorted(seen, reverse=True) == list(range(total, 0, -1))
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()
                and "audit_auditentry" in q["sql"]]
    # And back: the newer page of the last one is the one before it.
    newer = response.context["newer_query"]
    back = admin.get(URL + "?" + newer).context["rows"]
    assert [row["entry"].seq for row in back] == seen[-len(rows) - 4:-len(rows)]
