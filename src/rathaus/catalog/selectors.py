from django.db.models import Q
from django.utils.translation import get_language

from .definitions import localize
from .life_events import LIFE_EVENTS
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


def search_examples(*, limit: int = 2) -> list[str]:
    """Words for the search hint, taken from what the active authority offers, so that
    each of them finds a service: first one per service (its first keyword in German,
    where the keywords are German; its title otherwise), then the services' titles."""
    services = list(published_services()[:20])
    german = (get_language() or "de")[:2] == "de"
    candidates = [_first_keyword(service) if german else service.display_title
                  for service in services]
    candidates += [service.display_title for service in services]
    examples: list[str] = []
    for word in candidates:
        if word and word.casefold() not in {e.casefold() for e in examples}:
            examples.append(word)
    return examples[:limit]


def _first_keyword(service: Service) -> str:
    words = service.keywords.split()
    return words[0] if words else service.display_title


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


def services_for_life_event(slug: str) -> list[Service]:
    """The active authority's published services that belong to the life event, by
    title."""
    return sorted((service for service in published_services()
                   if service.definition and slug in service.definition.life_events),
                  key=lambda service: service.title)


def life_events_offered() -> list:
    """The life events with at least one published service here, in their order."""
    used = {slug for service in published_services() if service.definition
            for slug in service.definition.life_events}
    return [event for slug, event in LIFE_EVENTS.items() if slug in used]
