"""Services one authority takes from another ("Einer für Alle").

Staff export a service as a YAML file: the definition the authority uses, the format
version, where it comes from and the values of the bylaw it depends on. Another
authority, on this instance or another, reads the file (`read_service_file`: upgraded
to the current format, checked against the schema, with German messages), adapts the
texts, fees, departments and bylaw values, and adopts it (`adopt_service`): from then on
the definition replaces the installation's file of that service for it alone
(catalog.registry), and its source stays with it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record
from rathaus.authorities.models import Authority, Department
from rathaus.authorities.selectors import portal_host
from rathaus.authorities.tenancy import current_authority

from . import definition_format
from .bylaw_values import bylaw_values_for
from .definitions import InvalidDefinition, SafeLoader, ServiceDefinition, definition_from_data
from .models import AdoptedDefinition, Service
from .permissions import may_exchange_services
from .registry import definition as definition_in_use
from .schema_messages import explain
from .services import offer_service

FORMAT_NAME = "rathaus-leistung"
MAX_FILE_BYTES = 1_000_000  # the largest definition of the demo is 40 kB
# The texts staff adapt on import, each {"de": …, "en": …}.
ADAPTABLE_TEXTS = ("title", "summary", "fee")


class ExchangeRefused(Exception):
    """A file that cannot be read or adopted; the message says why, for staff."""


# The online services this installation can decide (cases.decisions keeps their
# handlers, a layer above): cases tells at start-up, as forms tells the field types.
_decidable: Callable[[], Iterable[str]] = tuple


@unguarded("wiring at start-up (CasesConfig.ready), never from a page")
def use_decidable_services(names: Callable[[], Iterable[str]]) -> None:
    global _decidable
    _decidable = names


def _require_runnable(built: ServiceDefinition) -> None:
    """An online service needs this installation's code for its decision (the notice,
    the register); an information service needs nothing."""
    if built.is_online and built.id not in set(_decidable()):
        raise ExchangeRefused(_(
            "This installation has no decision for the online service “%(id)s” (its notice "
            "and register entries are code). Online services that exist here and "
            "information services can be taken over.") % {"id": built.id})


@dataclass(frozen=True)
class ServiceFile:
    """A service file read and upgraded: what the import page shows and adapts."""

    definition: dict  # in the current format, checked
    format_version: int  # the format the file was written in
    source: dict
    bylaw: dict | None = None  # {"reference": …, "values": {…}}

    @property
    def service_id(self) -> str:
        return self.definition["id"]


@dataclass(frozen=True)
class Adaptation:
    """What the adopting authority changes: texts by key, its departments for the
    file's ones, and the bylaw values with the day they apply from."""

    texts: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    bylaw_values: dict | None = None
    bylaw_valid_from: date | None = None


# --- Export --------------------------------------------------------------------------

@guarded_by(may_exchange_services)
def export_service(*, actor, service_id: str) -> str:
    """The service as the active authority offers it, as the text of a YAML file."""
    service = Service.objects.filter(slug=service_id).first()
    found = definition_in_use(service_id)
    if service is None or found is None:
        raise ExchangeRefused(_("This authority does not offer the service “%(id)s”.")
                              % {"id": service_id})
    authority = current_authority()
    host = portal_host(authority)
    envelope = {
        "format": FORMAT_NAME,
        "format_version": definition_format.CURRENT,
        "source": {
            "authority": authority.name,
            "municipality_key": authority.municipality_key,
            "portal": f"https://{host}/" if host else "",
            "service": found.id,
            "version": found.version,
            "exported_at": timezone.now().isoformat(timespec="seconds"),
            **_adopted_from(service_id),
        },
    }
    provider = bylaw_values_for(found)
    values = provider.in_force(on=timezone.localdate()) if provider else None
    if values is not None:
        envelope["bylaw"] = {"reference": found.tax_reference, "values": values}
    envelope["definition"] = found.data
    record("catalog.service_exported", actor=actor, target=service,
           data={"service": found.id, "version": found.version})
    return yaml.safe_dump(envelope, allow_unicode=True, sort_keys=False, width=100)


def _adopted_from(service_id: str) -> dict:
    """A service adopted from elsewhere passes its origin on."""
    adopted = AdoptedDefinition.objects.filter(service_id=service_id).first()
    return {"adopted_from": adopted.source} if adopted else {}


# --- Reading a file ------------------------------------------------------------------

@unguarded("reads a file into data; adopting it is the guarded step")
def read_service_file(content: bytes) -> ServiceFile:
    """The file's service, upgraded to the current format and checked; ExchangeRefused
    with a German message otherwise."""
    if len(content) > MAX_FILE_BYTES:
        raise ExchangeRefused(_("The file is larger than 1 MB; a service file is much "
                                "smaller. Choose the file exported from Rathaus."))
    try:
        text = content.decode("utf-8")
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=SafeLoader)):
            # An export never repeats a part by reference; a file that does could
            # expand to billions of entries when checked.
            raise ExchangeRefused(_("The file repeats parts by YAML references (*); an "
                                    "exported service file has none."))
        envelope = yaml.load(text, Loader=SafeLoader)  # noqa: S506 (libyaml's safe loader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ExchangeRefused(_("The file is not a service file exported from Rathaus "
                                "(it is not YAML text).")) from error
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT_NAME:
        raise ExchangeRefused(_("The file is not a service file exported from Rathaus "
                                "(“format: %(name)s” is missing).") % {"name": FORMAT_NAME})
    if not isinstance(envelope.get("definition"), dict):
        raise ExchangeRefused(_("The file contains no service definition."))
    version = envelope.get("format_version")
    try:
        data = definition_format.upgrade(envelope.get("definition"), version=version)
    except definition_format.UnknownFormat as error:
        if isinstance(version, int) and version > definition_format.CURRENT:
            raise ExchangeRefused(
                _("The file was written in format %(version)s by a newer Rathaus; this "
                  "installation reads formats up to %(current)s. Update Rathaus first.")
                % {"version": version, "current": definition_format.CURRENT}) from error
        raise ExchangeRefused(_("The file does not say its format version (format_version)."
                                )) from error
    except (AttributeError, TypeError):
        # Parts of the wrong kind (a step that is a number): the check below says where.
        data = envelope["definition"]
    _require_runnable(_check(data))
    source = envelope.get("source") if isinstance(envelope.get("source"), dict) else {}
    bylaw = envelope.get("bylaw") if isinstance(envelope.get("bylaw"), dict) else None
    return ServiceFile(definition=data, format_version=version, source=source, bylaw=bylaw)


def _check(data) -> ServiceDefinition:
    try:
        return definition_from_data(data, source=Path("import"))
    except InvalidDefinition as error:
        raise ExchangeRefused(explain(error)) from error


# --- Adapting and adopting -------------------------------------------------------------

@unguarded("reads a definition's data; changes nothing")
def departments_named(data: dict) -> list[str]:
    """The departments the definition names (its own and its tasks'), in order."""
    named = [data["department"], *(t["department"] for t in data.get("workflow", {})
                                   .get("tasks", ()))]
    return list(dict.fromkeys(named))


@unguarded("returns changed data; adopting it is the guarded step")
def adapted(data: dict, adaptation: Adaptation) -> dict:
    """The definition with the adopting authority's texts and departments."""
    data = copy.deepcopy(data)
    for key, text in adaptation.texts.items():
        if key not in ADAPTABLE_TEXTS:
            raise ValueError(f"{key!r} is not a text staff adapt on import")
        if text.get("de"):
            data[key] = {"de": text["de"], "en": text.get("en") or text["de"]}
        else:
            data.pop(key, None)  # a text left empty is not shown
    mapping = adaptation.departments
    data["department"] = mapping.get(data["department"], data["department"])
    for task in data.get("workflow", {}).get("tasks", ()):
        task["department"] = mapping.get(task["department"], task["department"])
    return data


@guarded_by(may_exchange_services)
@transaction.atomic
def adopt_service(*, actor, service_file: ServiceFile, adaptation: Adaptation) -> Service:
    """Adopt the service with the adaptation: the definition, the bylaw values and the
    service in the portal, all or nothing."""
    data = adapted(service_file.definition, adaptation)
    missing = set(departments_named(data)) - set(
        Department.objects.values_list("slug", flat=True))
    if missing:
        raise ExchangeRefused(_("Choose one of your departments for: %(names)s.")
                              % {"names": ", ".join(sorted(missing))})
    built = _check(data)
    _require_runnable(built)
    if built.performed_by != current_authority().kind:
        raise ExchangeRefused(
            _("A district performs this service; a town cannot adopt it.")
            if built.performed_by == Authority.Kind.DISTRICT else
            _("A town performs this service; a district cannot adopt it."))
    _adopt_bylaw_values(built, adaptation)
    AdoptedDefinition.objects.update_or_create(
        service_id=built.id,
        defaults={"data": data, "format_version": service_file.format_version,
                  "source": service_file.source, "adopted_by": actor})
    _definitions_changed()
    service = offer_service(definition=built)
    record("catalog.service_adopted", actor=actor, target=service,
           data={"service": built.id, "version": built.version,
                 "from": service_file.source.get("authority", ""),
                 "format_version": service_file.format_version})
    return service


def _adopt_bylaw_values(built: ServiceDefinition, adaptation: Adaptation) -> None:
    provider = bylaw_values_for(built)
    if provider is None or adaptation.bylaw_values is None:
        return
    try:
        provider.adopt(adaptation.bylaw_values,
                       valid_from=adaptation.bylaw_valid_from or timezone.localdate())
    except ValueError as error:
        raise ExchangeRefused(str(error)) from error


def _definitions_changed() -> None:
    """Every process reads the authority's adopted definitions anew: the active
    authority object is updated in place (it may be the one the host cache holds)."""
    authority = current_authority()
    Authority.objects.filter(pk=authority.pk).update(catalog_revision=F("catalog_revision") + 1)
    authority.refresh_from_db(fields=["catalog_revision"])


@guarded_by(may_exchange_services)
@transaction.atomic
def give_up_adopted_service(*, actor, service_id: str) -> None:
    """Back to the installation's own definition of the service (or none): the
    adopted one is removed, and the service with it where the installation has none."""
    from .registry import installed_definition

    adopted = AdoptedDefinition.objects.filter(service_id=service_id).first()
    if adopted is None:
        raise ExchangeRefused(_("This service was not adopted from another authority."))
    adopted.delete()
    _definitions_changed()
    service = Service.objects.filter(slug=service_id).first()
    own = installed_definition(service_id)
    try:
        if own is None:
            raise ValueError(service_id)
        service = offer_service(definition=own, published=service.is_published)
    except ValueError:  # no file of it here, or its departments are not the authority's
        service.is_published = False
        service.save(update_fields=["is_published"])
    record("catalog.service_adoption_ended", actor=actor, target=service,
           data={"service": service_id})


@unguarded("reads the active authority's own catalogue")
def adopted_services() -> list[AdoptedDefinition]:
    return list(AdoptedDefinition.objects.order_by("service_id"))
