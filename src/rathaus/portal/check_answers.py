"""Check your answers, then confirm: the pattern of every service that ends in a notice.

1. The question page validates the answers and keeps them with `PendingAnswers` (in
   the session: given, but not acted on), then redirects to the summary.
2. The summary shows them as `Row`s (template `includes/check_answers.html`),
   each with a "Change" link back to its question, and a form whose one button
   confirms (`includes/confirm_form.html`).
3. Only the confirming POST calls the domain's service. It must be idempotent: a second
   POST (a double click, the back button) finds the work done and shows the same
   confirmation page, which says what happens next.

The application summary (`portal/summary.html`) uses the same two templates.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One answer on a summary. `change_url` leads back to the question ("" for a fact
    the citizen cannot change here)."""

    label: str
    value: str
    change_url: str = ""


class PendingAnswers:
    """Answers given on a question page and not yet confirmed, kept in the session under
    `key` (one per thing asked about, e.g. "deregister-dog:12"). JSON values only."""

    PREFIX = "pending-answers:"

    def __init__(self, request, key: str):
        self.session = request.session
        self.key = self.PREFIX + key

    def keep(self, answers: dict) -> None:
        self.session[self.key] = answers

    def get(self) -> dict | None:
        return self.session.get(self.key)

    def clear(self) -> None:
        self.session.pop(self.key, None)
