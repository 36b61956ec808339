import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantScopedModel


def validate_security_contact(value: str) -> None:
    """An e-mail address or an https:// URL (a reporting form), as RFC 9116 allows."""
    if value.startswith("https://"):
        URLValidator(schemes=["https"])(value)
        return
    try:
        validate_email(value.removeprefix("mailto:"))
    except ValidationError:
        raise ValidationError(
            _("Enter an e-mail address or an https:// address."), code="invalid") from None


# GovData's list of data providers (http://dcat-ap.de/def/contributors/); an id is
# assigned by GovData's office (Geschäfts- und Koordinierungsstelle) on registration.
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"


def validate_contributor_id(value: str) -> None:
    """An IRI of the dcat-ap.de contributor list, as DCAT-AP.de convention 12 wants it."""
    name = value.removeprefix(CONTRIBUTORS)
    if name == value or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise ValidationError(
            _("Enter an address of the form %(prefix)s<name>, as GovData assigned it."),
            code="invalid", params={"prefix": CONTRIBUTORS})


class Authority(models.Model):
    """A public authority (Behörde) hosted on this instance: a town, a district."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")  # Gemeinde, Stadt
        DISTRICT = "district", _("District")  # Kreis

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    # German puts an article before most authorities' names, and declines them after it:
    # "Zuständig ist der Rheinisch-Bergische Kreis". Empty: the name as it is.
    name_in_sentence = models.CharField(
        _("name within a German sentence"), max_length=200, blank=True,
        help_text=_("With its article, e.g. “der Rheinisch-Bergische Kreis”, “die Stadt "
                    "Leichlingen”."))
    # Amtlicher Gemeindeschlüssel / Regionalschlüssel, used for open data coverage.
    municipality_key = models.CharField(_("municipality key"), max_length=12, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices,
                            default=Kind.MUNICIPALITY)
    # The district (Kreis) a town belongs to, when it is hosted here too; otherwise its
    # name and the address of its online services, for a link instead of a form.
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="members", verbose_name=_("district above the town"))
    parent_name = models.CharField(_("district (not on this instance)"), max_length=200,
                                   blank=True)
    parent_url = models.URLField(_("online services of the district"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    accessibility_contact = models.EmailField(_("accessibility feedback e-mail"), blank=True)
    data_protection_officer = models.CharField(
        _("data protection officer"), max_length=200, blank=True
    )
    # Contact in /.well-known/security.txt; empty: RATHAUS_SECURITY_CONTACT of the instance.
    security_contact = models.CharField(
        _("security contact"), max_length=254, blank=True,
        validators=[validate_security_contact],
        help_text=_("Where to report a security vulnerability: an e-mail address or an "
                    "https:// address."),
    )
    # dcatde:contributorID of every dataset: GovData's "Konventionen" require it; empty,
    # the catalogue still conforms to the DCAT-AP.de Spezifikation.
    contributor_id = models.CharField(
        _("GovData contributor ID"), max_length=200, blank=True,
        validators=[validate_contributor_id],
        help_text=_("The address GovData assigned as data provider, e.g. "
                    "http://dcat-ap.de/def/contributors/openNRW."),
    )
    # Served when a request's host name matches no authority (e.g. 127.0.0.1).
    is_default = models.BooleanField(_("default authority"), default=False)
    # Counts changes of the service definitions the authority adopted from others, so
    # that every process knows when its copy of them is out of date (catalog.registry).
    catalog_revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="only_one_default_authority",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sentence_name(self) -> str:
        """The name as a sentence's subject in the active language."""
        german = (get_language() or "de")[:2] == "de"
        return self.name_in_sentence if german and self.name_in_sentence else self.name

    @property
    def govdata_contributor(self) -> str:
        """The contributor ID if it is one of GovData's form, else "": a value stored
        without validation (from a shell) must not put a broken IRI into the catalogue."""
        try:
            validate_contributor_id(self.contributor_id)
        except ValidationError:
            return ""
        return self.contributor_id


class AuthorityHost(models.Model):
    """A host name under which an authority's portal and office are served."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(_("host name"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")

    def __str__(self) -> str:
        return self.host


class Department(TenantScopedModel):
    """An organisational unit (Amt, Fachbereich) of an authority."""

    slug = models.SlugField()
    name = models.CharField(_("name"), max_length=200)
    # Number in the authority's organisation chart, e.g. "32" for the Ordnungsamt.
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="department_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Sequence(TenantScopedModel):
    """A gap-free counter of an authority (file numbers, tax tag numbers), per period."""

    name = models.CharField(max_length=50)
    period = models.CharField(max_length=20, blank=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "name", "period"], name="sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}: {self.last_value}"


class ReservedNumber(TenantScopedModel):
    """A number of a sequence set aside for one purpose (`key`, e.g. "case:<id>") before
    the transaction that uses it; see `sequences.reserve_value`."""

    name = models.CharField(max_length=50)
    period = models.CharField(max_length=20, blank=True)
    key = models.CharField(max_length=100)
    value = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("reserved number")
        verbose_name_plural = _("reserved numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "name", "period", "key"], name="reserved_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period} {self.key}: {self.value}"
