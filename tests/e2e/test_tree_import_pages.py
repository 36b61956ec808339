"""The tree import in a browser: a keeper uploads a CSV, sees the preview with the
refused row, confirms and sees the result; every page passes axe-core at 1280 and
360 px with the strict CSP on."""

import pytest

from tests.e2e.conftest import findings_at_both_widths, log_in_as_inspector

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = ("number;species;x;y;planting_year;street\n"
       "B-1;Winterlinde;360807;5663526;1980;Am Büscherhof\n"
       "B-2;Palme;360827;5663536;1990;Am Büscherhof\n")


@pytest.fixture
def species(transactional_db):
    """The seeded species, put back after an earlier transactional test's flush."""
    from rathaus.trees.species import ensure_species, forget_species

    forget_species()
    ensure_species()


def test_a_keeper_imports_trees_through_accessible_pages(cadastres, species, open_page,
                                                         tmp_path):
    upload = tmp_path / "baeume.csv"
    upload.write_text(CSV, encoding="utf-8")
    page = open_page()
    log_in_as_inspector(page, cadastres)

    page.goto("/verwaltung/kataster/import/")
    findings = findings_at_both_widths(page, "import form")
    page.set_input_files("#id_file", str(upload))
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()
    assert page.locator("#count-new").inner_text() == "1"
    assert page.locator("#refused-rows tbody tr").count() == 1
    findings += findings_at_both_widths(page, "import preview")
    with page.expect_navigation():
        page.locator("#confirm-import").click()
    assert page.locator("#result-created").inner_text() == "1"
    findings += findings_at_both_widths(page, "import result")
    assert not findings, "\n\n".join(findings)
