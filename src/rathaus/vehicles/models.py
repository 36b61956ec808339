"""The district's registers of the vehicle registration: the number plates given out or
reserved, and (for the demo and the tests) the vehicle register the registration asks
through an adapter (`vehicle_register.py`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class PlateEntry(TenantScopedModel):
    """A number plate of the district that is taken: assigned to a vehicle, or reserved
    (a Wunschkennzeichen) until a day. A plate with no entry is free."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        RESERVED = "reserved", _("reserved")

    # Sign, letters and digits without separators (GLAB1234): the register's key.
    key = models.CharField(_("plate"), max_length=8)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    reserved_until = models.DateField(_("reserved until"), null=True, blank=True)
    # Whose reservation or registration it is: a case's reference, never a name.
    holder_reference = models.CharField(_("reference"), max_length=60, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("number plate")
        verbose_name_plural = _("number plates")
        constraints = [
            models.UniqueConstraint(fields=["authority", "key"], name="plate_key_unique"),
            models.CheckConstraint(
                condition=models.Q(state="assigned") | models.Q(reserved_until__isnull=False),
                name="plate_reservation_has_an_end"),
        ]

    def __str__(self) -> str:
        return self.key


class RegisteredVehicle(TenantScopedModel):
    """A vehicle as the vehicle register knows it, with the hashes of the security codes
    of its registration certificates (never the codes) and its plate once registered."""

    vin = models.CharField(_("vehicle identification number"), max_length=17)
    make = models.CharField(_("make"), max_length=80)
    model = models.CharField(_("model"), max_length=80)
    certificate_number = models.CharField(_("registration certificate part II number"),
                                          max_length=12)
    # PBKDF2 hashes (django.contrib.auth.hashers) of the hidden codes.
    certificate_code_hash = models.CharField(max_length=200)
    part_one_code_hash = models.CharField(max_length=200, blank=True)
    seal_code_hash = models.CharField(max_length=200, blank=True)
    plate = models.CharField(_("plate"), max_length=8, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    # The Aktenzeichen of the registration that gave the current plate.
    registration_reference = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [
            models.UniqueConstraint(fields=["authority", "vin"], name="vehicle_vin_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.make} {self.model} ({self.vin})"
