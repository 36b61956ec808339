"""The confirmation joins the sending of an application (rathaus.cases.submission_steps):
in its transaction, so a case never exists without its request, nor a request without
its case."""

from rathaus.cases.submission_steps import submission_step

from .services import on_submission


@submission_step("confirmations.third_party")
def third_party(*, case, definition, answers) -> None:
    on_submission(case=case, definition=definition, answers=answers)
