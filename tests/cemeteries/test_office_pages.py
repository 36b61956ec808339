"""The Friedhofsverwaltung's pages (/verwaltung/friedhof/): only the department keeping
the cemetery cadastre sees them (404 for another department and another authority);
the lists, the field plan, a grave with its actions and the bylaw's forms, with their
refusals in the clerk's language."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from rathaus.assets.models import Cadastre
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import rules, services
from rathaus.cemeteries.models import Burial, Grave, GraveKind, GraveType, RightLetter, RightOfUse
from rathaus.notices.demo import create_demo_notice_settings
from tests.cemeteries.conftest import HOLDER
from tests.factories import PASSWORD, current_totp, make_staff, office_client

BASE = "/verwaltung/friedhof/"


@pytest.fixture
def clerk(cemetery_world):
    return office_client(cemetery_world["clerk"], cemetery_world["device"])


@pytest.fixture
def stranger(town, cemetery_world):
    with authority_context(town):
        other = Department.objects.create(slug="bauamt", name="Bauamt")
    user, device = make_staff(town, departments=[other], email="bau@leichlingen.example")
    return office_client(user, device)


def _grave(world, kind, index=0) -> Grave:
    return world["graves"][kind][index]


def _right(world, town, kind, index=0, *, ends_in_days=90):
    grave = _grave(world, kind, index)
    ends_on = timezone.localdate() + timedelta(days=ends_in_days)
    with authority_context(town):
        right = services.grant_right(
            actor=world["clerk"], grave=grave, holder=HOLDER,
            starts_on=rules.add_years(ends_on, -world["types"][kind].right_years))
        RightOfUse.objects.filter(pk=right.pk).update(ends_on=ends_on)
        right.refresh_from_db()
    return right


def _page_text(response) -> str:
    return response.content.decode()


def test_the_clerk_sees_the_overview_with_free_graves_and_the_lists(cemetery_world, town,
                                                                     clerk):
    _right(cemetery_world, town, GraveKind.CHOICE)
    response = clerk.get(BASE)
    assert response.status_code == 200
    text = _page_text(response)
    assert 'data-figure="rights_ending"' in text
    assert f'{BASE}feld/{cemetery_world["field"].pk}/' in text
    assert f'{BASE}friedhof/{cemetery_world["cemetery"].pk}/satzung/' in text
    assert response.context["rights_ending"] == 1
    # The office navigation links the pages for the department.
    assert f'href="{BASE}"' in text


@pytest.mark.parametrize("path", ["", "nutzungsrechte/", "ruhezeiten/", "abraeumen/"])
def test_another_department_finds_nothing(cemetery_world, stranger, path):
    assert stranger.get(BASE + path).status_code == 404


def test_another_department_finds_no_grave_field_or_bylaw(cemetery_world, stranger):
    world = cemetery_world
    grave = _grave(world, GraveKind.ROW)
    for path in (f"grab/{grave.pk}/", f"feld/{world['field'].pk}/",
                 f"friedhof/{world['cemetery'].pk}/satzung/"):
        assert stranger.get(BASE + path).status_code == 404
    response = stranger.post(BASE + f"grab/{grave.pk}/verlaengern/", {"years": 5})
    assert response.status_code == 404
    assert "Friedhöfe" not in _page_text(stranger.get("/verwaltung/"))


def test_staff_of_another_authority_find_nothing_of_the_towns(cemetery_world, district):
    with authority_context(district):
        department = Department.objects.create(slug="friedhof", name="Friedhofsamt")
        Cadastre.objects.create(name="cemeteries", department=department)
    user, device = make_staff(district, departments=[department], email="fh@rbk.example")
    client = Client(HTTP_HOST="rbk.localhost")
    response = client.post("/verwaltung/anmelden/", {
        "username": user.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    assert client.get(BASE).status_code == 200  # their own, empty
    grave = _grave(cemetery_world, GraveKind.ROW)
    assert client.get(f"{BASE}grab/{grave.pk}/").status_code == 404
    assert client.get(f"{BASE}feld/{cemetery_world['field'].pk}/").status_code == 404


def test_the_list_of_rights_ending_names_grave_and_holder(cemetery_world, town, clerk):
    right = _right(cemetery_world, town, GraveKind.CHOICE, ends_in_days=100)
    _right(cemetery_world, town, GraveKind.URN_CHOICE, ends_in_days=500)
    response = clerk.get(BASE + "nutzungsrechte/")
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert [row["number"] for row in rows] == [right.number]
    text = _page_text(response)
    assert HOLDER.name in text and right.grave.asset.number in text


def test_the_button_writes_the_letters_to_the_holders(cemetery_world, town, clerk):
    with authority_context(town):
        create_demo_notice_settings()
    right = _right(cemetery_world, town, GraveKind.CHOICE, ends_in_days=30)
    response = clerk.post(BASE + "nutzungsrechte/schreiben/")
    assert response.status_code == 302
    with authority_context(town):
        assert RightLetter.objects.filter(right=right).count() == 1
    clerk.post(BASE + "nutzungsrechte/schreiben/")
    with authority_context(town):
        assert RightLetter.objects.count() == 1


def _burial(grave, right, *, rest_ends_in_days, last_name="Beispiel"):
    return Burial.objects.create(
        grave=grave, right=right, kind="urn", first_name="Heinrich", last_name=last_name,
        died_on=timezone.localdate(),
        buried_at=timezone.make_aware(datetime.combine(timezone.localdate(), time(10))),
        rest_ends_on=timezone.localdate() + timedelta(days=rest_ends_in_days),
        state=Burial.State.CONFIRMED)


def _ended(world, town, kind, index=0, *, rest_ends_in_days):
    right = _right(world, town, kind, index, ends_in_days=-10)
    with authority_context(town):
        RightOfUse.objects.filter(pk=right.pk).update(state=RightOfUse.State.ENDED)
        Grave.objects.filter(pk=right.grave_id).update(state=Grave.State.OCCUPIED)
        _burial(right.grave, right, rest_ends_in_days=rest_ends_in_days)
    return right.grave


def test_rest_periods_and_graves_to_clear_are_listed(cemetery_world, town, clerk):
    over = _ended(cemetery_world, town, GraveKind.CHOICE, rest_ends_in_days=-1)
    with authority_context(town):
        _burial(_grave(cemetery_world, GraveKind.URN_CHOICE), None, rest_ends_in_days=60,
                last_name="Ruhend")
    response = clerk.get(BASE + "ruhezeiten/")
    assert "Ruhend" in _page_text(response)
    response = clerk.get(BASE + "abraeumen/")
    assert [row["pk"] for row in response.context["page"].rows] == [over.pk]


def test_a_cleared_grave_is_free_again(cemetery_world, town, clerk):
    grave = _ended(cemetery_world, town, GraveKind.CHOICE, rest_ends_in_days=-1)
    response = clerk.post(f"{BASE}grab/{grave.pk}/abgeraeumt/", follow=True)
    assert response.status_code == 200
    with authority_context(town):
        grave.refresh_from_db()
    assert grave.state == Grave.State.FREE


def test_clearing_is_refused_while_a_rest_period_runs(cemetery_world, town, clerk):
    grave = _ended(cemetery_world, town, GraveKind.CHOICE, rest_ends_in_days=100)
    response = clerk.post(f"{BASE}grab/{grave.pk}/abgeraeumt/", follow=True)
    with translation.override("de"):
        expected = services.InvalidGrave(
            translation.gettext("A rest period of the grave %(number)s is still running.")
            % {"number": grave.asset.number}).message
    assert expected in _page_text(response)
    with authority_context(town):
        grave.refresh_from_db()
    assert grave.state == Grave.State.OCCUPIED


def test_the_field_plan_shows_every_grave_by_state(cemetery_world, town, clerk):
    world = cemetery_world
    reserved = _right(world, town, GraveKind.CHOICE, ends_in_days=400).grave
    response = clerk.get(f"{BASE}feld/{world['field'].pk}/")
    assert response.status_code == 200
    text = _page_text(response)
    assert text.count(f'href="{BASE}grab/') >= 2 * 12  # the plan's links and the table's
    assert '<svg class="cemetery-plan"' in text
    assert f'data-state="{Grave.State.RESERVED}"' in text
    assert f'data-state="{Grave.State.FREE}"' in text
    assert reserved.asset.number in text
    assert 'fill="url(#plan-reserved)"' in text


def test_the_grave_page_shows_the_right_and_the_burials(cemetery_world, town, clerk):
    right = _right(cemetery_world, town, GraveKind.CHOICE, ends_in_days=400)
    with authority_context(town):
        _burial(right.grave, right, rest_ends_in_days=300, last_name="Verstorben")
    response = clerk.get(f"{BASE}grab/{right.grave_id}/")
    assert response.status_code == 200
    text = _page_text(response)
    assert HOLDER.name in text and right.number in text and "Verstorben" in text


def test_a_right_is_extended_within_the_bylaw_with_its_fee(cemetery_world, town, clerk):
    right = _right(cemetery_world, town, GraveKind.CHOICE, ends_in_days=400)
    response = clerk.post(f"{BASE}grab/{right.grave_id}/verlaengern/", {"years": "10"})
    assert response.status_code == 302
    with authority_context(town):
        right.refresh_from_db()
        extension = right.extensions.get()
    assert extension.years == 10 and extension.fee == Decimal("600.00")
    page = _page_text(clerk.get(response["Location"]))
    assert "600,00" in page


def _refusal(grave_type, right, years) -> str:
    with translation.override("de"), pytest.raises(rules.ExtensionRefused) as refused:
        rules.extended_end(grave_type, starts_on=right.starts_on, ends_on=right.ends_on,
                           years=years)
    return refused.value.message


def test_a_row_graves_right_is_not_extended_and_the_page_says_why(cemetery_world, town,
                                                                   clerk):
    right = _right(cemetery_world, town, GraveKind.ROW, ends_in_days=400)
    response = clerk.post(f"{BASE}grab/{right.grave_id}/verlaengern/", {"years": "5"})
    assert response.status_code == 400
    expected = _refusal(cemetery_world["types"][GraveKind.ROW], right, 5)
    assert expected in _page_text(response)


def test_an_extension_beyond_the_bylaws_limits_is_refused(cemetery_world, town, clerk):
    right = _right(cemetery_world, town, GraveKind.CHOICE, ends_in_days=400)
    response = clerk.post(f"{BASE}grab/{right.grave_id}/verlaengern/", {"years": "31"})
    assert response.status_code == 400
    assert _refusal(cemetery_world["types"][GraveKind.CHOICE], right, 31) in _page_text(
        response)
    response = clerk.post(f"{BASE}grab/{right.grave_id}/verlaengern/", {"years": "abc"})
    assert response.status_code == 400
    with authority_context(town):
        assert not right.extensions.exists()


def test_the_consent_to_the_grave_search_is_saved(cemetery_world, town, clerk):
    right = _right(cemetery_world, town, GraveKind.CHOICE, ends_in_days=400)
    clerk.post(f"{BASE}grab/{right.grave_id}/grabsuche/",
               {"consent_grave_search": "on", "consent_during_rest": "on"})
    with authority_context(town):
        right.refresh_from_db()
    assert right.consent_grave_search and right.consent_during_rest


def test_a_right_is_granted_in_advance_for_a_free_grave(cemetery_world, town, clerk):
    grave = _grave(cemetery_world, GraveKind.URN_CHOICE)
    path = f"{BASE}grab/{grave.pk}/nutzungsrecht/"
    response = clerk.post(path, {"holder_name": "", "holder_postcode": "12"})
    assert response.status_code == 400
    assert response.context["grant_form"].errors.keys() >= {
        "holder_name", "holder_street", "holder_postcode", "holder_city", "starts_on"}
    response = clerk.post(path, {
        "holder_name": HOLDER.name, "holder_street": HOLDER.street,
        "holder_postcode": HOLDER.postcode, "holder_city": HOLDER.city,
        "starts_on": timezone.localdate().strftime("%d.%m.%Y")})
    assert response.status_code == 302
    with authority_context(town):
        grave.refresh_from_db()
        assert grave.state == Grave.State.RESERVED
        assert grave.rights.get().holder_name == HOLDER.name


def test_the_bylaw_page_and_its_form(cemetery_world, town, clerk):
    cemetery = cemetery_world["cemetery"]
    response = clerk.get(f"{BASE}friedhof/{cemetery.pk}/satzung/")
    assert response.status_code == 200
    path = f"{BASE}friedhof/{cemetery.pk}/satzung/{GraveKind.CHOICE}/"
    form = clerk.get(path).context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data["extendable"] = "on"
    data["extension_min_years"], data["extension_max_years"] = "10", "5"
    response = clerk.post(path, data)
    assert response.status_code == 400
    assert "extension_max_years" in response.context["form"].errors
    data["extension_max_years"] = "20"
    data["extension_fee_per_year"] = "65,00"
    response = clerk.post(path, data)
    assert response.status_code == 302
    with authority_context(town):
        grave_type = GraveType.objects.get(cemetery=cemetery, kind=GraveKind.CHOICE)
    assert grave_type.extension_max_years == 20
    assert grave_type.extension_fee_per_year == Decimal("65.00")
    assert clerk.get(f"{BASE}friedhof/{cemetery.pk}/satzung/unbekannt/").status_code == 404


def test_opening_a_grave_of_a_holder_with_an_account_is_in_their_access_log(
        cemetery_world, town, clerk):
    from rathaus.audit.models import AccessLogEntry
    from tests.factories import make_citizen

    citizen = make_citizen("margarete@example.org")
    grave = _grave(cemetery_world, GraveKind.URN_CHOICE)
    holder = services.Holder(name=HOLDER.name, street=HOLDER.street,
                             postcode=HOLDER.postcode, city=HOLDER.city, user=citizen)
    with authority_context(town):
        services.grant_right(actor=cemetery_world["clerk"], grave=grave, holder=holder,
                             starts_on=timezone.localdate())
    assert clerk.get(f"{BASE}grab/{grave.pk}/").status_code == 200
    clerk.get(f"{BASE}grab/{_grave(cemetery_world, GraveKind.ROW).pk}/")  # nobody's
    with authority_context(town):
        entries = list(AccessLogEntry.objects.filter(citizen=citizen))
    assert len(entries) == 1 and entries[0].staff == cemetery_world["clerk"]


def test_the_list_naming_a_holder_with_an_account_is_in_their_access_log(
        cemetery_world, town, clerk):
    from rathaus.audit.models import AccessLogEntry
    from tests.factories import make_citizen

    citizen = make_citizen("margarete@example.org")
    grave = _grave(cemetery_world, GraveKind.CHOICE)
    holder = services.Holder(name=HOLDER.name, street=HOLDER.street,
                             postcode=HOLDER.postcode, city=HOLDER.city, user=citizen)
    ends_on = timezone.localdate() + timedelta(days=60)
    with authority_context(town):
        right = services.grant_right(
            actor=cemetery_world["clerk"], grave=grave, holder=holder,
            starts_on=rules.add_years(ends_on, -30))
    _right(cemetery_world, town, GraveKind.URN_CHOICE)  # a holder without an account
    assert clerk.get(BASE + "nutzungsrechte/").status_code == 200
    with authority_context(town):
        entries = list(AccessLogEntry.objects.all())
    assert [(e.citizen, e.object_id) for e in entries] == [(citizen, str(right.pk))]
