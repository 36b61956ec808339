"""The satisfaction check's results with the citizens' comments, for team leads and
administrators (the comments are free text)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows
from rathaus.catalog.definitions import localize
from rathaus.catalog.registry import definition
from rathaus.publication.small_counts import MIN_COUNT
from rathaus.satisfaction import permissions as rules
from rathaus.satisfaction import selectors


@staff_required
@require_safe
def satisfaction(request):
    if not allows(rules.may_read_comments, request.user):
        raise Http404
    groups = []
    for group in selectors.by_service_and_month():
        service = definition(group["service_id"])
        # Comments of fewer than three answers could be told apart by their timing.
        enough = group["count"] >= MIN_COUNT
        groups.append({
            **group, "title": localize(service.title) if service else group["service_id"],
            "satisfied_percent": selectors.satisfied_percent(group),
            "comments": selectors.comments(service_id=group["service_id"],
                                           month=group["month"]) if enough else None,
        })
    return render(request, "office/satisfaction.html", {"groups": groups,
                                                        "min_count": MIN_COUNT})
