"""What other apps add to the sending of an application, inside its transaction: a
registry, so that a block or a domain (a third party's confirmation, a late
registration's note) joins the sending without `cases` knowing it.

A step is `step(case=…, definition=…, answers=…)`. It runs after the case, its file and
its tasks exist and before the transaction commits, so what it writes stands or falls
with the case. A step that raises `SubmissionRefused` sends nothing, and the citizen
reads its message on the summary page (nothing of the draft is lost).
"""

from collections.abc import Callable

from rathaus.registry import Registry

SUBMISSION_STEPS: Registry[Callable] = Registry("submission step")


class SubmissionRefused(Exception):
    """An answer that was fine when given no longer is (a code used up meanwhile);
    `message` says in the citizen's words what to change, `step_id` where."""

    def __init__(self, message, *, step_id: str = ""):
        super().__init__(str(message))
        self.message, self.step_id = message, step_id


def submission_step(name: str) -> Callable[[Callable], Callable]:
    def register(function: Callable) -> Callable:
        SUBMISSION_STEPS.register(name, function)
        return function

    return register


def run_submission_steps(**arguments) -> None:
    for step in SUBMISSION_STEPS.all().values():
        step(**arguments)
