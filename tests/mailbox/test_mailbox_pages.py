"""The citizen's mailbox pages: what the recipient sees, and what nobody else can reach."""

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox.models import Attachment
from rathaus.mailbox.selectors import unread_count
from rathaus.mailbox.services import MessageNotFound, NewAttachment, open_message
from tests.factories import make_citizen, make_department, make_staff

from .conftest import BODY, PDF, PDF_NAME, REFERENCE, SUBJECT, deliver, logged_in, message_url


def _urls(message) -> list[str]:
    base = message_url(message)
    attachment = Attachment.all_authorities.get(message=message)
    return [base, f"{base}anhang/{attachment.pk}/", f"{base}nachweis/versand/",
            f"{base}nachweis/eingang/", f"{base}nachweis/abholung/"]


def test_inbox_lists_newest_first_and_marks_unread(town, citizen):
    older = deliver(town, citizen, subject="Eingangsbestätigung Hundeanmeldung")
    newer = deliver(town, citizen, subject="Hundesteuerbescheid 2026")
    client = logged_in(citizen)
    client.get(message_url(older))
    response = client.get("/konto/postfach/")
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.id for e in entries] == [newer.pk, older.pk]
    assert [e.unread for e in entries] == [True, False]
    assert "Hundesteuerbescheid 2026" in response.text
    assert response.text.count("kern-badge ") == 1
    assert "private" in response["Cache-Control"]


def test_empty_inbox_says_so(town, citizen):
    response = logged_in(citizen).get("/konto/postfach/")
    assert response.context["entries"] == []
    assert "empty-state" in response.text


def test_message_page_shows_content_attachments_and_receipts(town, citizen):
    message = deliver(town, citizen)
    response = logged_in(citizen).get(message_url(message))
    assert response.status_code == 200
    assert response.context["message"].subject == SUBJECT
    assert "Bello setzen wir 96,00 Euro fest." in response.text
    assert REFERENCE in response.text and PDF_NAME in response.text
    assert len(response.context["receipts"]) == 3
    html = response.text
    assert "<script>" not in html and "style=" not in html


def test_attachment_download_is_an_attachment_with_its_type_and_nosniff(town, citizen):
    message = deliver(town, citizen)
    attachment = Attachment.all_authorities.get(message=message)
    response = logged_in(citizen).get(f"{message_url(message)}anhang/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{PDF_NAME}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_attachment_names_are_reduced_to_a_plain_file_name(town, citizen):
    message = deliver(town, citizen, attachments=[
        NewAttachment(filename="../../etc/Bescheid\u00e4.pdf", media_type="application/pdf",
                      content=PDF)
    ])
    attachment = Attachment.all_authorities.get(message=message)
    response = logged_in(citizen).get(f"{message_url(message)}anhang/{attachment.pk}/")
    assert "filename*=utf-8''Bescheid%C3%A4.pdf" in response["Content-Disposition"]


def test_another_citizen_sees_none_of_it(town, citizen):
    message = deliver(town, citizen)
    other = make_citizen("olaf@example.org")
    client = logged_in(other)
    inbox = client.get("/konto/postfach/")
    assert inbox.context["entries"] == []
    assert str(message.pk) not in inbox.text
    for url in _urls(message):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SUBJECT not in response.text
    with authority_context(town), pytest.raises(MessageNotFound):
        open_message(user=other, message_id=message.pk)


def test_a_message_of_one_authority_is_not_found_on_another_authoritys_portal(
    town, district, citizen
):
    message = deliver(district, citizen)
    client = logged_in(citizen)
    for url in _urls(message):
        assert client.get(url).status_code == 404, url
    assert logged_in(citizen, host="rbk.localhost").get(message_url(message)).status_code == 200


def test_unknown_ids_and_receipt_words_are_not_found(town, citizen):
    message = deliver(town, citizen)
    client = logged_in(citizen)
    assert client.get(f"{message_url(message)}nachweis/quittung/").status_code == 404
    assert client.get(f"{message_url(message)}anhang/{message.pk}/").status_code == 404
    assert client.get("/konto/postfach/00000000-0000-4000-8000-000000000000/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_anonymous_visitors_and_staff_are_sent_to_the_citizen_login(town, citizen, who):
    message = deliver(town, citizen)
    client = Client()
    if who == "staff":
        staff, _ = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                                 name="Steueramt")])
        client.force_login(staff)
    for url in ["/konto/postfach/", *_urls(message)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/anmelden/?next=")


def test_notification_email_has_the_link_and_none_of_the_content(town, citizen, smtp_inbox):
    message = deliver(town, citizen)
    email = smtp_inbox.wait_for()
    text = smtp_inbox.body(email)
    assert email["To"] == citizen.email
    assert f"http://leichlingen.localhost/konto/postfach/{message.pk}/" in text
    everything = f"{email['Subject']}\n{text}"
    for secret in (SUBJECT, "Bello", "96,00", REFERENCE, PDF_NAME, BODY.splitlines()[1]):
        assert secret not in everything


def test_my_account_links_to_the_mailbox_with_the_unread_count(town, citizen):
    deliver(town, citizen)
    deliver(town, citizen)
    with authority_context(town):
        assert unread_count(user=citizen) == 2
    html = logged_in(citizen).get("/konto/").text
    assert 'href="/konto/postfach/"' in html
    assert " 2 " in html


def test_only_citizens_have_a_mailbox(town):
    staff, _ = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                             name="Steueramt")])
    with pytest.raises(ValueError):
        deliver(town, staff)


def test_a_full_inbox_is_paged_and_any_page_number_is_taken(town, citizen, settings):
    from rathaus.mailbox import selectors

    settings.DEBUG = False
    for number in range(selectors.PAGE_SIZE + 3):
        deliver(town, citizen, subject=f"Nachricht {number:02d}")
    client = logged_in(citizen)
    first = client.get("/konto/postfach/")
    assert len(first.context["entries"]) == selectors.PAGE_SIZE
    assert "Nachricht 22" in first.text and "Seite 1 von 2" in first.text
    assert "?seite=2" in first.text
    second = client.get("/konto/postfach/?seite=2")
    assert [e.subject for e in second.context["entries"]] == [
        "Nachricht 02", "Nachricht 01", "Nachricht 00"]
    for junk in ("0", "-1", "999", "zwei", "1e9", "%00"):
        assert client.get(f"/konto/postfach/?seite={junk}").status_code == 200
