"""The inspection form of the field app, made for one asset's kind: the kind's
inspection kinds and conditions, what is measured at an inspection, up to three
findings with their risk, photos and notes. The same form reads the POST of the page
(without JavaScript) and the phone's queued inspections (`sync.py`)."""

import uuid
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.assets.kinds import AssetKind
from rathaus.assets.models import Risk
from rathaus.assets.services import InvalidAsset, NewFinding, clean_attributes

FINDINGS = 3
MAX_PHOTOS = 10

RISK_HINTS = {
    Risk.NONE: _("no work order"),
    Risk.LOW: _("work order within about 3 months"),
    Risk.MEDIUM: _("work order within about a month"),
    Risk.HIGH: _("work order within a week; secure it if needed"),
    Risk.VERY_HIGH: _("closed until the work order is done"),
}


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once; their content is checked when they are stored
    (assets.photos), a refused one refuses the inspection with its reason."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={
            "accept": "image/*", "capture": "environment"}))
        super().__init__(required=False, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(items) > MAX_PHOTOS:
            raise ValidationError(_("Please choose at most %(limit)s photos."),
                                  code="too_many_photos", params={"limit": MAX_PHOTOS})
        return items


def measured_attributes(kind: AssetKind):
    """What the inspector measures on site (the kind marks it: a tree's size); the rest
    (planting year, a swing's maker) is kept in the office."""
    return [a for a in kind.attributes if a.measured and a.type in ("integer", "decimal")]


def risk_choices():
    return [(str(value), f"{label} – {RISK_HINTS[value]}")
            for value, label in zip(Risk.values, Risk.labels, strict=True)]


class InspectionForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Set by the phone when the inspection was recorded offline (ISO 8601); the time of
    # receipt otherwise.
    inspected_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of inspection"), widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the kind of inspection."),
                        "invalid_choice": _("Please choose one of the kinds of inspection.")})
    condition = forms.ChoiceField(
        label=_("Condition"), widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the condition."),
                        "invalid_choice": _("Please choose one of the conditions.")})
    notes = forms.CharField(label=_("Notes (internal)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("JPEG or PNG, at most %(limit)s photos. After an error, please choose "
                    "the photos again.") % {"limit": MAX_PHOTOS})

    def __init__(self, *args, kind: AssetKind, due_kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.asset_kind = kind
        self.fields["kind"].choices = [(k.name, k.label) for k in kind.inspection_kinds]
        self.fields["kind"].initial = due_kind or (
            kind.inspection_kinds[0].name if kind.inspection_kinds else "")
        self.fields["condition"].choices = list(kind.conditions)
        self.fields["condition"].required = bool(kind.conditions)
        self.measured = []
        for attribute in measured_attributes(kind):
            name = f"value_{attribute.name}"
            self.fields[name] = forms.CharField(
                label=attribute.label, required=False, max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            self.measured.append(name)
        self.findings = []
        for number in range(1, FINDINGS + 1):
            names = (f"finding{number}_description", f"finding{number}_risk",
                     f"finding{number}_measure")
            self.fields[names[0]] = forms.CharField(
                label=_("Description"), required=False,
                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[names[1]] = forms.ChoiceField(
                label=_("Risk"), required=False,
                choices=risk_choices(), widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Please choose one of the risks.")})
            self.fields[names[2]] = forms.CharField(
                label=_("Measure"),
                required=False, max_length=2000)
            self.findings.append(names)

    # Groups for the template.
    def measured_fields(self):
        return [self[name] for name in self.measured]

    def finding_groups(self):
        """(number, fields, open): the second and third finding stay folded until
        they hold something."""
        groups = []
        for number, names in enumerate(self.findings, start=1):
            fields = [self[name] for name in names]
            filled = any(field.value() or field.errors for field in fields)
            groups.append((number, fields, number == 1 or filled))
        return groups

    def clean(self):
        cleaned = super().clean()
        values = {}
        for name in self.measured:
            raw = (cleaned.get(name) or "").strip()
            if not raw:
                continue
            attribute = name.removeprefix("value_")
            try:
                values.update(clean_attributes(self.asset_kind, {attribute: raw}))
            except InvalidAsset as error:
                self.add_error(name, str(error))
        cleaned["values"] = values
        findings = []
        for number, (description_name, risk_name, measure_name) in enumerate(
                self.findings, start=1):
            description = (cleaned.get(description_name) or "").strip()
            risk = cleaned.get(risk_name) or ""
            measure = (cleaned.get(measure_name) or "").strip()
            if description and risk == "":
                self.add_error(risk_name, _("Finding %(number)s: please choose its risk.")
                               % {"number": number})
            elif not description and (risk != "" or measure):
                self.add_error(description_name, _("Finding %(number)s: please describe it.")
                               % {"number": number})
            elif description:
                findings.append(NewFinding(description, int(risk), measure))
        cleaned["findings"] = findings
        inspected_at = cleaned.get("inspected_at")
        now = timezone.now()
        if inspected_at and inspected_at > now + timedelta(minutes=10):
            self.add_error(None, _("An inspection cannot lie in the future."))
        cleaned["inspected_at"] = inspected_at or now
        return cleaned


def new_client_id() -> str:
    return str(uuid.uuid4())

