"""Reading the citizen's requests for a copy of their data."""

from .models import CopyRequest

# Enough for any citizen's page; nobody asks more often.
MAX_REQUESTS = 20


def requests_of(*, citizen) -> list[CopyRequest]:
    """The citizen's own requests at the active authority, newest first."""
    if not (citizen and citizen.is_authenticated and citizen.is_citizen):
        return []
    return list(CopyRequest.objects.filter(citizen=citizen)
                .order_by("-requested_at", "-pk")[:MAX_REQUESTS])
