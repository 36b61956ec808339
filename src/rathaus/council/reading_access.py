"""Who opens the councillors' reading room (/ratsinfo/mandat/): a citizen account that a
council `Person` names, with a current membership (`council.may_read_as_member`),
logged in at the portal with its second factor in this session.

- nobody logged in: to the portal login, and back here afterwards;
- a staff or firm account, or a citizen who is no member: 404, like any unknown page
  (the reading room is for members only, the administration included in "not");
- a member logged in without the second factor (no authenticator app, or it was set up
  after this login): a page that explains how to open the reading room.

Every answer of the reading room is `Cache-Control: private, no-store`: it holds
non-public papers and the member's notes, which no HTTP cache keeps. (The service
worker's Cache Storage is a separate store that the member fills on purpose;
reading_offline.py.)
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from rathaus.accounts.login_levels import session_login_level

from .models import Person
from .permissions import may_read_as_member, person_of


def private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def councillor_required(view):
    """The view runs for a member logged in with two factors; `request.council_person`
    is their `Person`."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not user.is_citizen:
            raise Http404  # staff and firm accounts are no councillors
        if session_login_level(request) is None:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not may_read_as_member(user):
            raise Http404
        if not user.is_verified():
            return private(render(request, "council/reading/two_factor_needed.html",
                                  status=403))
        request.council_person = person_of(user)
        return private(view(request, *args, **kwargs))

    return wrapper


def council_person(request) -> Person:
    return request.council_person
