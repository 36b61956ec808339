from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel

from .bic import validate_bic
from .creditor_id import validate_creditor_id
from .iban import validate_iban

# Deutsche Kreditwirtschaft rules: up to 35 characters, no spaces.
validate_mandate_reference = RegexValidator(
    r"^[A-Za-z0-9+?/:().,'-]{1,35}$",
    _("A mandate reference has up to 35 letters, digits and the characters + ? / - : ( ) . , '"),
    code="invalid_mandate_reference",
)


class PaymentAccount(TenantScopedModel):
    """The account into which the authority's citizens pay (Stadtkasse)."""

    account_holder = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    bank_name = models.CharField(_("bank"), max_length=100)
    # Needed only to collect by direct debit (Gläubiger-Identifikationsnummer).
    creditor_id = models.CharField(
        _("SEPA creditor identifier"), max_length=35, blank=True,
        validators=[validate_creditor_id],
    )

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        constraints = [
            models.UniqueConstraint(fields=["authority"], name="one_payment_account_per_authority")
        ]

    def __str__(self) -> str:
        return f"{self.account_holder} {self.iban}"


class SepaMandate(TenantScopedModel):
    """A citizen's permission for the authority to collect by SEPA core direct debit."""

    debtor_name = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    reference = models.CharField(
        _("mandate reference"), max_length=35, validators=[validate_mandate_reference]
    )
    signed_on = models.DateField(_("signed on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SEPA mandate")
        verbose_name_plural = _("SEPA mandates")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="mandate_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return self.reference
