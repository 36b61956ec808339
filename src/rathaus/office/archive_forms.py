"""The forms of the Aussonderung pages: the files to offer or destroy, the archive's
message to upload, a legal hold's reason, and the confirmation of a destruction."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DueFilesForm(forms.Form):
    """Files of the retention list, chosen with checkboxes, and what to do with them."""

    OFFER, DESTROY = "offer", "destroy"

    files = forms.TypedMultipleChoiceField(
        label=_("Case files"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one file."),
                        "invalid_choice": _("A chosen file is no longer due. Reload the list.")})
    archive_name = forms.CharField(
        label=_("Receiving archive"), max_length=200, required=False,
        help_text=_("The archive the files are offered to, for example Stadtarchiv "
                    "Leichlingen."))
    confirm_destroy = forms.BooleanField(
        label=_("I confirm that the chosen files are destroyed for good: their documents, "
                "versions and notes are deleted and cannot be restored."), required=False)

    def __init__(self, *args, due=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].choices = [(f.pk, f.aktenzeichen) for f in due]

    def clean(self):
        data = super().clean()
        if self.data.get("destroy") is not None:
            data["action"] = self.DESTROY
            if not data.get("confirm_destroy"):
                self.add_error("confirm_destroy", _("Confirm that the files are destroyed "
                                                    "for good."))
        else:
            data["action"] = self.OFFER
            if not data.get("archive_name", "").strip():
                self.add_error("archive_name", _("Name the archive the files are offered "
                                                 "to."))
        return data


class ArchiveMessageForm(forms.Form):
    file = forms.FileField(
        label=_("Message of the archive (xdomea 0502, 0504, 0506 or 0507, .xml)"),
        error_messages={"required": _("Choose the archive's message file."),
                        "empty": _("The file is empty. Choose the archive's message file.")})


class ConfirmDestructionForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that the files evaluated V are destroyed for good."),
        error_messages={"required": _("Confirm that the files are destroyed for good.")})


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the legal hold"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the court case, the audit or the request under data "
                    "protection law. The file is kept out of every disposal until the hold "
                    "is lifted."),
        error_messages={"max_length": _("The reason is too long: at most 300 characters.")})

