"""The citizen's mailbox pages and the public receipt keys. Anything that is not the
logged-in citizen's own answers 404, exactly like something that does not exist."""

import io
from functools import wraps

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from rathaus.accounts.access import applicant_required

from . import keys, selectors, services
from .models import Receipt

# URL words are German like every URL of the portal.
RECEIPT_URL_WORDS = {
    Receipt.Event.SENT: "versand",
    Receipt.Event.DELIVERED: "eingang",
    Receipt.Event.RETRIEVED: "abholung",
}
EVENT_FOR_URL_WORD = {word: event for event, word in RECEIPT_URL_WORDS.items()}
RECEIPT_LABELS = {
    Receipt.Event.SENT: _("Confirmation of sending"),
    Receipt.Event.DELIVERED: _("Confirmation of delivery"),
    Receipt.Event.RETRIEVED: _("Confirmation of retrieval"),
}
RECEIPT_MEANINGS = {
    Receipt.Event.SENT: _(
        "The authority handed over the message with exactly this content for delivery."
    ),
    Receipt.Event.DELIVERED: _("The message was placed in your mailbox."),
    Receipt.Event.RETRIEVED: _("You opened the message for the first time after logging in."),
}


def _not_yours_is_not_found(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.MessageNotFound as error:
            raise Http404 from error

    return wrapper


def _private(response):
    # Decrypted content must not stay in shared or browser caches.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@applicant_required
def inbox(request):
    entries, page = selectors.inbox(user=request.user, page=request.GET.get("seite", 1))
    return _private(render(request, "mailbox/inbox.html", {"entries": entries, "page": page}))


@require_safe
@applicant_required
@_not_yours_is_not_found
def message(request, message_id):
    opened = services.open_message(user=request.user, message_id=message_id)
    receipts = [
        {
            "label": RECEIPT_LABELS[receipt.event],
            "meaning": RECEIPT_MEANINGS[receipt.event],
            "time": receipt.created_at,
            "url": reverse("mailbox:receipt",
                           args=[opened.id, RECEIPT_URL_WORDS[receipt.event]]),
        }
        for receipt in opened.receipts
    ]
    return _private(render(
        request, "mailbox/message.html", {"message": opened, "receipts": receipts}
    ))


@require_safe
@applicant_required
@_not_yours_is_not_found
def attachment(request, message_id, attachment_id):
    file = services.attachment_content(
        user=request.user, message_id=message_id, attachment_id=attachment_id
    )
    response = FileResponse(
        io.BytesIO(file.content), as_attachment=True, filename=file.filename,
        content_type=file.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@require_safe
@applicant_required
@_not_yours_is_not_found
def receipt(request, message_id, word):
    event = EVENT_FOR_URL_WORD.get(word)
    if event is None:
        raise Http404
    document = services.receipt_document(user=request.user, message_id=message_id, event=event)
    response = HttpResponse(document, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="nachweis-{word}-{message_id}.json"'
    return _private(response)


@require_safe
def receipt_keys(request):
    """The public keys of every authority's receipts (RFC 7517 JWK set)."""
    response = JsonResponse(keys.published_key_set(), content_type="application/jwk-set+json")
    # Public by nature; short caching so that a newly rotated key is seen soon.
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
