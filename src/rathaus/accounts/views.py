"""The citizen account (Servicekonto): registration, login, profile, security."""

import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from rathaus.audit.proofs import inclusion_document
from rathaus.audit.selectors import access_entry_of_citizen, access_log_for_citizen
from rathaus.audit.services import record
from rathaus.rate_limits.decorators import ALL_METHODS, from_url, posted, rate_limited

from . import firm_access, services
from .access import citizen_required
from .forms import (
    CitizenLoginForm,
    CitizenPasswordResetForm,
    CitizenSetPasswordForm,
    FirmInvitationForm,
    ProfileForm,
    RegistrationForm,
    TotpCodeForm,
    TotpDisableForm,
    TotpSetupForm,
)
from .lockout import left_to_axes, lockout_response
from .login_levels import LoginLevel, set_session_login_level
from .models import User
from .next_page import page_on_this_site
from .selectors import confirmed_totp_device
from .tokens import InvalidToken, email_verification_token

PENDING_USER_KEY = "rathaus_pending_user"


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return page_on_this_site(request, target, fallback)


@rate_limited("registration", account=posted("email"))
def register(request):
    if request.user.is_authenticated and request.user.is_citizen:
        return redirect("accounts:overview")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same answer whether or not the address has an account: its owner learns by
        # e-mail (services.register_citizen).
        services.register_citizen(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            link_for=lambda user: request.build_absolute_uri(
                reverse("accounts:verify_email", args=[email_verification_token(user)])
            ),
            links={
                name: request.build_absolute_uri(reverse(url))
                for name, url in (("login", "accounts:login"),
                                  ("password_reset", "accounts:password_reset"),
                                  ("office_login", "office:login"))
            },
        )
        return redirect("accounts:registered")
    return render(request, "accounts/register.html", {"form": form})


def registered(request):
    return render(request, "accounts/registered.html")


@rate_limited("email_link", methods=ALL_METHODS)
def verify_email(request, token):
    try:
        services.verify_email(token=token)
    except InvalidToken:
        return render(request, "accounts/verify_failed.html", status=400)
    return render(request, "accounts/verified.html")


def _complete_login(request, user: User):
    login(request, user)
    # A firm login is substanziell: the authority checked the firm and the person when
    # admitting them, and the login always has two factors (ADR 0041).
    set_session_login_level(
        request, LoginLevel.SUBSTANZIELL if user.is_firm else LoginLevel.BASISREGISTRIERUNG)


@rate_limited("login", account=posted("username"), exempt=left_to_axes(posted("username")))
def login_view(request):
    if request.user.is_authenticated and request.user.acts_in_portal:
        return redirect("accounts:overview")
    form = CitizenLoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        next_url = _safe_next(request, reverse("accounts:overview"))
        if user.is_firm and not confirmed_totp_device(user):
            # A firm login always has two factors; without an app it cannot log in.
            form.add_error(None, _(
                "Your firm access has no security code app set up. Please ask the "
                "department that admitted your firm for a new invitation."))
            return render(request, "accounts/login.html",
                          {"form": form, "next": request.GET.get("next", "")})
        if confirmed_totp_device(user):
            request.session[PENDING_USER_KEY] = {"id": user.pk, "next": next_url}
            return redirect("accounts:login_code")
        _complete_login(request, user)
        return redirect(next_url)
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _pending_account(request, *args, **kwargs) -> str | None:
    """The account whose code step is open, so that both steps count for one account."""
    pending = request.session.get(PENDING_USER_KEY) or {}
    return User.objects.filter(pk=pending.get("id")).values_list("email", flat=True).first()


@rate_limited("login", account=_pending_account, exempt=left_to_axes(_pending_account))
def login_code(request):
    pending = request.session.get(PENDING_USER_KEY)
    user = User.objects.filter(pk=(pending or {}).get("id"),
                               kind__in=(User.Kind.CITIZEN, User.Kind.FIRM)).first()
    if user is None:
        return redirect("accounts:login")
    credentials = {"username": user.email}
    if request.method == "POST" and not AxesProxyHandler.is_allowed(request, credentials):
        # Locked out while the code step was open: even the right code does not help.
        del request.session[PENDING_USER_KEY]
        return lockout_response(request, credentials=credentials)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = confirmed_totp_device(user)
        if device and device.verify_token(form.cleaned_data["otp_token"]):
            del request.session[PENDING_USER_KEY]
            user.backend = "django.contrib.auth.backends.ModelBackend"
            _complete_login(request, user)
            # The session records the second factor (django-otp's `is_verified()`): the
            # council's reading room opens only after it.
            otp_login(request, device)
            return redirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return redirect("accounts:login")
        form.add_error("otp_token", _("The security code is wrong or has expired."))
    return render(request, "accounts/login_code.html", {"form": form})


@rate_limited("email_link", methods=ALL_METHODS)
def firm_invitation(request, token):
    """The invited firm account sets its password and its authenticator app in one
    step (a firm login always has two factors), and is logged in."""
    user = firm_access.invited_person(token=token)
    if user is None:
        return render(request, "accounts/firm_invitation_invalid.html", status=400)
    device = firm_access.pending_device(user=user)
    form = FirmInvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            firm_access.accept_invitation(token=token, password=form.cleaned_data["password"],
                                          code=form.cleaned_data["otp_token"])
        except InvalidToken:
            return render(request, "accounts/firm_invitation_invalid.html", status=400)
        except firm_access.WrongCode:
            form.add_error("otp_token", _("The security code is wrong or has expired."))
        else:
            user.refresh_from_db()
            user.backend = "django.contrib.auth.backends.ModelBackend"
            _complete_login(request, user)
            messages.success(request, _("Your firm access is ready. You are logged in."))
            return redirect("accounts:overview")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/firm_invitation.html", {
        "form": form, "person": user,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr": _qr_data_uri(device.config_url),
    })


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have been logged out."))
    return redirect("portal:home")


@citizen_required
def profile(request):
    user = request.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        **{name: getattr(user.profile, name) for name in
           ("date_of_birth", "street", "house_number", "postcode", "city", "phone")},
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        names, profile_data = form.split()
        services.update_profile(user=user, names=names, profile=profile_data)
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:overview")
    return render(request, "accounts/profile.html", {"form": form})


def _qr_data_uri(text: str) -> str:
    # A standalone SVG document (with its namespace): an image from a data URI is no
    # inline SVG, and without the namespace the browser shows nothing.
    return segno.make(text, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def _password_refused(request, user: User, form) -> None:
    """A wrong current password counts towards the lock-out like a failed login."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email},
                           request=request)
    form.add_error("password", _("The password is wrong."))


@citizen_required
def two_factor(request):
    user = request.user
    if confirmed_totp_device(user):
        form = TotpDisableForm(request.POST or None)
        if (request.method == "POST" and request.POST.get("action") == "disable"
                and form.is_valid()):
            try:
                services.disable_totp(user=user, password=form.cleaned_data["password"])
            except services.WrongPassword:
                _password_refused(request, user, form)
            else:
                messages.success(request, _("Two-factor login is switched off."))
                return redirect("accounts:overview")
        return render(request, "accounts/two_factor_active.html", {"form": form})
    device = services.pending_totp_device(user)
    form = TotpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.confirm_totp(
                user=user, device=device, code=form.cleaned_data["otp_token"],
                password=form.cleaned_data["password"],
            )
        except services.WrongPassword:
            _password_refused(request, user, form)
        else:
            if confirmed:
                messages.success(request, _("Two-factor login is switched on."))
                return redirect("accounts:overview")
            form.add_error("otp_token", _("The security code is wrong or has expired."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
            "qr": _qr_data_uri(device.config_url),
        },
    )


@citizen_required
def access_log(request):
    entries = access_log_for_citizen(citizen=request.user)
    return render(request, "accounts/access_log.html", {"entries": entries})


@require_GET
@citizen_required
def access_proof(request, entry_id: int):
    """The inclusion proof of one access to the citizen's data: a file they can keep and
    have checked (`rathaus audit verify_proof`) against the published signing key."""
    entry = access_entry_of_citizen(citizen=request.user, entry_id=entry_id)
    if entry is None or entry.audit_entry is None:
        raise Http404
    document = inclusion_document(entry.audit_entry)
    if document is None:
        messages.info(request, _("The proof for this access is signed within a few minutes. "
                                 "Please try again shortly."))
        return redirect("accounts:access_log")
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="nachweis-zugriff-{entry.pk}.json"'
    return response


@method_decorator(rate_limited("password_reset", account=posted("email")), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = CitizenPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


# Every request counts: the link itself (GET) is where a token is tried.
@method_decorator(rate_limited("email_link", account=from_url("uidb64"), methods=ALL_METHODS),
                  name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = CitizenSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record("account.password_reset", actor=form.user, target=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
