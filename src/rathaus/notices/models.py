from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class NoticeSettings(TenantScopedModel):
    """What an authority's notices print besides the authority's own address."""

    issuing_office = models.CharField(
        _("issuing office"), max_length=200,
        help_text=_("Printed under the authority's name, e.g. “Steueramt”."),
    )
    contact_phone = models.CharField(_("phone for questions"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail for questions"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    # The court that hears actions against the authority's notices (Rechtsbehelfsbelehrung).
    court_name = models.CharField(_("administrative court"), max_length=200)
    court_address = models.CharField(
        _("address of the court"), max_length=300,
        help_text=_("One line, e.g. “Appellhofplatz, 50667 Köln”."),
    )

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")
        constraints = [
            models.UniqueConstraint(fields=["authority"], name="one_notice_settings_per_authority")
        ]

    def __str__(self) -> str:
        return f"{self.issuing_office} ({self.court_name})"
