"""The hand-over's machine interface: the published keys, and the door through which a
hand-over from another instance comes in (docs/architecture.md, "Hand-over between
authorities"). Answers are JSON; refusals are problem documents (RFC 9457)."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from rathaus.rate_limits.decorators import rate_limited
from rathaus.request_json import JsonRefused, loads

from . import keys, metadata, services

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse({"type": "about:blank", "title": title, "status": status,
                         "detail": detail}, status=status, content_type=PROBLEM)


def _too_many(request, refusal) -> JsonResponse:
    return problem(429, "Too Many Requests",
                   f"Too many hand-overs from this address; retry in {refusal.retry_after} s.")


def _not_here(request, slug: str) -> JsonResponse | None:
    """A 404 problem unless the path names the authority the host serves, so a sender
    cannot reach one authority through another's host."""
    if slug == request.authority.slug:
        return None
    return problem(404, "Not Found", f"This host serves no authority {slug!r}.")


@require_GET
def key_set(request, slug: str | None = None):
    """The authority's public keys for hand-overs (RFC 7517 JWK set)."""
    if slug is not None and (refusal := _not_here(request, slug)):
        return refusal
    response = JsonResponse(keys.published_key_set(), content_type="application/jwk-set+json")
    # Public by nature; short caching so that a rotated key is seen soon.
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Machine to machine, without cookies: a CSRF token has nothing to protect, and nothing
# is believed before it decrypts with this authority's key.
@csrf_exempt
@require_POST
@rate_limited("handover", respond=_too_many)
def submissions(request, slug: str):
    if refusal := _not_here(request, slug):
        return refusal
    body = _json_body(request)
    if isinstance(body, JsonResponse):
        return body
    if not isinstance(body, dict) or set(body) - {"metadata", "data", "attachments"}:
        return problem(400, "Bad Request",
                       "The body must be an object with metadata, data and attachments.")
    data_jwe, attachment_jwes = body.get("data"), body.get("attachments", [])
    if not (_compact_jwe(data_jwe) and isinstance(attachment_jwes, list)
            and all(_compact_jwe(part) for part in attachment_jwes)):
        return problem(400, "Bad Request",
                       "data and each of attachments must be a compact JWE.")
    try:
        accepted = services.accept_submission(metadata_document=body.get("metadata"),
                                              data_jwe=data_jwe,
                                              attachment_jwes=attachment_jwes)
    except metadata.MetadataRefused as refusal:
        return problem(400, "Bad Request", f"metadata: {refusal}")
    return JsonResponse({"id": str(accepted.pk), "submission_id": str(accepted.submission_id),
                         "state": accepted.state}, status=202)


def _json_body(request):
    limit = settings.RATHAUS_HANDOVER_MAX_BYTES
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > limit:
        return problem(413, "Content Too Large", f"A hand-over may have at most {limit} bytes.")
    if request.content_type != "application/json":
        return problem(415, "Unsupported Media Type", "Send application/json.")
    # Read from the stream: request.body stops at DATA_UPLOAD_MAX_MEMORY_SIZE, and a
    # hand-over with attachments is larger than a form.
    raw = request.read(limit + 1)
    try:
        return loads(raw, limit=limit)
    except JsonRefused as refusal:
        if str(refusal) == "too large":
            return problem(413, "Content Too Large",
                           f"A hand-over may have at most {limit} bytes.")
        return problem(400, "Bad Request", f"The body is {refusal}.")


def _compact_jwe(value) -> bool:
    return isinstance(value, str) and value.count(".") == 4
