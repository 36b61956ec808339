"""The forms of the cadastres' office pages: finding assets, the due list, changing an
asset, a work order, finishing one, and extra inspections for an area."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.assets.kinds import AssetKind, Attribute
from rathaus.assets.models import Asset, Risk
from rathaus.assets.services import InvalidAsset, clean_attributes
from rathaus.date_input import TypedDateField

ATTRIBUTE_PREFIX = "attr_"
REASON_REQUIRED = _("Please give a reason for the change.")
TOO_LONG = _("Enter at most %(limit_value)d characters.")


class CoordinateField(forms.CharField):
    """A longitude or latitude typed with a point or a comma."""

    def __init__(self, *, low: float, high: float, **kwargs):
        self.low, self.high = low, high
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            if len(text) > 30:
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Please enter a number such as 7.0123."),
                                  code="invalid") from None
        if not number.is_finite() or not self.low <= number <= self.high:
            raise ValidationError(
                _("Please enter a number between %(low)s and %(high)s."),
                code="out_of_range", params={"low": self.low, "high": self.high})
        return float(number)


def _longitude(label, **kwargs):
    return CoordinateField(label=label, low=-180, high=180, **kwargs)


def _latitude(label, **kwargs):
    return CoordinateField(label=label, low=-90, high=90, **kwargs)


# --- Finding assets and what is due ---------------------------------------------------

class AssetSearchForm(forms.Form):
    q = forms.CharField(label=_("Number, name or street"), required=False, max_length=100,
                        error_messages={"max_length": TOO_LONG})
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    type = forms.ChoiceField(label=_("Asset type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), *Asset.Status.choices])
    due_until = TypedDateField(label=_("Due by"), required=False,
                               help_text=_("Next inspection due by this date (DD.MM.YYYY)"))

    def __init__(self, *args, kinds: list[AssetKind], types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")),
                                       *((k.name, k.label) for k in kinds)]
        self.fields["type"].choices = [("", _("all")), *types]
        self.fields["status"].error_messages["invalid_choice"] = _("Please choose a status.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Please choose a kind.")
        self.fields["type"].error_messages["invalid_choice"] = _("Please choose a type.")


class DueForm(forms.Form):
    until = TypedDateField(label=_("Due by"), required=False,
                           help_text=_("DD.MM.YYYY; four weeks ahead when left empty"))


# --- Changing an asset ---------------------------------------------------------------

def attribute_field(attribute: Attribute) -> forms.Field:
    """The form field of one of the kind's attributes; the kind's rules check the
    value (services.clean_attributes) in the form's clean()."""
    label = attribute.label
    if attribute.type == "choice":
        return forms.ChoiceField(label=label, required=False,
                                 choices=[("", "–"), *attribute.choices])
    if attribute.type == "boolean":
        return forms.ChoiceField(label=label, required=False,
                                 choices=[("", "–"), ("1", _("yes")), ("0", _("no"))])
    attrs = {"inputmode": "decimal"} if attribute.type in ("integer", "decimal") else {}
    return forms.CharField(label=label, required=False, max_length=500,
                           widget=forms.TextInput(attrs=attrs))


def attribute_initial(attribute: Attribute, value) -> str:
    if value is None:
        return ""
    if attribute.type == "boolean":
        return "1" if value else "0"
    return str(value)


class AssetChangeForm(forms.Form):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    type = forms.CharField(label=_("Asset type"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("Status"), choices=Asset.Status.choices,
                               error_messages={"invalid_choice": _("Please choose a status.")})
    lon = _longitude(_("Longitude"), error_messages={
        "required": _("Please enter the longitude.")})
    lat = _latitude(_("Latitude"), error_messages={
        "required": _("Please enter the latitude.")})
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=300,
        help_text=_("Kept in the asset's history, e.g. “Nachmessung 2026”."),
        error_messages={"required": REASON_REQUIRED,
                        "max_length": TOO_LONG})

    def __init__(self, *args, asset: Asset, kind: AssetKind | None, **kwargs):
        self.asset, self.kind = asset, kind
        initial = {"seen_version": asset.version, "name": asset.name, "type": asset.type,
                   "status": asset.status, "lon": str(asset.lon), "lat": str(asset.lat)}
        attributes = kind.attributes if kind else ()
        for attribute in attributes:
            initial[ATTRIBUTE_PREFIX + attribute.name] = attribute_initial(
                attribute, asset.attributes.get(attribute.name))
        super().__init__(*args, initial=initial, **kwargs)
        types = kind.types() if kind else []
        if types:
            choices = [("", "–"), *types]
            if asset.type and asset.type not in dict(types):
                choices.append((asset.type, asset.type))
            self.fields["type"] = forms.ChoiceField(
                label=_("Asset type"), required=False, choices=choices,
                error_messages={"invalid_choice": _("Please choose a type.")})
        for attribute in attributes:
            self.fields[ATTRIBUTE_PREFIX + attribute.name] = attribute_field(attribute)

    def attribute_fields(self):
        return [self[name] for name in self.fields if name.startswith(ATTRIBUTE_PREFIX)]

    def clean(self):
        cleaned = super().clean()
        if self.kind is None:
            return cleaned
        for attribute in self.kind.attributes:
            name = ATTRIBUTE_PREFIX + attribute.name
            if name not in cleaned:
                continue
            try:
                clean_attributes(self.kind, {attribute.name: cleaned[name]})
            except InvalidAsset as invalid:
                self.add_error(name, str(invalid))
        return cleaned

    def changes(self) -> dict:
        """What to hand to services.change_asset."""
        data = self.cleaned_data
        changes = {key: data[key] for key in ("name", "type", "status", "lon", "lat")}
        if self.kind is not None:
            changes["attributes"] = {
                attribute.name: data[ATTRIBUTE_PREFIX + attribute.name]
                for attribute in self.kind.attributes}
        return changes


# --- Work orders ---------------------------------------------------------------------

class WorkOrderForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=200, error_messages={
        "required": _("Please give the work order a title."),
        "max_length": TOO_LONG})
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, error_messages={
        "required": _("Please choose the team."),
        "invalid_choice": _("Please choose one of the teams.")})
    deadline = TypedDateField(label=_("Deadline"), help_text=_("DD.MM.YYYY"), error_messages={
        "required": _("Please enter the deadline.")})
    risk = forms.TypedChoiceField(label=_("Risk"), coerce=int, choices=Risk.choices,
                                  initial=Risk.NONE, error_messages={
                                      "invalid_choice": _("Please choose a risk.")})

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [(team.pk, team.name) for team in teams]
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk


class FinishForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please say in a note what was done."),
                        "max_length": TOO_LONG})
    photo = forms.FileField(
        label=_("Photo"), required=False,
        help_text=_("JPEG or PNG, e.g. taken with the phone's camera"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png",
                                               "capture": "environment"}))


# --- Extra inspections for an area ---------------------------------------------------

class PlanExtraForm(forms.Form):
    west = _longitude(_("West (longitude)"), required=False)
    south = _latitude(_("South (latitude)"), required=False)
    east = _longitude(_("East (longitude)"), required=False)
    north = _latitude(_("North (latitude)"), required=False)
    streets = forms.MultipleChoiceField(
        label=_("Or streets"), required=False,
        help_text=_("Choose one or more; with the Ctrl key for several"),
        error_messages={"invalid_choice": _("Please choose streets from the list.")})
    kind = forms.ChoiceField(label=_("Kind of inspection"), error_messages={
        "required": _("Please choose the kind of inspection."),
        "invalid_choice": _("Please choose one of the kinds of inspection.")})
    due_on = TypedDateField(label=_("Due by"), help_text=_("DD.MM.YYYY"), error_messages={
        "required": _("Please enter the date the inspections are due by.")})
    reason = forms.CharField(
        label=_("Reason"), max_length=200,
        help_text=_("e.g. “Sturm Ylenia am 17.02.”"),
        error_messages={"required": _("Please give a reason, e.g. the storm and its date."),
                        "max_length": TOO_LONG})

    def __init__(self, *args, kinds: list[tuple[str, str]], streets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        self.fields["streets"].choices = [(street, street) for street in streets]
        self.fields["streets"].widget.attrs["size"] = min(max(len(streets), 2), 8)

    def clean(self):
        cleaned = super().clean()
        box = [cleaned.get(side) for side in ("west", "south", "east", "north")]
        given = [value is not None for value in box]
        typed = [bool((self.data.get(side) or "").strip())
                 for side in ("west", "south", "east", "north")]
        if self.errors:
            return cleaned
        if any(typed) and not all(given):
            raise ValidationError(_("Please give all four sides of the area, or none."),
                                  code="incomplete_area")
        if all(given):
            west, south, east, north = box
            if west > east or south > north:
                raise ValidationError(
                    _("West must lie west of east and south south of north."),
                    code="inverted_area")
            cleaned["area"] = {"west": west, "south": south, "east": east, "north": north}
        else:
            cleaned["area"] = None
        if cleaned["area"] is None and not cleaned.get("streets"):
            raise ValidationError(_("Please choose an area on the map, type its four sides "
                                    "or choose at least one street."), code="no_area")
        return cleaned
