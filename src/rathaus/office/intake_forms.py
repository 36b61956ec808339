"""The forms of the incoming mail pages: upload, file by Aktenzeichen, discard."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.intake.models import IncomingItem
from rathaus.intake.receiving import ACCEPTED_TYPES
from rathaus.records.file_types import ACCEPTABLE

# What the file chooser offers: the intake's types by their usual names, and .eml.
_SUFFIXES = [*(suffix for media_type in ACCEPTED_TYPES
               for suffix in ACCEPTABLE[media_type].suffixes), ".eml"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; the intake's service checks each one itself."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ",".join([*ACCEPTED_TYPES, "message/rfc822", *_SUFFIXES])}))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(items) > settings.RATHAUS_UPLOAD_MAX_FILES:
            raise ValidationError(_("Please choose at most %(limit)s files at once."),
                                  code="too_many_files",
                                  params={"limit": settings.RATHAUS_UPLOAD_MAX_FILES})
        return items


class UploadForm(forms.Form):
    files = FilesField(
        label=_("Scans, documents and e-mails"),
        help_text=_("PDF, PNG, JPEG, TIFF, Office documents (Word, Excel, PowerPoint, "
                    "OpenDocument) or e-mails saved as .eml; you can choose several files "
                    "at once."),
        error_messages={"required": _("Please choose at least one file.")},
    )
    department = forms.ModelChoiceField(
        label=_("For the department"), queryset=None, empty_label=None,
        error_messages={"required": _("Please choose the department the mail is for."),
                        "invalid_choice": _("Please choose one of your departments.")},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ReferenceForm(forms.Form):
    aktenzeichen = forms.CharField(
        label=_("File reference (Aktenzeichen)"), max_length=100,
        help_text=_("For example 32.41.01-2026-000017."),
        error_messages={"required": _("Please enter the file reference.")},
    )
    with_attachments = forms.BooleanField(
        label=_("File the e-mail's attachments into the same file"), required=False,
        initial=True)


class DiscardForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it discarded?"), choices=IncomingItem.DiscardReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please say why the item is discarded.")},
    )
    note = forms.CharField(label=_("Explanation"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("reason") == IncomingItem.DiscardReason.OTHER and not data.get("note"):
            self.add_error("note", _("Please explain the other reason."))
        return data
