from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..models import ColumnType, Dataset


class DatasetForm(forms.ModelForm):
    keywords_text = forms.CharField(
        label=_("Keywords"), required=False, max_length=500,
        help_text=_("Separated by commas, e.g. Umwelt, Bäume, Stadtgrün"),
    )

    class Meta:
        model = Dataset
        fields = ["title", "name", "description", "keywords_text", "theme", "frequency",
                  "licence", "contact_name", "contact_email", "temporal_start",
                  "temporal_end"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "temporal_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "temporal_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "name": _("Lower-case letters, digits and hyphens; part of the address of "
                      "the downloads, e.g. hundekotbeutelspender. Cannot be changed later."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            del self.fields["name"]
            self.initial["keywords_text"] = ", ".join(self.instance.keywords)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if slugify(name) != name:
            raise forms.ValidationError(
                _("Use only lower-case letters, digits and hyphens."))
        return name

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", _("The end lies before the start."))
        return cleaned

    def metadata(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("keywords_text",
                                                                         "name")}
        data["keywords"] = [k.strip() for k in self.cleaned_data["keywords_text"].split(",")
                            if k.strip()][:20]
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, JSON or GeoJSON)"))


class ColumnForm(forms.Form):
    """One column of an upload, as staff confirm it."""

    public = forms.BooleanField(label=_("Publish"), required=False)
    type = forms.ChoiceField(label=_("Data type"), choices=ColumnType.choices,
                             widget=forms.Select(attrs={"class": "kern-form-input__select"}))
    reason = forms.CharField(label=_("Why these values are not personal data"),
                             required=False, max_length=500)


def column_forms(upload, data=None) -> list[tuple[dict, ColumnForm]]:
    result = []
    for position, column in enumerate(upload.columns):
        initial = {"public": not column["personal_kind"], "type": column["type"]}
        form = ColumnForm(data, prefix=f"c{position}", initial=initial)
        form.fields["type"].choices = [
            (value, label) for value, label in ColumnType.choices
            if value in (column["type"], ColumnType.TEXT)]
        result.append((column, form))
    return result
