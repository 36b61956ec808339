"""The components page for developers: every include of the templates, rendered with
sample data by the real include, for staff only."""

from pathlib import Path

from django.conf import settings
from django.test import Client

from rathaus.forms.field_types import FIELD_TYPES
from tests.factories import citizen_logged_in, make_department, make_staff, office_client

PAGE = "/verwaltung/komponenten/"


def _includes() -> set[str]:
    folder = Path(settings.BASE_DIR) / "templates" / "includes"
    return {f"includes/{path.name}" for path in folder.glob("*.html")}


def test_staff_see_every_include_rendered_with_sample_data(town):
    staff, device = make_staff(town, departments=[
        make_department(town, slug="steueramt", name="Steueramt")])
    response = office_client(staff, device).get(PAGE)
    assert response.status_code == 200
    rendered = {template.name for template in response.templates}
    # A new include shows up here, or this test names it.
    assert _includes() <= rendered, f"not on the components page: {_includes() - rendered}"
    assert "opendata/preview_table.html" in rendered
    html = response.text
    # One question per field type, once as asked and once with its error.
    for name in FIELD_TYPES.names():
        assert f'id="id_sample_{name}' in html, name
        assert f'id="id_fehler-sample_{name}' in html, name
    assert 'class="kern-alert kern-alert--danger error-summary"' in html
    # Every question that must be answered says so (a file may follow later).
    errors = response.context["form_with_errors"].errors
    assert len(errors) == sum(not kind.holds_files for kind in FIELD_TYPES.all().values())
    assert html.count('class="kern-error"') == len(errors)
    # Ids stay unique, though the same questions appear twice.
    ids = [part.split('"', 1)[0] for part in html.split(' id="')[1:]]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_citizens_and_visitors_are_sent_to_the_staff_login(town, citizen):
    for client in (Client(), citizen_logged_in(citizen)):
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith("/verwaltung/anmelden/")
