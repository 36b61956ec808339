import re

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.date_input import SHOWN_FORMAT, TypedDateField
from rathaus.outbound_email import queue_email

from .models import User
from .selectors import confirmed_totp_device, staff_memberships

# Each field says how to put it right, without repeating its label; Django's generic
# "This field is required." is never shown (docs/frontend/forms-and-errors.md).
ENTER_EMAIL = _("Enter your e-mail address.")
EMAIL_FORMAT = _("Enter an e-mail address in the format name@example.com.")


def totp_code_field():
    return forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code from your authenticator app."),
        max_length=12,
        error_messages={"required": _("Enter the 6-digit security code from your app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def normalise_totp_code(value: str) -> str:
    code = re.sub(r"\s", "", value)
    if not (code.isdigit() and len(code) == 6):
        raise forms.ValidationError(_("The security code consists of 6 digits."))
    return code


class LoginFailed(forms.ValidationError):
    pass


def new_password_field():
    return forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters. Not only digits, not a common password."),
        error_messages={"required": _("Choose a password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def password_repeat_field():
    return forms.CharField(
        label=_("Repeat password"),
        strip=False,
        error_messages={"required": _("Enter the password again.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def passwords_differ(form, data) -> bool:
    """A new password typed twice differently: the repeat field says so."""
    password, repeat = data.get("password"), data.get("password_repeat")
    if password and repeat and password != repeat:
        form.add_error("password_repeat",
                       _("The two passwords are not the same. Enter the password again."))
        return True
    return False


def first_name_field():
    return forms.CharField(
        label=_("First name"), max_length=150,
        error_messages={"required": _("Enter your first name."),
                        "max_length": _("The first name can have at most 150 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )


def last_name_field():
    return forms.CharField(
        label=_("Last name"), max_length=150,
        error_messages={"required": _("Enter your last name."),
                        "max_length": _("The last name can have at most 150 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class RegistrationForm(forms.Form):
    first_name = first_name_field()
    last_name = last_name_field()
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send you a link to confirm this address."),
        error_messages={"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = new_password_field()
    password_repeat = password_repeat_field()
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice."),
        error_messages={"required": _("Confirm that you have read the privacy notice.")},
    )

    def clean_email(self):
        # Whether the address has an account is not said here (that would tell anyone);
        # the service writes to the address's owner instead.
        return self.cleaned_data["email"].lower()

    def clean(self):
        data = super().clean()
        password = data.get("password")
        passwords_differ(self, data)  # and still checked, so every problem shows at once
        if password:
            candidate = User(
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class LoginForm(forms.Form):
    """E-mail and password; `kind` says which accounts may log in here."""

    username = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT},
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    kind = User.Kind.CITIZEN
    kinds: tuple = ()  # several kinds that may log in here; () means just `kind`

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        user = authenticate(
            self.request, username=data["username"].lower(), password=data["password"]
        )
        if user is None or user.kind not in (self.kinds or (self.kind,)):
            raise LoginFailed(_("The e-mail address or the password is wrong."), code="invalid")
        self.user = user
        return data


class CitizenLoginForm(LoginForm):
    # The portal's login: citizens and firm accounts (ADR 0041).
    kinds = (User.Kind.CITIZEN, User.Kind.FIRM)

    def clean(self):
        data = super().clean()
        if self.user is not None and self.user.email_verified_at is None:
            raise LoginFailed(
                _("Please confirm your e-mail address first. We have sent you a link."),
                code="unverified",
            )
        return data


class TotpCodeForm(forms.Form):
    otp_token = totp_code_field()

    def clean_otp_token(self):
        return normalise_totp_code(self.cleaned_data["otp_token"])


def current_password_field():
    return forms.CharField(
        label=_("Current password"),
        help_text=_("We ask for it again before the login protection changes."),
        strip=False,
        error_messages={"required": _("Enter your current password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpSetupForm(TotpCodeForm):
    """Switching two-factor login on (or replacing the device) needs the password."""

    password = current_password_field()


class TotpDisableForm(forms.Form):
    """Switching two-factor login off needs the password."""

    password = current_password_field()


class FirmInvitationForm(forms.Form):
    """The invited firm account's password and its first security code, together."""

    password = new_password_field()
    password_repeat = password_repeat_field()
    otp_token = totp_code_field()

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        return normalise_totp_code(self.cleaned_data["otp_token"])

    def clean(self):
        data = super().clean()
        password = data.get("password")
        differ = passwords_differ(self, data)
        if password and not differ:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class StaffLoginForm(LoginForm):
    kind = User.Kind.STAFF
    otp_token = totp_code_field()

    def clean_otp_token(self):
        return normalise_totp_code(self.cleaned_data["otp_token"])


class ProfileForm(forms.Form):
    first_name = first_name_field()
    last_name = last_name_field()
    date_of_birth = TypedDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example 17.03.1958"),
        widget=forms.DateInput(format=SHOWN_FORMAT,
                               attrs={"autocomplete": "bday", "inputmode": "numeric"}),
    )
    street = forms.CharField(
        label=_("Street"), max_length=150, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    house_number = forms.CharField(label=_("House number"), max_length=10, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("A German postcode has 5 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=40, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    NAME_FIELDS = ("first_name", "last_name")

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born and born > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born and born.year < today.year - 130:
            raise forms.ValidationError(_("Please check the year of birth."))
        return born

    def split(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        names = {k: data[k] for k in self.NAME_FIELDS}
        profile = {k: v for k, v in data.items() if k not in self.NAME_FIELDS}
        return names, profile


class CitizenPasswordResetForm(PasswordResetForm):
    """Only citizens reset their password by e-mail; staff ask their administrator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(required=ENTER_EMAIL, invalid=EMAIL_FORMAT)

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if user.kind == User.Kind.CITIZEN
        )

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_email(to=to_email, subject=subject, body=body)


class CitizenSetPasswordForm(SetPasswordForm):
    """The new password after a reset link, with our messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = _("Choose a new password.")
        self.fields["new_password2"].error_messages["required"] = _(
            "Enter the new password again.")
        self.error_messages = {**self.error_messages, "password_mismatch": _(
            "The two passwords are not the same. Enter the new password again.")}


class StaffLoginFormWithTotp(StaffLoginForm):
    """Password and TOTP code together: staff always log in with two factors.

    Every failure (wrong password, wrong code, no access to this authority's office, not
    a staff account) gets the same message and counts towards the lock-out, so the form
    tells nobody whether a password was right.
    """

    def clean(self):
        try:
            data = super().clean()
        except LoginFailed:
            # A wrong password was counted by authenticate(); a right password of an
            # account that may not log in here was not.
            if self.user is None and self._password_was_right():
                self._count_failure()
            raise self._failed() from None
        if self.errors:
            return data
        device = confirmed_totp_device(self.user)
        if (device is None or not device.verify_token(data["otp_token"])
                or not staff_memberships(self.user).exists()):
            self._count_failure()
            self.user = None
            raise self._failed()
        self.device = device
        return data

    def _password_was_right(self) -> bool:
        email = self.cleaned_data.get("username", "").lower()
        account = User.objects.filter(email=email).first()
        return account is not None and account.check_password(self.cleaned_data["password"])

    def _count_failure(self) -> None:
        user_login_failed.send(
            sender=type(self),
            credentials={"username": self.cleaned_data.get("username", "").lower()},
            request=self.request,
        )

    @staticmethod
    def _failed() -> LoginFailed:
        return LoginFailed(
            _("The login failed: the e-mail address, the password or the security code is "
              "wrong, or this account has no access to this office."),
            code="failed",
        )
