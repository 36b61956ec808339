"""Who may open a page: citizens with a login level, firm accounts admitted here,
staff with a second factor."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from .firm_access import active_memberships
from .login_levels import LoginLevel, session_login_level
from .selectors import staff_memberships


def _firm_page(request, template: str):
    return render(request, template, status=403)


def citizen_required(view=None, *, level: LoginLevel = LoginLevel.BASISREGISTRIERUNG):
    """A citizen's own pages (dogs, profile, data copy): a firm account is told that
    they are not for it instead of being sent to the login again."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            current = session_login_level(request)
            if user.is_authenticated and user.is_firm:
                return _firm_page(request, "accounts/firm_citizens_only.html")
            if not (user.is_authenticated and user.is_citizen and current
                    and current.satisfies(level)):
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view else decorator


def applicant_required(view):
    """Pages of applying, of the applicant's cases and of the mailbox: a logged-in
    citizen, or a firm account with an active access at the active authority."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.acts_in_portal
                and session_login_level(request) is not None):
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if user.is_firm and not active_memberships(user=user):
            return _firm_page(request, "accounts/firm_not_admitted.html")
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_staff_member and user.is_verified()):
            return redirect_to_login(request.get_full_path(), reverse("office:login"))
        memberships = list(staff_memberships(user))
        if not memberships:
            return redirect_to_login(request.get_full_path(), reverse("office:login"))
        request.memberships = memberships
        return view(request, *args, **kwargs)

    return wrapper
