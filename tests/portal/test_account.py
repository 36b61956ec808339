""""Mein Konto" gathers the citizen's drafts, cases, dogs and unread messages in the
portal view and hands them to the template."""

from django.urls import resolve, reverse

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.portal import account_views
from tests.factories import send_application


def test_my_account_is_served_by_the_portal_under_the_accounts_name():
    assert reverse("accounts:overview") == "/konto/"
    assert resolve("/konto/").func is account_views.overview


def test_my_account_lists_drafts_and_sent_cases(dog_town, citizen_client, town):
    case_id = send_application(citizen_client)
    draft_url = citizen_client.post("/leistungen/hundeanmeldung/beantragen/")["Location"]
    response = citizen_client.get("/konto/")
    with authority_context(town):
        case = Case.objects.get(pk=case_id)
    assert [str(draft.pk) for draft, _d in response.context["drafts"]] == [
        draft_url.split("/")[2]]
    assert [sent for sent, _d in response.context["cases"]] == [case]
    assert case.reference in response.text and draft_url in response.text
    assert response.context["unread"] == 0 and response.context["dogs"] == []


def test_my_applications_say_which_service_each_is_for(dog_town, citizen_client):
    send_application(citizen_client)
    page = citizen_client.get("/konto/").text
    table = page[page.index("<table"):page.index("</table>")]
    assert 'role="columnheader">Dienstleistung</th>' in table
    assert 'data-label="Dienstleistung">Hund anmelden</td>' in table
