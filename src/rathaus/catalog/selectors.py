from django.db.models import Q

from .definitions import localize
from .models import Service
from .registry import definition


def published_services(*, query: str = ""):
    """The active authority's published services, filtered by every word of `query`."""
    services = Service.objects.filter(is_published=True)
    for word in query.split()[:10]:
        services = services.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(keywords__icontains=word)
        )
    return services


def offered_service(*, slug: str) -> Service | None:
    """The service the active authority offers under `slug`: published, and with a
    definition loaded in this installation (None otherwise)."""
    service = Service.objects.filter(slug=slug, is_published=True).first()
    if service is None or service.definition is None:
        return None
    return service


def service_with_slug(*, slug: str) -> Service | None:
    """The active authority's service row for `slug`, published or not (a case keeps
    its service after the service is withdrawn)."""
    return Service.objects.filter(slug=slug).first()


def processing_time(*, service_id: str) -> str:
    """How long the service usually takes, in the active language ("" if unknown)."""
    found = definition(service_id)
    return localize(found.processing_time) if found and found.processing_time else ""
