"""Who may ask for a copy of personal data: a citizen, for their own (the services take
the citizen as the actor, so nobody can ask for another's)."""

from rathaus.accounts.permissions import is_citizen, rule


@rule("subject_access.may_request_copy")
def may_request_copy(actor) -> bool:
    """Any logged-in citizen, for their own data."""
    return is_citizen(actor)
