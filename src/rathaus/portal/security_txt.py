"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, per authority.

Each authority names its own contact (`Authority.security_contact`); one without gets
the instance's (RATHAUS_SECURITY_CONTACT). Without either there is nothing to publish,
and the file is not found: a security.txt without Contact would be invalid."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

# RFC 9116 2.5.5: Expires no further than a year ahead. Counted from the start of the
# day, so the file changes once a day and can be cached for that long.
VALID_DAYS = 365


def contact_uri(contact: str) -> str:
    """An https:// URL as it is; an e-mail address as a mailto: URI."""
    if contact.startswith(("https://", "mailto:")):
        return contact
    return f"mailto:{contact}"


def security_txt_lines(*, contact: str, canonical: str, policy: str, today) -> list[str]:
    expires = datetime.combine(today + timedelta(days=VALID_DAYS), time(), tzinfo=UTC)
    lines = [
        f"Contact: {contact_uri(contact)}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        "Preferred-Languages: de, en",
        f"Canonical: {canonical}",
    ]
    if policy:
        lines.append(f"Policy: {policy}")
    return lines


@require_GET
def security_txt(request):
    contact = request.authority.security_contact or settings.RATHAUS_SECURITY_CONTACT
    if not contact:
        raise Http404
    lines = security_txt_lines(
        contact=contact, canonical=request.build_absolute_uri(request.path),
        policy=settings.RATHAUS_SECURITY_POLICY, today=datetime.now(UTC).date())
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
