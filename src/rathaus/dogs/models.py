from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class DogCategory(models.TextChoices):
    """Tax categories of a dog; the bylaw decides what each costs or whether it is exempt."""

    STANDARD = "standard", _("Dog")
    # Landeshundegesetz NRW §3 (e.g. Pitbull Terrier) and §10 (e.g. Rottweiler).
    DANGEROUS = "dangerous", _("Dangerous dog (§3/§10 LHundG NRW)")
    ASSISTANCE = "assistance", _("Assistance dog (e.g. guide dog)")
    RESCUE = "rescue", _("Rescue dog with passed examination")


class InstalmentPlan(models.TextChoices):
    # The due dates themselves are those of §28 GrStG, which dog tax bylaws adopt.
    QUARTERLY = "quarterly", _("Quarterly on 15 February, 15 May, 15 August, 15 November")
    YEARLY = "yearly", _("Yearly on 1 July")


def _validate_categories(value) -> None:
    if not isinstance(value, list) or not set(value) <= set(DogCategory.values):
        raise ValidationError(
            _("Choose exempt categories from: %(choices)s."),
            params={"choices": ", ".join(DogCategory.values)},
        )


RATE_FIELDS = (
    "rate_first_dog", "rate_second_dog", "rate_each_further_dog",
    "rate_first_dangerous_dog", "rate_each_further_dangerous_dog",
)


def _rate(label):
    return models.DecimalField(label, max_digits=8, decimal_places=2)


class DogTaxBylaw(TenantScopedModel):
    """The rates of an authority's Hundesteuersatzung from a given date on.

    A new version of the bylaw is a new row; old rows stay for notices of past years.
    """

    valid_from = models.DateField(_("valid from"))
    # Notices cite it after "aufgrund der …", so it starts with the (feminine) noun:
    # "Hundesteuersatzung der Stadt Leichlingen vom 1. Dezember 2025".
    title = models.CharField(_("title of the bylaw"), max_length=300)
    rate_first_dog = _rate(_("yearly rate for the first dog"))
    rate_second_dog = _rate(_("yearly rate for the second dog"))
    rate_each_further_dog = _rate(_("yearly rate for each further dog"))
    rate_first_dangerous_dog = _rate(_("yearly rate for the first dangerous dog"))
    rate_each_further_dangerous_dog = _rate(_("yearly rate for each further dangerous dog"))
    exempt_categories = models.JSONField(
        _("exempt categories"), default=list, blank=True, validators=[_validate_categories]
    )
    instalment_plan = models.CharField(
        _("instalments"), max_length=10, choices=InstalmentPlan.choices,
        default=InstalmentPlan.QUARTERLY,
    )

    class Meta:
        verbose_name = _("dog tax bylaw")
        verbose_name_plural = _("dog tax bylaws")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "valid_from"], name="dog_tax_bylaw_valid_from_unique"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 0}), name=f"dog_tax_{name}_not_negative"
                )
                for name in RATE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Dog(TenantScopedModel):
    """The dog register: one row per registered dog, kept after deregistration."""

    holder = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="dogs")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="dog")
    name = models.CharField(_("name"), max_length=80)
    breed = models.CharField(_("breed"), max_length=120)
    category = models.CharField(_("tax category"), max_length=20, choices=DogCategory.choices)
    microchip = models.CharField(_("microchip number"), max_length=15)
    taken_in = models.DateField(_("taken in on"))
    tax_tag_number = models.PositiveIntegerField(_("tax tag number"))
    liable_from = models.DateField(_("liable from"))
    # What the tax notice was based on, so a change notice can reassess it.
    position_in_household = models.PositiveSmallIntegerField(default=1)
    notice_date = models.DateField(_("date of the tax notice"))
    sepa_mandate = models.ForeignKey("payments.SepaMandate", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    given_up_on = models.DateField(_("given up on"), null=True, blank=True)
    # The part of town, from the holder's address; for the open-data statistics.
    district = models.CharField(_("district"), max_length=100, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dog")
        verbose_name_plural = _("dogs")
        constraints = [
            models.UniqueConstraint(fields=["authority", "tax_tag_number"],
                                    name="tax_tag_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_tag_number})"


class StreetDistrict(TenantScopedModel):
    """Which part of town (Ortsteil) a street belongs to: the statistics group by it."""

    street = models.CharField(_("street"), max_length=150)
    district = models.CharField(_("district"), max_length=100)
    # The street as `normalise_street` writes it, so a lookup is one indexed query
    # however long the directory is.
    street_key = models.CharField(max_length=150, editable=False)

    class Meta:
        verbose_name = _("street of a district")
        verbose_name_plural = _("streets of districts")
        constraints = [
            models.UniqueConstraint(fields=["authority", "street"], name="street_unique")
        ]
        indexes = [models.Index(fields=["authority", "street_key"], name="street_key_idx")]

    def __str__(self) -> str:
        return f"{self.street} ({self.district})"

    def save(self, *args, **kwargs):
        self.street_key = normalise_street(self.street)
        super().save(*args, **kwargs)


def normalise_street(street: str) -> str:
    """"Hauptstr. 5" and "hauptstraße  5" are the same street."""
    return " ".join(street.lower().replace("str.", "straße").split())
