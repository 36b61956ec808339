"""Which authority (tenant) the current code works for.

The request middleware, tasks and commands activate an authority; tenant-scoped
models read and write only within it. Reading without an active authority raises
instead of silently returning every authority's rows.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from .models import Authority

_current: contextvars.ContextVar[Authority | None] = contextvars.ContextVar(
    "rathaus_authority", default=None
)


class NoActiveAuthority(RuntimeError):
    """Tenant-scoped data was touched outside of any authority."""


class WrongAuthority(RuntimeError):
    """A row of one authority was about to be saved while another was active."""


def current_authority() -> Authority:
    authority = _current.get()
    if authority is None:
        raise NoActiveAuthority(
            "No authority is active; wrap the code in authority_context(authority)."
        )
    return authority


def active_authority_or_none() -> Authority | None:
    return _current.get()


@contextmanager
def authority_context(authority: Authority):
    token = _current.set(authority)
    try:
        yield authority
    finally:
        _current.reset(token)


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant-scoped models: only the active authority's rows."""

    def get_queryset(self):
        # By the plain column: filtering by the model instance costs measurably more.
        return super().get_queryset().filter(authority_id=current_authority().pk)

    def bulk_create(self, objs, *args, **kwargs):
        """Like `save`, it puts the rows into the active authority and refuses rows of
        another."""
        objs = list(objs)
        active = current_authority()
        for obj in objs:
            _claim(obj, active)
        return super().bulk_create(objs, *args, **kwargs)


class TenantScopedModel(models.Model):
    """Base for every row that belongs to exactly one authority."""

    authority = models.ForeignKey(
        "authorities.Authority", on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = TenantManager()
    # For code that must cross authorities on purpose (audit verification, commands).
    all_authorities = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_authorities"

    def save(self, *args, **kwargs):
        _claim(self, current_authority())
        super().save(*args, **kwargs)


def _claim(row: TenantScopedModel, active: Authority) -> None:
    """A new row belongs to the active authority; a row of another cannot be saved."""
    if row.authority_id is None:
        row.authority = active
    elif row.authority_id != active.pk:
        raise WrongAuthority(
            f"{type(row).__name__} of authority {row.authority_id} "
            f"cannot be saved while authority {active.pk} is active."
        )
