"""The forms of the service exchange: a file to read, and what the adopting authority
changes before it takes the service over."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.bylaw_values import BylawValue
from rathaus.catalog.exchange import ADAPTABLE_TEXTS, Adaptation
from rathaus.date_input import TypedDateField

TEXT_LABELS = {"title": _("Title"), "summary": _("Summary"), "fee": _("Costs")}


class ServiceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Service file (.yaml)"),
        help_text=_("The file another authority exported from its Rathaus."),
        error_messages={"required": _("Choose the service file to read."),
                        "empty": _("The file is empty. Choose the exported service file.")})


class FimDraftForm(forms.Form):
    """A FIM data schema to turn into a draft definition (catalog.fim)."""

    file = forms.FileField(
        label=_("FIM data schema (XDatenfelder 2.0 or 3.0, .xml)"),
        error_messages={"required": _("Choose the data schema file."),
                        "empty": _("The file is empty. Choose the data schema file.")})
    service_id = forms.RegexField(
        label=_("Identifier of the new service"), regex=r"^[a-z][a-z0-9_-]*$", max_length=60,
        help_text=_("Lower-case letters, digits, hyphens and underscores, for example "
                    "sondernutzung"),
        error_messages={"required": _("Enter an identifier for the service."),
                        "invalid": _("Use lower-case letters, digits, hyphens and "
                                     "underscores only, starting with a letter.")})
    department = forms.ChoiceField(
        label=_("Department that decides"),
        error_messages={"required": _("Choose the department that decides.")})

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "")] + [(d.slug, d.name) for d in departments]


class AdoptionForm(forms.Form):
    """The file's content travels with the form (a hidden field): it is read and checked
    again when the form is sent, so nothing in it is trusted from the first step."""

    content = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, definition: dict, departments, bylaw_values=(),
                 bylaw=None, named_departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key in ADAPTABLE_TEXTS:
            text = definition.get(key) or {}
            for language, suffix in (("de", _("German")), ("en", _("English"))):
                widget = forms.Textarea(attrs={"rows": 3}) if key != "title" else None
                self.fields[f"{key}_{language}"] = forms.CharField(
                    label=f"{TEXT_LABELS[key]} ({suffix})", initial=text.get(language, ""),
                    required=key == "title" and language == "de", max_length=2000,
                    widget=widget,
                    error_messages={"required": _("Enter the title of the service.")})
        choices = [(d.slug, d.name) for d in departments]
        for name in named_departments:
            self.fields[f"department_{name}"] = forms.ChoiceField(
                label=_("Your department for “%(name)s”") % {"name": name}, choices=choices,
                initial=name if name in dict(choices) else None,
                error_messages={"required": _("Choose the department that does this work."),
                                "invalid_choice": _("Choose one of your departments.")})
        self.bylaw_names = [value.name for value in bylaw_values]
        if bylaw_values:
            values = (bylaw or {}).get("values") or {}
            for value in bylaw_values:
                self.fields[f"bylaw_{value.name}"] = _bylaw_field(value, values.get(value.name))
            self.fields["bylaw_valid_from"] = TypedDateField(
                label=_("The bylaw values apply from"),
                help_text=_("For example 01.01.2027"),
                error_messages={"required": _("Enter the day the bylaw values apply from.")})

    def groups(self) -> list[tuple[str, list]]:
        """The fields in the page's sections: texts, departments, bylaw values."""
        sections = ((_("Texts in your portal"), ("title_", "summary_", "fee_")),
                    (_("Your departments"), ("department_",)),
                    (_("Values of your bylaw"), ("bylaw_",)))
        return [(heading, fields) for heading, prefixes in sections
                if (fields := [self[name] for name in self.fields if name.startswith(prefixes)])]

    def adaptation(self, *, named_departments) -> Adaptation:
        data = self.cleaned_data
        return Adaptation(
            texts={key: {"de": data[f"{key}_de"], "en": data[f"{key}_en"]}
                   for key in ADAPTABLE_TEXTS},
            departments={name: data[f"department_{name}"] for name in named_departments},
            bylaw_values={name: data[f"bylaw_{name}"] for name in self.bylaw_names}
            if self.bylaw_names else None,
            bylaw_valid_from=data.get("bylaw_valid_from"),
        )


def _bylaw_field(value: BylawValue, initial) -> forms.Field:
    if value.kind == "amount":
        try:
            initial = Decimal(str(initial)) if initial is not None else None
        except InvalidOperation:
            initial = None  # a file's odd value: staff type the rate themselves
        return forms.DecimalField(
            label=_("%(label)s (euros)") % {"label": value.label}, initial=initial,
            min_value=0, max_value=10000, decimal_places=2, localize=True,
            error_messages={"required": _("Enter the amount in euros, for example 96,00."),
                            "invalid": _("Enter the amount in euros, for example 96,00.")})
    if value.kind == "choice":
        return forms.ChoiceField(label=value.label, choices=value.choices, initial=initial)
    return forms.CharField(label=value.label, initial=initial, max_length=300,
                           error_messages={"required": _("Fill in “%(label)s”.")
                                           % {"label": value.label}})
