from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.login_levels import LoginLevel
from rathaus.authorities.tenancy import TenantScopedModel


class Service(TenantScopedModel):
    """A service (Leistung) that an authority offers online."""

    slug = models.SlugField()
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    # Words citizens search for that are not in the title ("Hundesteuer", "Bello").
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, null=True, blank=True
    )
    minimum_login_level = models.CharField(
        max_length=20, choices=LoginLevel.choices, default=LoginLevel.BASISREGISTRIERUNG
    )
    is_published = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="service_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def definition(self):
        from .registry import definition

        return definition(self.slug)

    @property
    def display_title(self) -> str:
        from .definitions import localize

        return localize(self.definition.title) if self.definition else self.title

    @property
    def display_summary(self) -> str:
        from .definitions import localize

        return localize(self.definition.summary) if self.definition else self.summary


class AdoptedDefinition(TenantScopedModel):
    """A service definition this authority took from another ("Einer für Alle"),
    adapted to it: it replaces the installation's file of the same service id for this
    authority only (catalog.registry)."""

    service_id = models.SlugField()
    # The adapted definition in the current format, checked when it was adopted.
    data = models.JSONField()
    # The format the file was written in, before it was upgraded.
    format_version = models.PositiveSmallIntegerField()
    # Where it came from: the authority, its portal, the service's id and version and
    # when it was exported; shown to staff, and kept when the service is exported on.
    source = models.JSONField()
    adopted_at = models.DateTimeField(auto_now=True)
    adopted_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("adopted service definition")
        verbose_name_plural = _("adopted service definitions")
        constraints = [
            models.UniqueConstraint(fields=["authority", "service_id"],
                                    name="adopted_definition_unique")
        ]

    def __str__(self) -> str:
        return self.service_id
