"""docs/workflow.md shows the workflow tables as the code has them."""

from django.core.management import call_command

from rathaus.cases.workflow_docs import DEFAULT_PATH, rewritten


def test_workflow_page_shows_the_tables_in_code():
    page = DEFAULT_PATH.read_text(encoding="utf-8")
    assert rewritten(page) == page, (
        "docs/workflow.md differs from the workflow tables in cases/workflow.py: "
        "run `.venv/bin/rathaus workflow_docs` and commit the page.")


def test_the_command_rewrites_only_the_generated_part(tmp_path):
    page = tmp_path / "workflow.md"
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    head, tail = text.split("<!-- END generated -->")
    page.write_text(head.split("### `decision`")[0] + "<!-- END generated -->" + tail,
                    encoding="utf-8")
    call_command("workflow_docs", path=page)
    assert page.read_text(encoding="utf-8") == text
    call_command("workflow_docs", path=page, check=True)
