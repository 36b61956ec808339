from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """A citizen account's link to an identity provider's persistent pseudonym: the next
    login with the same ID card finds the same account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="external_identities")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(_("persistent id"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"],
                                               name="identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class IdCardData(models.Model):
    """What the identity provider vouched for at the last strong login ("from the ID
    card"): a form prefills these and shows them read-only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="id_card_data")
    given_name = models.CharField(_("given name"), max_length=150, blank=True)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=150, blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    level = models.CharField(max_length=20)
    issuer = models.CharField(max_length=500)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class SeenAssertion(models.Model):
    """An assertion id already used for a login, kept until the assertion expires: the
    same assertion posted again (a replay) is refused."""

    assertion_id = models.CharField(max_length=200, unique=True)
    issuer = models.CharField(max_length=500)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.assertion_id
