"""The party's forms, made from the definition's fields as the application's steps are
(rathaus.forms field types), with the statement to tick."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import active_authority_or_none
from rathaus.catalog.definitions import Field, ThirdPartyConfirmation, localize
from rathaus.forms.field_types import form_field, kind_of


class PartyForm(forms.Form):
    specs: tuple[Field, ...] = ()

    def as_json(self) -> dict:
        return {spec.id: kind_of(spec).to_json(self.cleaned_data.get(spec.id))
                for spec in self.specs if self.cleaned_data.get(spec.id) not in (None, "")}


# Made once per confirmation of a definition, language and authority, not per request:
# making the fields (labels, messages, choices) costs more than the page's query. A
# definition never changes (a new version is a new object); an entry holds the objects
# of its key, so their ids cannot pass to others while it is kept.
_form_classes: dict[tuple, tuple] = {}
_MAX_FORM_CLASSES = 256


def party_form_class(spec: ThirdPartyConfirmation, specs: tuple[Field, ...]) -> type[PartyForm]:
    """The fields `specs` (the party's or the issue fields) and the statement."""
    authority = active_authority_or_none()
    key = (id(spec), id(specs), get_language(), authority.pk if authority else None)
    found = _form_classes.get(key)
    if found is not None and found[0] is spec and found[1] is specs:
        return found[2]
    form_class = _party_form_class(spec, specs)
    if len(_form_classes) >= _MAX_FORM_CLASSES:
        _form_classes.clear()
    _form_classes[key] = (spec, specs, form_class)
    return form_class


def _party_form_class(spec: ThirdPartyConfirmation,
                      specs: tuple[Field, ...]) -> type[PartyForm]:
    fields = {f.id: form_field(f, required=f.required) for f in specs}
    fields["statement"] = forms.BooleanField(
        label=localize(spec.statement), required=True,
        error_messages={"required": _("Please tick the box to confirm the statement.")})
    return type("PartyForm", (PartyForm,), {**fields, "specs": specs})


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not confirm? (optional)"), required=False, max_length=1000,
        help_text=_("The applicant and the authority read this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please shorten this to at most %(limit_value)d "
                                        "characters.")})
