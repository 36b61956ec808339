"""An authority offering a service from a definition file."""

from django.db import transaction

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.authorities.models import Authority, Department
from rathaus.authorities.tenancy import current_authority

from .definitions import ServiceDefinition
from .models import Service


@unguarded("run by the operator (the demo loader), never from a page")
@transaction.atomic
def offer_service(*, definition: ServiceDefinition, published: bool = True) -> Service:
    """Create or update the active authority's Service row for `definition`.

    The texts are copied for search; the definition stays the source of truth. A town
    offers a service its district performs (`performed_by: district`) without having
    the district's departments: the district works it, so the town's row names none.
    """
    if _performed_above(definition):
        department = None
    else:
        _require_departments(definition)
        department = Department.objects.get(slug=definition.department)
    service, _ = Service.objects.update_or_create(
        slug=definition.id,
        defaults={
            "title": definition.title["de"],
            "summary": definition.summary["de"],
            "keywords": " ".join([*definition.keywords, definition.title.get("en", "")]),
            "department": department,
            "minimum_login_level": definition.minimum_login_level,
            "is_published": published,
        },
    )
    record("catalog.service_offered", target=service,
           data={"service": definition.id, "version": definition.version})
    return service


def _performed_above(definition: ServiceDefinition) -> bool:
    """A district's service offered in one of its towns."""
    return (definition.performed_by == Authority.Kind.DISTRICT
            and current_authority().kind == Authority.Kind.MUNICIPALITY)


def _require_departments(definition: ServiceDefinition) -> None:
    departments = {task.department for task in definition.tasks} | {definition.department}
    known = set(Department.objects.filter(slug__in=departments).values_list("slug", flat=True))
    if departments - known:
        raise ValueError(
            f"{definition.id}: departments missing in this authority: {sorted(departments - known)}"
        )
