"""Keeping the file plan (Aktenplan): records managers add and change its entries.

The plan is a tree per authority (32 > 32.41 > 32.41.01). A child's code starts with
its parent's, so a code alone says where in the tree it stands, as in the KGSt plans.
Every addition and change writes a `FilePlanRevision` (the values afterwards, who,
when, why) and an audit entry, in one transaction. What is refused is said in a German
`ValidationError` keyed by the field to correct.
"""

import re
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority

from . import permissions as rules
from .models import CaseFile, FilePlanEntry
from .plan_revisions import write_revision
from .references import DEFAULT_REFERENCE_PATTERN
from .services import add_file_plan_entry

# Letters, digits, dots and hyphens: the code names the Aktenzeichen's counter and
# stands in every Aktenzeichen of the entry, so it stays plain.
CODE = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z.\-]*[0-9A-Za-z])?")


@dataclass(frozen=True)
class EntryData:
    """What staff set for an entry, on adding it or changing it."""

    code: str
    title: str
    retention_years: int
    disposal: str = FilePlanEntry.Disposal.EVALUATE
    reference_pattern: str = DEFAULT_REFERENCE_PATTERN
    department: object = None  # authorities.Department
    parent: FilePlanEntry | None = None

    @classmethod
    def of(cls, entry: FilePlanEntry) -> "EntryData":
        """The entry's current values, to change some of them."""
        return cls(**{f.name: getattr(entry, f.name) for f in fields(cls)})


@guarded_by(rules.may_keep_file_plan)
@transaction.atomic
def add_plan_entry(*, actor, data: EntryData, reason: str = "") -> FilePlanEntry:
    """Add an entry under `data.parent` (None: a main group at the top)."""
    _check(data, entry=None)
    if FilePlanEntry.objects.filter(code=data.code.strip()).exists():
        raise ValidationError({"code": ValidationError(
            _("The file plan already has an entry with this code."), code="taken")})
    return add_file_plan_entry(
        code=data.code.strip(), title=data.title.strip(),
        retention_years=data.retention_years, disposal=data.disposal,
        reference_pattern=data.reference_pattern, department=data.department,
        parent=data.parent, actor=actor, reason=reason.strip(),
    )


@guarded_by(rules.may_keep_file_plan)
@transaction.atomic
def change_plan_entry(*, actor, entry: FilePlanEntry, data: EntryData,
                      reason: str = "") -> FilePlanEntry:
    """Change an entry; unchanged values write nothing. The code stays once files hang
    in the entry: it is part of their Aktenzeichen and names their counter."""
    # Through the tenant manager: another authority's entry is not found. The lock
    # keeps two changes from taking the same revision number.
    entry = FilePlanEntry.objects.select_for_update().get(pk=entry.pk)
    data = EntryData(**{**vars(data), "code": data.code.strip(), "title": data.title.strip()})
    _check(data, entry=entry)
    changed = [f.name for f in fields(EntryData) if _differs(getattr(entry, f.name),
                                                             getattr(data, f.name))]
    if not changed:
        return entry
    if "code" in changed:
        _check_new_code(entry, data.code)
    for name in changed:
        setattr(entry, name, getattr(data, name))
    entry.full_clean(validate_constraints=False)
    entry.save()
    revision = write_revision(entry, actor=actor, reason=reason.strip())
    record("records.file_plan_entry_changed", actor=actor, target=entry,
           data={"code": entry.code, "changed": changed, "revision": revision.number})
    return entry


def _differs(old, new) -> bool:
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) != getattr(new, "pk", None)
    return old != new


def _check(data: EntryData, *, entry: FilePlanEntry | None) -> None:
    """The rules of the tree; every broken one is reported with its field."""
    errors = {}
    code = data.code.strip()
    if not CODE.fullmatch(code) or len(code) > FilePlanEntry._meta.get_field("code").max_length:
        errors["code"] = ValidationError(
            _("Enter a code of letters, digits, dots and hyphens (at most 30), e.g. 32.41.01."),
            code="invalid")
    parent = data.parent
    if parent is not None:
        if parent.authority_id != current_authority().pk:
            errors["parent"] = ValidationError(
                _("The parent entry is not part of this authority's file plan."),
                code="foreign")
        elif entry is not None and _is_within(parent, entry):
            errors["parent"] = ValidationError(
                _("An entry cannot be placed under itself or one of its sub-entries."),
                code="cycle")
        elif "code" not in errors and not _extends(code, parent.code):
            errors["code"] = ValidationError(
                _("The code must begin with the parent entry's code %(parent)s and add to it."),
                params={"parent": parent.code}, code="not_under_parent")
    department = data.department
    if department is not None and department.authority_id != current_authority().pk:
        errors["department"] = ValidationError(
            _("The department is not one of this authority's."), code="foreign")
    if errors:
        raise ValidationError(errors)


def _check_new_code(entry: FilePlanEntry, code: str) -> None:
    if CaseFile.objects.filter(plan_entry=entry).exists():
        raise ValidationError({"code": ValidationError(
            _("The code cannot change any more: files are filed under this entry."),
            code="in_use")})
    if FilePlanEntry.objects.filter(code=code).exclude(pk=entry.pk).exists():
        raise ValidationError({"code": ValidationError(
            _("The file plan already has an entry with this code."), code="taken")})
    if any(not _extends(child.code, code) for child in entry.children.all()):
        raise ValidationError({"code": ValidationError(
            _("The sub-entries' codes begin with the old code; change them first."),
            code="children")})


def _extends(code: str, parent_code: str) -> bool:
    return code.startswith(parent_code) and len(code) > len(parent_code)


def _is_within(candidate: FilePlanEntry, entry: FilePlanEntry) -> bool:
    """Whether `candidate` is `entry` or lies below it: walking up from the candidate
    reaches the entry. The walk is bounded by the plan's size, so a cycle already in
    the data cannot loop forever."""
    seen = set()
    node = candidate
    while node is not None and node.pk not in seen:
        if node.pk == entry.pk:
            return True
        seen.add(node.pk)
        node = FilePlanEntry.objects.filter(pk=node.parent_id).first() if node.parent_id else None
    return False
