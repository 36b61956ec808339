"""Who may open a page: citizens with a login level, staff with a second factor."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .login_levels import LoginLevel, session_login_level
from .selectors import staff_memberships


def citizen_required(view=None, *, level: LoginLevel = LoginLevel.BASISREGISTRIERUNG):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            current = session_login_level(request)
            if not (user.is_authenticated and user.is_citizen and current
                    and current.satisfies(level)):
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view else decorator


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
