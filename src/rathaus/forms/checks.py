"""Checks of a step's answers taken together, which no single field can make (is the
new address in the town's street directory? did the household move from one
address?). A definition names them on a step (`checks:`); the app that knows the rule
registers it here, so a block never knows a domain.

A check is `check(answers) -> {field id: message}`: `answers` are the draft's answers
with the step's new ones and the derived values; an empty dict means all is well. The
message is the citizen's, saying how to put it right.

A check that counts something per citizen (wrong security codes, which could otherwise
be guessed) registers with `per_applicant=True` and is called
`check(answers, applicant_id=…)`, the id of the account whose draft it is.
"""

from collections.abc import Callable

from rathaus.registry import Registry

ANSWER_CHECKS: Registry[Callable[..., dict]] = Registry("answer check")


def answer_check(name: str, *, per_applicant: bool = False) -> Callable:
    def register(function: Callable[..., dict]) -> Callable[..., dict]:
        if per_applicant:
            ANSWER_CHECKS.register(name, function)
        else:
            ANSWER_CHECKS.register(
                name, lambda answers, *, applicant_id=None: function(answers))
        return function

    return register


def problems(names, answers: dict, *, applicant_id=None) -> dict:
    """Every message of the named checks, by field; the first one per field wins."""
    found: dict = {}
    for name in names:
        for field_id, message in ANSWER_CHECKS[name](
                answers, applicant_id=applicant_id).items():
            found.setdefault(field_id, message)
    return found
