"""The department a staff member works in right now: the one last chosen with the
department switch (kept in the session), else the first of their memberships."""

from rathaus.accounts.selectors import staff_memberships

DEPARTMENT_KEY = "rathaus_department"


def active_membership(request):
    """The membership the office works in; None for someone without any (only pages
    outside `staff_required` can meet them, such as the login page's header)."""
    memberships = getattr(request, "memberships", None)
    if memberships is None:
        memberships = list(staff_memberships(request.user))
    chosen = request.session.get(DEPARTMENT_KEY)
    for membership in memberships:
        if membership.department_id == chosen:
            return membership
    return memberships[0] if memberships else None


def remember(request, membership) -> None:
    request.session[DEPARTMENT_KEY] = membership.department_id
