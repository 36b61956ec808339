"""Form field for documents a citizen uploads, for the forms engine."""

from django import forms
from django.core.exceptions import ValidationError

from .file_types import ACCEPTABLE
from .uploads import DEFAULT_ALLOWED_TYPES, CheckedUpload, UploadRejected, check_upload


class DocumentUploadField(forms.FileField):
    """A file field whose cleaned value is a `CheckedUpload` (content, media type, safe
    file name) that passed `check_upload`."""

    def __init__(self, *, max_bytes: int, allowed_types=DEFAULT_ALLOWED_TYPES, **kwargs):
        self.max_bytes = max_bytes
        self.allowed_types = tuple(allowed_types)
        # check_upload refuses empty files itself, with the same words as everywhere.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not value or isinstance(value, CheckedUpload) or not hasattr(value, "read"):
            return value  # nothing uploaded, or the initial value kept
        try:
            return check_upload(value, allowed_types=self.allowed_types, max_bytes=self.max_bytes)
        except UploadRejected as rejected:
            raise ValidationError(
                rejected.message, code=rejected.code, params=rejected.params
            ) from rejected

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            # Only a hint for the browser's file picker; the content check decides.
            accepted = list(self.allowed_types)
            accepted += [suffix for media_type in self.allowed_types
                         for suffix in ACCEPTABLE[media_type].suffixes]
            attrs["accept"] = ",".join(accepted)
        return attrs
