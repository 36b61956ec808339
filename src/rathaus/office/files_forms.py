"""The forms of the file plan and file pages. Choices are read when a form is made, so
they hold only the active authority's entries and departments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.models import Department
from rathaus.records.file_plan import EntryData
from rathaus.records.file_work import NOTE_MAX_LENGTH
from rathaus.records.models import FilePlanEntry, FilePlanRevision
from rathaus.records.references import MAX_REFERENCE_LENGTH

MAX_RETENTION_YEARS = 200


class PlanEntryForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Parent entry"), queryset=FilePlanEntry.all_authorities.none(), required=False,
        empty_label=_("none (a main group at the top)"))
    code = forms.CharField(
        label=_("Code"), max_length=30,
        help_text=_("Begins with the parent entry's code, e.g. 32.41.01 under 32.41."))
    title = forms.CharField(label=_("Title"), max_length=200)
    department = forms.ModelChoiceField(
        label=_("Department in charge"), queryset=Department.all_authorities.none(), required=False,
        empty_label=_("none (only the records management reads the files)"),
        help_text=_("Its staff read and work on the files opened under the entry."))
    retention_years = forms.IntegerField(
        label=_("Retention period in years"), min_value=0, max_value=MAX_RETENTION_YEARS,
        help_text=_("Counted from the end of the year in which a file is closed."))
    disposal = forms.ChoiceField(label=_("After the retention period"),
                                 choices=FilePlanEntry.Disposal.choices)
    reference_pattern = forms.CharField(
        label=_("File reference pattern"), max_length=100,
        help_text=_("Fields {code}, {year} and {number}, e.g. {code}-{year}-{number:06d}."))
    reason = forms.CharField(
        label=_("Reason for the change"), required=False,
        max_length=FilePlanRevision._meta.get_field("reason").max_length,
        help_text=_("Kept in the entry's history."))

    def __init__(self, *args, entry: FilePlanEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = FilePlanEntry.objects.order_by("code")
        if entry is not None:
            parents = parents.exclude(pk=entry.pk)
            if entry.case_files.exists():
                # Part of every Aktenzeichen filed under it: shown, not sent.
                self.fields["code"].disabled = True
                self.fields["code"].help_text = _(
                    "Files are filed under this entry, so its code stays.")
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda e: f"{e.code} {e.title}"
        self.fields["department"].queryset = Department.objects.order_by("name")

    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            code=data["code"], title=data["title"], retention_years=data["retention_years"],
            disposal=data["disposal"], reference_pattern=data["reference_pattern"],
            department=data["department"], parent=data["parent"])

    @staticmethod
    def initial_of(entry: FilePlanEntry) -> dict:
        return {"parent": entry.parent_id, "code": entry.code, "title": entry.title,
                "department": entry.department_id, "retention_years": entry.retention_years,
                "disposal": entry.disposal, "reference_pattern": entry.reference_pattern}


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    aktenzeichen = forms.CharField(
        label=_("File reference of the target file"), max_length=MAX_REFERENCE_LENGTH,
        help_text=_("An open file you work on, e.g. 21.33.01-2026-000042."))
