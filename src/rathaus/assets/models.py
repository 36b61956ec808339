"""The shared core of the cadastres: assets with a place, their inspections, findings,
work orders and photos, and citizens' damage reports.

A domain app (trees, playgrounds, later cemeteries) registers its asset kinds in
`kinds.py`: their attributes, their inspection kinds and the rules that set the next
inspection dates. The rows here know no tree and no swing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.audit.models import AppendOnlyModel
from rathaus.authorities.tenancy import TenantManager, TenantScopedModel


class Risk(models.IntegerChoices):
    """The risk a finding poses (the five classes playground inspectors use after
    DIN EN 1176-7, applied to trees in the same words). The highest closes the asset
    at once."""

    NONE = 0, _("no risk")
    LOW = 1, _("low risk")
    MEDIUM = 2, _("medium risk")
    HIGH = 3, _("high risk")
    VERY_HIGH = 4, _("very high risk: close at once")


class Cadastre(TenantScopedModel):
    """One cadastre of an authority (trees, playgrounds …) and the department that
    keeps it: its staff inspect, edit and import."""

    name = models.SlugField(max_length=40)  # kinds.AssetKind.cadastre
    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, related_name="+"
    )
    # The authority's own values of the cadastre's rules, e.g. the playground routine
    # inspection's interval in days (within what the standard allows).
    settings = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("cadastre")
        verbose_name_plural = _("cadastres")
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="one_cadastre_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(TenantScopedModel):
    """A crew that does work orders (Baumpflege, Spielplatzkolonne …)."""

    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    # Names of the cadastres whose work this team takes, the first team per cadastre
    # gets damage reports.
    cadastres = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssetManager(TenantManager):
    def bulk_create(self, objs, *args, **kwargs):
        """Rows inserted in bulk get their map pixels too (save() is not called)."""
        from .map_points import place

        objs = list(objs)
        for obj in objs:
            if obj.map_x is None or obj.map_y is None:
                place(obj)
        return super().bulk_create(objs, *args, **kwargs)


class Asset(TenantScopedModel):
    objects = AssetManager()

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("in service")
        CLOSED = "closed", _("closed for use")
        REMOVED = "removed", _("removed")

    cadastre = models.ForeignKey(Cadastre, on_delete=models.PROTECT, related_name="assets")
    kind = models.CharField(max_length=40)  # kinds.AssetKind.name, e.g. "tree"
    # A playground holds its equipment; a cemetery its fields, a field its graves.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    number = models.CharField(_("number"), max_length=40)  # Bestandsnummer
    name = models.CharField(_("name"), max_length=200, blank=True)
    # The kind's own type: a tree's species key, a piece of equipment's type.
    type = models.CharField(_("type"), max_length=80, blank=True)
    # WGS 84 (EPSG:4326); imports convert from EPSG:25832.
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    # Optional outline (GeoJSON geometry in WGS 84) for what is more than a point, such
    # as a grave or a playground's area; lon/lat stays its representative point.
    outline = models.JSONField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)  # kinds.Attribute values
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    # Counts the asset's changes and inspections: an offline edit names the version it
    # saw, and a different one means someone else came first.
    version = models.PositiveIntegerField(default=1)
    next_due = models.DateField(null=True, blank=True)  # earliest ScheduledInspection
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The place in Web Mercator pixels at zoom 18, for the maps' clusters
    # (map_points.py); set by save(), bulk inserts call map_points.place.
    map_x = models.IntegerField(null=True, blank=True, editable=False)
    map_y = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "kind", "number"], name="asset_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["authority", "cadastre", "next_due"], name="asset_due"),
            models.Index(fields=["authority", "cadastre", "lon", "lat"], name="asset_place"),
            models.Index(fields=["authority", "kind", "type"], name="asset_type"),
            # The maps: every column a cluster query reads, so it needs no table rows.
            models.Index(fields=["authority", "cadastre", "map_x", "map_y", "status", "kind",
                                 "parent"], name="asset_map"),
            models.Index(fields=["authority", "cadastre", "updated_at"], name="asset_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    def save(self, *args, **kwargs):
        from .map_points import place

        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"lon", "lat"} & set(update_fields):
            place(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "map_x", "map_y"}
        super().save(*args, **kwargs)


class AssetRevision(AppendOnlyModel):
    """One change of an asset: the values before and after, who, when and why."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()  # the asset's version after the change
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=300, blank=True)
    # {"field": [before, after]}; attributes as "attributes.height".
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-version"]


class Inspection(TenantScopedModel):
    class State(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        # Sent from a phone after someone else had changed or inspected the asset: it
        # waits for its inspector to decide (kinds of conflict: services.py).
        CONFLICT = "conflict", _("waiting for a decision")
        DISCARDED = "discarded", _("discarded")

    # Made on the phone (or in the form) before sending, so the same inspection sent
    # twice is stored once.
    client_id = models.UUIDField(default=uuid.uuid4)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=40)  # kinds.InspectionKind.name
    inspected_at = models.DateTimeField()
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    condition = models.CharField(max_length=40, blank=True)  # kinds.AssetKind.conditions
    notes = models.TextField(blank=True)  # internal, never published
    # Attribute values measured at the inspection (a tree's height …); applied to the
    # asset when the inspection is recorded.
    values = models.JSONField(default=dict, blank=True)
    seen_version = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECORDED)
    received_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-inspected_at"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "client_id"], name="inspection_once")
        ]
        indexes = [models.Index(fields=["asset", "-inspected_at"], name="inspection_asset")]


class WorkOrder(TenantScopedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("inspection")
        REPORT = "report", _("citizen's report")
        STAFF = "staff", _("staff")

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="work_orders")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"))
    risk = models.PositiveSmallIntegerField(choices=Risk.choices, default=Risk.NONE)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    # Set when the order's finding closed the asset: finishing it opens the asset again
    # (unless another open order closed it too).
    closes_asset = models.BooleanField(default=False)
    # Where a citizen's report without an asset points.
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["authority", "team", "status", "deadline"], name="order_list"),
        ]


class Finding(TenantScopedModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    description = models.TextField(_("finding"))
    risk = models.PositiveSmallIntegerField(_("risk"), choices=Risk.choices)
    measure = models.TextField(_("measure"), blank=True)
    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="finding"
    )

    class Meta:
        ordering = ["-risk", "pk"]


class ScheduledInspection(TenantScopedModel):
    """The next inspection of one kind that an asset is due for."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="schedule")
    kind = models.CharField(max_length=40)  # kinds.InspectionKind.name
    due_on = models.DateField()
    # Why it was planned beyond the rules, e.g. "Sturm Ylenia, 17.02.2027".
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "kind"], name="one_schedule_per_kind")
        ]
        indexes = [models.Index(fields=["authority", "due_on"], name="schedule_due")]


class Photo(TenantScopedModel):
    """A checked JPEG or PNG in the document store (records.blobs), with its hash."""

    blob_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    media_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    created_at = models.DateTimeField(auto_now_add=True)


class DamageReport(TenantScopedModel):
    """A citizen's "Schaden melden": where, what, perhaps a photo. It becomes a work
    order; the reporter follows it through a link whose token only they hold (only its
    hash is kept)."""

    token_hash = models.CharField(max_length=64, unique=True)
    cadastre = models.ForeignKey(Cadastre, on_delete=models.PROTECT, related_name="+")
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.PROTECT, related_name="report"
    )
    created_at = models.DateTimeField(auto_now_add=True)
