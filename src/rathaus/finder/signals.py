"""The index follows the catalogue: every saved or deleted Service, whoever saved it
(offer_service, an adoption, the admin, a test), is indexed again or taken out."""

from contextlib import nullcontext

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import active_authority_or_none, authority_context
from rathaus.catalog.models import Service

from .services import forget_service, index_service


def _in_authority_of(service: Service):
    """The service's authority active: its adopted definitions are read, its index
    written. Usually it is already."""
    active = active_authority_or_none()
    if active is not None and active.pk == service.authority_id:
        return nullcontext()
    return authority_context(Authority.objects.get(pk=service.authority_id))


@receiver(post_save, sender=Service, dispatch_uid="finder.service_saved")
def _service_saved(sender, instance: Service, raw: bool = False, **kwargs):
    if raw:  # a fixture being loaded: `rathaus rebuild_search_index` indexes it afterwards
        return
    with _in_authority_of(instance):
        index_service(service=instance)


# Before: the entry goes with the service (a cascade), and SQLite's copy of it must go
# too, which needs the entry's id.
@receiver(pre_delete, sender=Service, dispatch_uid="finder.service_deleted")
def _service_deleted(sender, instance: Service, **kwargs):
    with _in_authority_of(instance):
        forget_service(service=instance)
