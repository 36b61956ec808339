from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel, WrongAuthority, current_authority

# The domain of the placeholder address of accounts without an e-mail address
# (RFC 2606: .invalid can receive nothing).
NO_EMAIL_DOMAIN = "konto.invalid"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("kind", User.Kind.STAFF)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a citizen (Servicekonto) or a staff member.

    Citizen accounts belong to the whole instance, like a Land's Servicekonto, so one
    account serves every authority hosted here. Staff work for authorities through
    their department memberships.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Staff member")
        # One person of a firm admitted by an authority (e.g. an undertaker): applies
        # in the portal for the firm; never a citizen's private matters.
        FIRM = "firm", _("Firm access")

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    is_active = models.BooleanField(default=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_email(self) -> bool:
        """False for an account created by a login with the online ID card, which vouches
        for a person but not for an e-mail address (its address ends in .invalid)."""
        return not self.email.endswith("@" + NO_EMAIL_DOMAIN)

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def is_firm(self) -> bool:
        return self.kind == self.Kind.FIRM

    @property
    def acts_in_portal(self) -> bool:
        """Applies in the portal and has a mailbox: a citizen or a firm's person."""
        return self.kind in (self.Kind.CITIZEN, self.Kind.FIRM)

    # Django's admin is not used; staff work in the office UI.
    is_staff = False


class CitizenProfile(models.Model):
    """What a citizen tells once so that forms can be prefilled."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return str(self.user)


class StaffMembership(TenantScopedModel):
    """A staff member's role in one department of an authority."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        TEAM_LEAD = "team_lead", _("Team lead")
        ADMINISTRATOR = "administrator", _("Administrator")
        # Registratur: keeps the file plan, files incoming mail, hands files over to
        # the archive. Reads every file of the authority.
        RECORDS_MANAGER = "records_manager", _("Records manager")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(
        "authorities.Department", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CLERK)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["department__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="one_role_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.department} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if self.department.authority_id != current_authority().pk:
            raise WrongAuthority("A staff membership must be in the active authority's department.")
        super().save(*args, **kwargs)


class AccountToken(models.Model):
    """A single-use token sent by e-mail (the link carries only the token itself).

    Only its SHA-256 hash is stored, so a copy of the database opens no link; the link
    names neither the account nor its address, so access logs keep no personal data.
    """

    class Purpose(models.TextChoices):
        EMAIL_VERIFICATION = "email_verification", _("e-mail verification")
        FIRM_INVITATION = "firm_invitation", _("firm access invitation")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account token")
        verbose_name_plural = _("account tokens")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.user_id})"


class Firm(TenantScopedModel):
    """A firm that an authority admitted to apply for it in the portal (ADR 0041)."""

    class Trade(models.TextChoices):
        UNDERTAKER = "undertaker", _("Undertaker")

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    trade = models.CharField(_("trade"), max_length=30, choices=Trade.choices)
    email = models.EmailField(_("contact e-mail address"))
    # The department that checked the firm and admitted it; its members keep it.
    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, related_name="firms"
    )
    active = models.BooleanField(_("active"), default=True)
    admitted_at = models.DateTimeField(_("admitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.department.authority_id != current_authority().pk:
            raise WrongAuthority("A firm must be admitted by the active authority's department.")
        super().save(*args, **kwargs)


class FirmMember(TenantScopedModel):
    """One person's firm access for one firm: personal, so every application is traceable
    to a person; a person may act for firms at several authorities."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="firm_memberships")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("firm member")
        verbose_name_plural = _("firm members")
        constraints = [
            models.UniqueConstraint(fields=["firm", "user"], name="one_membership_per_firm")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.firm}"
