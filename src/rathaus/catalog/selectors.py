from django.db.models import Q

from .models import Service


def published_services(*, query: str = ""):
    """The active authority's published services, filtered by every word of `query`."""
    services = Service.objects.filter(is_published=True)
    for word in query.split()[:10]:
        services = services.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(keywords__icontains=word)
        )
    return services
