"""The team lead's forms: deciding a request (a reason is needed to decline) and
putting a month in dispute (what needs clarifying). Sickness for a member uses
`absence_forms.SicknessForm`."""

from django import forms
from django.utils.translation import gettext_lazy as _

APPROVE, DECLINE = "approve", "decline"


class DecisionForm(forms.Form):
    """Approve or decline; each request on the page has its own prefix so that the
    inputs' ids stay unique."""

    decision = forms.ChoiceField(choices=[(APPROVE, APPROVE), (DECLINE, DECLINE)],
                                 widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (needed to decline)"), required=False,
                             max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"max_length": _("Enter at most 300 characters.")})

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == APPROVE


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What needs clarifying"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Please say what needs clarifying."),
                                             "max_length": _("Enter at most 300 characters.")})
