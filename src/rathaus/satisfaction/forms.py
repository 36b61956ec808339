from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_LENGTH

CHOICES = [
    ("5", _("Very satisfied")),
    ("4", _("Satisfied")),
    ("3", _("Neither")),
    ("2", _("Unsatisfied")),
    ("1", _("Very unsatisfied")),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled your matter?"), choices=CHOICES,
        coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are."),
                        "invalid_choice": _("Choose how satisfied you are.")})
    comment = forms.CharField(
        label=_("What should we do better?"), required=False,
        max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please do not write your name or file reference: the answer is "
                    "anonymous."),
        error_messages={"max_length": _("Please write at most %(limit_value)d characters.")})
