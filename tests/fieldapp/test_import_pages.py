"""The cadastre import pages: upload, preview with refused rows, confirm once, result;
a clerk of another department does not find them."""

import pytest

from rathaus.assets.models import Asset
from rathaus.authorities.tenancy import authority_context
from rathaus.trees.models import TreeImport
from tests.factories import make_department, make_staff, office_client

CSV = ("number;species;lon;lat;planting_year;street\n"
       "B-1;Winterlinde;7.0117;51.1063;1980;Am Büscherhof\n"
       "B-2;Palme;7.0120;51.1064;1990;Am Büscherhof\n").encode()


@pytest.fixture(autouse=True)
def _species(db):
    from rathaus.trees.species import ensure_species, forget_species

    forget_species()
    ensure_species()


@pytest.fixture
def keeper(cadastres):
    return office_client(cadastres["inspector"], cadastres["device"])


def _upload(client, content=CSV, name="baeume.csv", crs=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/verwaltung/kataster/import/",
                       {"file": SimpleUploadedFile(name, content), "crs": crs})


def test_an_import_is_previewed_confirmed_once_and_shows_its_result(keeper, town):
    page = keeper.get("/verwaltung/kataster/import/")
    assert page.status_code == 200
    assert b'name="crs"' in page.content and b"EPSG:25832" in page.content

    uploaded = _upload(keeper)
    assert uploaded.status_code == 302
    preview = keeper.get(uploaded["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="count-new">1<' in html and 'id="count-refused">1<' in html
    assert 'id="refused-rows"' in html and "Palme" in html and ">3<" in html  # line 3
    with authority_context(town):
        tree_import = TreeImport.objects.get()
        assert not Asset.objects.filter(number="B-1").exists()  # nothing before confirming

    run_url = f"/verwaltung/kataster/import/{tree_import.pk}/ausfuehren/"
    done = keeper.post(run_url)
    assert done.status_code == 302 and done["Location"].endswith("/ergebnis/")
    again = keeper.post(run_url)
    assert again.status_code == 302
    result = keeper.get(done["Location"])
    assert 'id="result-created">1<' in result.content.decode()
    with authority_context(town):
        assert Asset.objects.filter(number="B-1").count() == 1
        assert Asset.objects.get(number="B-1").revisions.count() == 1


def test_a_file_that_cannot_be_read_is_refused_on_the_form(keeper, town):
    response = _upload(keeper, content=b"\xff\xfe\x00garbage", name="b.csv")
    assert response.status_code == 400
    assert "kern-form-input--error" in response.content.decode() \
        or "kern-error" in response.content.decode()
    with authority_context(town):
        assert not TreeImport.objects.exists()


def test_a_shapefile_without_prj_asks_for_its_system(keeper):
    from tests.trees.test_importing import shapefile_zip

    content = shapefile_zip([((360_807.0, 5_663_526.0), ("B-1", "birke", 2000, ""))],
                            prj=None)
    assert _upload(keeper, content=content, name="b.zip").status_code == 400
    assert _upload(keeper, content=content, name="b.zip", crs="EPSG:25832").status_code == 302


def test_a_clerk_of_another_department_does_not_find_the_import(cadastres, town):
    tax_office = make_department(town, slug="steueramt", name="Steueramt")
    clerk, device = make_staff(town, departments=[tax_office], email="steuer@x.example")
    client = office_client(clerk, device)
    assert client.get("/verwaltung/kataster/import/").status_code == 404
    assert _upload(client).status_code == 404


def test_a_confirmed_import_runs_in_the_background_and_the_page_says_so(keeper, town,
                                                                       settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    uploaded = _upload(keeper)
    item_id = int(uploaded["Location"].rstrip("/").rsplit("/", 1)[-1])
    run_url = f"/verwaltung/kataster/import/{item_id}/ausfuehren/"
    keeper.post(run_url)
    keeper.post(run_url)  # a second confirmation queues nothing more
    assert DBTaskResult.objects.filter(task_path__endswith="run_tree_import").count() == 1
    page = keeper.get(f"/verwaltung/kataster/import/{item_id}/ergebnis/")
    assert 'id="import-running"' in page.content.decode()
    with authority_context(town):
        assert TreeImport.objects.get().state == TreeImport.State.RUNNING
        assert not Asset.objects.exists()
