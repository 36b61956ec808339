"""What kind of file an attachment is, in words a citizen knows ("PDF document"), never
the media type ("application/pdf")."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The same words as records.file_types, which the mailbox, its sibling, may not import.
FILE_KINDS = {
    "application/pdf": _("PDF document"),
    "image/jpeg": _("JPEG image"),
    "image/png": _("PNG image"),
}


@register.filter
def file_kind(media_type: str) -> str:
    essence = (media_type or "").split(";")[0].strip().lower()
    return str(FILE_KINDS.get(essence, _("File")))
