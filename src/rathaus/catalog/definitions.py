"""Loading service definitions (services/*.yaml) into typed, validated objects.

A definition that does not match the schema, or that refers to a field that does not
exist, stops the start of the application with the file and the place of the error.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema
import yaml
from django.conf import settings
from django.utils.translation import get_language

from rathaus.registry import DuplicateEntry, Registry

from .definition_format import UnknownFormat, upgrade

# libyaml's loader where PyYAML was built with it (its wheels are): ten times faster than
# the pure-Python one, and every process (web, worker, command) loads all definitions at
# start. Both are safe loaders and build the same data.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader

SCHEMA_PATH = Path(__file__).with_name("service-definition.schema.json")


class InvalidDefinition(Exception):
    """`schema_error` is the JSON Schema's finding, when it was one (the import
    explains it in German: catalog.schema_messages)."""

    def __init__(self, path: Path, where: str, message: str, *,
                 schema_error: jsonschema.ValidationError | None = None):
        super().__init__(f"{path}: {where or '(top level)'}: {message}")
        self.path, self.where, self.message = path, where, message
        self.schema_error = schema_error


def localize(text: dict | None) -> str:
    """The text in the active language, German when there is no translation."""
    if not text:
        return ""
    return text.get((get_language() or "de")[:2]) or text["de"]


@dataclass(frozen=True)
class Option:
    value: str
    label: dict
    category: str = ""


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    label: dict
    hint: dict | None = None
    required: bool = False
    max_length: int | None = None
    past: bool = False
    max_age_years: int | None = None
    max_days_ahead: int | None = None
    # An account value, or "id_card.<attribute>": what the online ID card said, which
    # the form then shows read-only (forms.engine).
    prefill: str | None = None
    options: tuple[Option, ...] = ()
    show_if: dict | None = None
    # The messages a citizen gets: {"required": text, "invalid": text}, each text
    # {"de": …, "en": …}; a required field must say how to answer it (schema).
    errors: dict | None = None


@dataclass(frozen=True)
class Step:
    id: str
    title: dict
    fields: tuple[Field, ...]
    intro: dict | None = None
    # Names of checks of the step's answers together (rathaus.forms.checks).
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkflowTask:
    id: str
    department: str
    title: dict
    due_days: int = 14
    decides: bool = False
    when: dict | None = None


@dataclass(frozen=True)
class ThirdPartyConfirmation:
    """A person without an account confirms part of an application (a landlord, §19
    BMG), through a one-time link or first, with a code (rathaus.confirmations)."""

    party: dict
    title: dict
    legal_basis: dict
    statement: dict
    mode_field: str  # a radio field: "link" or "code"
    name_field: str
    email_field: str
    code_field: str
    shows: tuple[str, ...]  # the application's fields the party may see
    party_fields: tuple[Field, ...]  # what the party adds when confirming
    issue_fields: tuple[Field, ...]  # what the party fills in to confirm first
    task_id: str
    task_title: dict
    valid_days: int = 14
    remind_after_days: int = 7
    code_prefix: str = ""  # letters before a code: "WGB" gives WGB-7K3M-Q9TX


@dataclass(frozen=True)
class EasyBlock:
    """A paragraph (its sentences, one a line), a bulleted list or numbered steps."""

    kind: str  # "paragraph", "list" or "steps"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class EasySection:
    heading: str
    blocks: tuple[EasyBlock, ...]


@dataclass(frozen=True)
class EasyWord:
    word: str
    meaning: str

    @property
    def sentences(self) -> list[str]:
        """The meaning one sentence a line, as Leichte Sprache is set."""
        return re.split(r"(?<=[.!?])\s+", self.meaning.strip())


@dataclass(frozen=True)
class EasyLanguage:
    """The service in Leichte Sprache: German only, as Leichte Sprache is German."""

    title: str
    intro: str
    sections: tuple[EasySection, ...]
    words: tuple[EasyWord, ...] = ()


@dataclass(frozen=True)
class OpeningHours:
    days: dict  # text: "Montag bis Freitag"
    hours: str  # "8:00–12:00"


@dataclass(frozen=True)
class Contact:
    """Where and when a service is given in person."""

    place: dict  # text
    opening_hours: tuple[OpeningHours, ...] = ()
    appointment_url: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ServiceDefinition:
    id: str
    version: int
    title: dict
    summary: dict
    department: str
    # An online service (one with steps) has all four; an information service none.
    minimum_login_level: str = "basisregistrierung"
    retention_years: int = 0
    file_plan: dict = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    tasks: tuple[WorkflowTask, ...] = ()
    four_eyes: bool = False
    # Which kind of authority performs the service: "municipality" or "district".
    performed_by: str = "municipality"
    # The registered workflow table (cases.workflow); "" lets `four_eyes` choose.
    workflow_name: str = ""
    description: dict | None = None
    keywords: tuple[str, ...] = ()
    processing_time: dict | None = None
    fee: dict | None = None
    tax_reference: str = ""
    legal_basis: tuple[dict, ...] = ()
    required_documents: tuple[dict, ...] = ()
    derived: dict = field(default_factory=dict)
    easy_language: EasyLanguage | None = None
    third_party_confirmation: ThirdPartyConfirmation | None = None
    leika: str = ""  # the key in the federal service catalogue
    contact: Contact | None = None  # where and when, in person
    online_form: dict | None = None  # {"url", "provider"}: a form elsewhere
    life_events: tuple[str, ...] = ()
    # The trades whose admitted firms may apply with a firm access (ADR 0041).
    firms: tuple[str, ...] = ()
    source: str = ""
    # The checked data it was built from, for an export (catalog.exchange).
    data: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_online(self) -> bool:
        """Applied for online here (it has a form), not information only."""
        return bool(self.steps)

    @property
    def fields(self) -> dict[str, Field]:
        return {f.id: f for step in self.steps for f in step.fields}

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


# Field types are code in rathaus.forms, a layer above this one, so the schema cannot
# list them: forms tells us here where to find their names (FormsConfig.ready), and
# the schema's enum is filled in from that when definitions are checked. A new field
# type then needs no edit of the schema.
_field_type_names: Callable[[], Iterable[str]] | None = None


def use_field_types(names: Callable[[], Iterable[str]]) -> None:
    global _field_type_names
    _field_type_names = names


def _known_field_types() -> frozenset[str]:
    if _field_type_names is None:
        raise RuntimeError("No field types known: rathaus.forms registers them at start-up.")
    return frozenset(_field_type_names())


@cache
def _validator(field_types: frozenset[str]) -> jsonschema.Draft202012Validator:
    schema = copy.deepcopy(json.loads(SCHEMA_PATH.read_text()))
    schema["$defs"]["field_type"] = {"enum": sorted(field_types)}
    return jsonschema.Draft202012Validator(schema)


def _where(error: jsonschema.ValidationError) -> str:
    return ".".join(str(part) for part in error.absolute_path)


def condition_fields(condition: dict | None):
    """Every field id a condition looks at."""
    if not condition:
        return
    for key in ("any", "all"):
        for part in condition.get(key, ()):
            yield from condition_fields(part)
    if "field" in condition:
        yield condition["field"]


def _check_references(path: Path, data: dict) -> None:
    """What a JSON Schema cannot say: ids are unique and references point somewhere."""
    if "steps" not in data:
        if "contact" not in data and "online_form" not in data:
            raise InvalidDefinition(path, "contact", "a service without steps (information "
                                    "only) needs a contact or an online_form")
        return
    field_ids: list[str] = [f["id"] for s in data["steps"] for f in s["fields"]]
    duplicates = {i for i in field_ids if field_ids.count(i) > 1}
    if duplicates:
        raise InvalidDefinition(path, "steps", f"field ids used twice: {sorted(duplicates)}")
    known = set(field_ids) | set(data.get("derived", {}))
    for name, rule in data.get("derived", {}).items():
        if rule["from_option"] not in field_ids:
            raise InvalidDefinition(path, f"derived.{name}.from_option",
                                    f"no field {rule['from_option']!r}")
    for s_index, step in enumerate(data["steps"]):
        for f_index, spec in enumerate(step["fields"]):
            for ref in condition_fields(spec.get("show_if")):
                if ref not in known:
                    raise InvalidDefinition(path, f"steps.{s_index}.fields.{f_index}.show_if",
                                            f"no field {ref!r}")
    for t_index, task in enumerate(data["workflow"]["tasks"]):
        for ref in condition_fields(task.get("when")):
            if ref not in known:
                raise InvalidDefinition(path, f"workflow.tasks.{t_index}.when", f"no field {ref!r}")
    confirmation = data.get("third_party_confirmation")
    if confirmation:
        for key in ("mode_field", "name_field", "email_field", "code_field"):
            if confirmation[key] not in field_ids:
                raise InvalidDefinition(path, f"third_party_confirmation.{key}",
                                        f"no field {confirmation[key]!r}")
        for index, ref in enumerate(confirmation["shows"]):
            if ref not in field_ids:
                raise InvalidDefinition(path, f"third_party_confirmation.shows.{index}",
                                        f"no field {ref!r}")
    deciding = [t["id"] for t in data["workflow"]["tasks"] if t.get("decides")]
    if len(deciding) != 1:
        raise InvalidDefinition(path, "workflow.tasks",
                                "exactly one task must have 'decides: true'")


def _easy_block(block: str | dict) -> EasyBlock:
    if isinstance(block, str):
        sentences = tuple(line.strip() for line in block.splitlines() if line.strip())
        return EasyBlock(kind="paragraph", lines=sentences)
    kind = "list" if "list" in block else "steps"
    return EasyBlock(kind=kind, lines=tuple(item.strip() for item in block[kind]))


def _easy_language(data: dict | None) -> EasyLanguage | None:
    if not data:
        return None
    return EasyLanguage(
        title=data["title"], intro=data["intro"],
        sections=tuple(
            EasySection(heading=s["heading"], blocks=tuple(_easy_block(b) for b in s["text"]))
            for s in data["sections"]
        ),
        words=tuple(EasyWord(**w) for w in data.get("words", ())),
    )


def _field(data: dict) -> Field:
    return Field(**{**data, "options": tuple(Option(**o) for o in data.get("options", ()))})


def _confirmation(data: dict | None) -> ThirdPartyConfirmation | None:
    if not data:
        return None
    return ThirdPartyConfirmation(
        **{key: data[key] for key in ("party", "title", "legal_basis", "statement",
                                      "mode_field", "name_field", "email_field",
                                      "code_field")},
        shows=tuple(data["shows"]),
        party_fields=tuple(_field(f) for f in data.get("party_fields", ())),
        issue_fields=tuple(_field(f) for f in data["issue_fields"]),
        task_id=data["task"]["id"], task_title=data["task"]["title"],
        valid_days=data.get("valid_days", 14),
        remind_after_days=data.get("remind_after_days", 7),
        code_prefix=data.get("code_prefix", ""),
    )


def _contact(data: dict | None) -> Contact | None:
    if not data:
        return None
    return Contact(place=data["place"],
                   opening_hours=tuple(OpeningHours(**h) for h in data.get("opening_hours", ())),
                   appointment_url=data.get("appointment_url", ""),
                   phone=data.get("phone", ""), email=data.get("email", ""))


def _build(path: Path, data: dict) -> ServiceDefinition:
    steps = tuple(
        Step(id=s["id"], title=s["title"], intro=s.get("intro"),
             fields=tuple(_field(f) for f in s["fields"]), checks=tuple(s.get("checks", ())))
        for s in data.get("steps", ())
    )
    workflow = data.get("workflow", {"tasks": []})
    return ServiceDefinition(
        id=data["id"], version=data["version"], title=data["title"], summary=data["summary"],
        description=data.get("description"), keywords=tuple(data.get("keywords", ())),
        department=data["department"],
        minimum_login_level=data.get("minimum_login_level", "basisregistrierung"),
        performed_by=data.get("performed_by", "municipality"),
        processing_time=data.get("processing_time"), fee=data.get("fee"),
        tax_reference=data.get("tax_reference", ""),
        legal_basis=tuple(data.get("legal_basis", ())),
        required_documents=tuple(data.get("required_documents", ())),
        retention_years=data.get("retention_years", 0), file_plan=data.get("file_plan", {}),
        steps=steps,
        tasks=tuple(WorkflowTask(**t) for t in workflow["tasks"]),
        four_eyes=workflow.get("four_eyes", False), workflow_name=workflow.get("name", ""),
        derived=data.get("derived", {}),
        easy_language=_easy_language(data.get("easy_language")),
        third_party_confirmation=_confirmation(data.get("third_party_confirmation")),
        leika=data.get("leika", ""), contact=_contact(data.get("contact")),
        online_form=data.get("online_form"), life_events=tuple(data.get("life_events", ())),
        firms=tuple(data.get("firms", ())), source=str(path), data=data,
    )


def definition_from_data(data, *, source: Path) -> ServiceDefinition:
    """A definition from data already read (a file, an import, a FIM conversion),
    checked against the schema and the references; `source` names it in errors."""
    validator = _validator(_known_field_types())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise InvalidDefinition(source, _where(first), first.message, schema_error=first)
    _check_references(source, data)
    return _build(source, data)


def load_definition(path: Path) -> ServiceDefinition:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as error:
        raise InvalidDefinition(path, "", f"not valid YAML: {error}") from error
    if isinstance(data, dict) and "format_version" in data:  # written for an older format
        version = data.pop("format_version")
        try:
            data = upgrade(data, version=version)
        except UnknownFormat as error:
            raise InvalidDefinition(path, "format_version", str(error)) from error
    definition = definition_from_data(data, source=path)
    if path.stem != definition.id:
        raise InvalidDefinition(path, "id", f"must match the file name ({path.stem!r})")
    return definition


def load_all(directory: Path | None = None) -> dict[str, ServiceDefinition]:
    directory = Path(directory or settings.RATHAUS_SERVICES_DIR)
    definitions: Registry[ServiceDefinition] = Registry("service definition")
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        definition = load_definition(path)
        try:
            definitions.register(definition.id, definition)
        except DuplicateEntry as error:  # hundeanmeldung.yaml and hundeanmeldung.yml
            raise InvalidDefinition(path, "id", str(error)) from error
    return definitions.all()
