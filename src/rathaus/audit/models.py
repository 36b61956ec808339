from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantManager, TenantScopedModel


class AppendOnlyError(RuntimeError):
    """Audit and access records are never changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} entries cannot be deleted.")


class AppendOnlyTenantManager(TenantManager.from_queryset(AppendOnlyQuerySet)):
    pass


class AppendOnlyModel(TenantScopedModel):
    objects = AppendOnlyTenantManager()
    all_authorities = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        abstract = True
        base_manager_name = "all_authorities"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} entries cannot be deleted.")


class AuditChain(models.Model):
    """Head of an authority's hash chain. Locking this row serialises appends, and
    comparing it with the last entry reveals entries cut off the end."""

    authority = models.OneToOneField(
        "authorities.Authority", on_delete=models.PROTECT, related_name="audit_chain"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.authority_id}: #{self.last_seq}"


class AuditEntry(AppendOnlyModel):
    """One recorded change. `hash` covers the entry's content and the previous hash."""

    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    # No database constraint: the actor's id is part of the hash and must outlive the
    # account, so deleting a user never rewrites history.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    # Kept as text so the entry still says who acted after an account is deleted.
    actor_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["authority_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "seq"], name="audit_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AccessLogEntry(AppendOnlyModel):
    """Which staff member opened which citizen's data, when and why."""

    created_at = models.DateTimeField(auto_now_add=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Erasing a citizen's account erases the record of access to it, too.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    what = models.CharField(_("what was opened"), max_length=200)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The same access in the tamper-evident audit log, so that the citizen can be given
    # an inclusion proof for it. Empty for accesses recorded before there was one.
    audit_entry = models.OneToOneField("AuditEntry", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["citizen", "created_at"])]


class AuditTreeNode(models.Model):
    """A perfect subtree of an authority's Merkle tree over its audit entries (see
    merkle.py): level 0 holds the leaves, entry #n being leaf n - 1. Derived from the
    entries and never changed, so that proofs need a few rows instead of every entry."""

    authority = models.ForeignKey("authorities.Authority", on_delete=models.PROTECT,
                                  related_name="+")
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "level", "index"],
                                    name="audit_tree_node_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.level}/{self.index}"


class AuditTreeHead(models.Model):
    """A signed tree head: the authority's Merkle root over its first `tree_size`
    entries, signed with a key derived from the master key, which the database never
    holds. Published, a head lets anyone who kept it detect a rewritten history."""

    authority = models.ForeignKey("authorities.Authority", on_delete=models.PROTECT,
                                  related_name="+")
    tree_size = models.PositiveBigIntegerField()
    root_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        ordering = ["authority_id", "tree_size"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "tree_size"],
                                    name="audit_tree_head_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.tree_size} entries"
