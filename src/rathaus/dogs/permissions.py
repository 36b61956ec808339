"""Who may act on a registered dog."""

from rathaus.accounts.permissions import is_citizen, rule

from .models import Dog


@rule("dogs.is_holder")
def is_holder(actor, *, dog: Dog) -> bool:
    """The citizen who holds the dog deregisters it."""
    return is_citizen(actor) and dog.holder_id == actor.pk
