"""The audit log's public face: the signed tree heads, and the proofs that let anyone
who kept an earlier head check that the log only grew since."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from rathaus.authorities.models import Authority

from . import tree, tree_heads


def _public(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def published_tree_heads(request):
    """Every authority's latest signed tree head (docs/decisions/0018)."""
    return _public(JsonResponse({"heads": tree_heads.published_heads()}))


@require_GET
def consistency_proof(request):
    """RFC 9162 consistency proof between two sizes of an authority's tree, e.g.
    ?authority=musterstadt&first=120&second=180 (second: a size some head signed)."""
    try:
        authority = Authority.objects.get(slug=request.GET.get("authority", ""))
        first, second = int(request.GET["first"]), int(request.GET["second"])
    except (Authority.DoesNotExist, KeyError, ValueError):
        return _public(JsonResponse(
            {"error": "authority, first and second (whole numbers) are required"}, status=400))
    head = tree_heads.latest_head(authority.pk)
    if head is None or not 0 < first <= second <= head.tree_size:
        return _public(JsonResponse(
            {"error": "need 0 < first <= second <= the latest signed tree size"}, status=400))
    path = tree.consistency_proof(authority.pk, first, second)
    return _public(JsonResponse({"authority": authority.slug, "first": first,
                                 "second": second, "proof": [node.hex() for node in path]}))
