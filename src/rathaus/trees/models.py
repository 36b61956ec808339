"""The tree cadastre's own rows: the species it knows and the imports that wait for
their confirmation. The trees themselves are assets of the kind "tree"
(rathaus.assets); their species is the asset's `type`, the species' key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class Species(models.Model):
    """A tree species, shared by every authority: botanical facts (names, the age at
    which the species usually enters its ageing phase) are the same in every town, and
    an import or the field app of any authority must know the same keys. Seeded with
    the common street trees of NRW (migration 0002)."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    botanical_name = models.CharField(_("botanical name"), max_length=120, unique=True)
    german_name = models.CharField(_("German name"), max_length=120)
    # FLL: young trees are about the first 15 years; the ageing phase begins at 50 to
    # 80 years, by species.
    ageing_from = models.PositiveSmallIntegerField(_("ageing phase from (years)"), default=60)

    class Meta:
        verbose_name = _("tree species")
        verbose_name_plural = _("tree species")
        ordering = ["german_name"]

    def __str__(self) -> str:
        return f"{self.german_name} ({self.botanical_name})"


class TreeImport(TenantScopedModel):
    """An uploaded file between its preview and its confirmation. The file waits in the
    document store (records.blobs, by its hash), which the sweep leaves alone while a
    row names it; confirming runs it once, in the background (a large file takes
    minutes)."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("waiting for confirmation")
        RUNNING = "running", _("being imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    filename = models.CharField(max_length=200)
    blob_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    crs = models.CharField(max_length=20, blank=True)  # "" = from the file
    state = models.CharField(max_length=20, choices=State.choices, default=State.PREVIEWED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Counts of the preview, and of the run once done ("result") or why it failed
    # ("error").
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
