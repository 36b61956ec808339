"""The Sitzungsdienst's forms: they parse and check what was typed, with German
messages; the services check the rules of procedure."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Location, Organization, Paper, Person
from .papers import ROLES
from .selectors import bodies, party_groups

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _live(model):
    return model.objects.filter(deleted=False)


class OrganizationForm(forms.Form):
    prefix = "body"

    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    location = forms.ModelChoiceField(label=_("Usual meeting place"), required=False,
                                      queryset=None)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _live(Location)


class TermForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)


class LocationForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    street_address = forms.CharField(label=_("Street and number"), max_length=200,
                                     required=False)
    postal_code = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    locality = forms.CharField(label=_("Place"), max_length=100, required=False)


class PersonForm(forms.Form):
    prefix = "person"

    form_of_address = forms.CharField(label=_("Form of address"), max_length=50,
                                      required=False, help_text=_("For example: Frau, Herr"))
    title = forms.CharField(label=_("Academic title"), max_length=50, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "–"), *Person.Gender.choices])
    party = forms.CharField(label=_("Party"), max_length=100, required=False)


class AccountForm(forms.Form):
    prefix = "account"

    email = forms.EmailField(label=_("E-mail address of the citizen account"),
                             help_text=_("The councillor registers in the citizen portal "
                                         "with this address and switches on the second "
                                         "factor."))


class MembershipForm(forms.Form):
    prefix = "membership"

    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.CharField(label=_("Role"), max_length=100, required=False,
                           help_text=_("For example: Mitglied, Vorsitzende"))
    voting_right = forms.BooleanField(label=_("Has a voting right"), required=False,
                                      initial=True)
    on_behalf_of = forms.ModelChoiceField(label=_("For the party group"), required=False,
                                          queryset=None)
    start_date = forms.DateField(label=_("From"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _live(Person)
        self.fields["on_behalf_of"].queryset = party_groups()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and \
                data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end is before the start."))
        return data


class MeetingForm(forms.Form):
    prefix = "meeting"

    organization = forms.ModelChoiceField(label=_("Body"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=300, required=False,
                           help_text=_("Left empty: “Sitzung des …” with the body's name."))
    start = forms.DateTimeField(label=_("Start"), widget=DATETIME)
    end = forms.DateTimeField(label=_("End"), required=False, widget=DATETIME)
    location = forms.ModelChoiceField(label=_("Place"), required=False,
                                      queryset=None,
                                      help_text=_("Left empty: the body's usual place."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = bodies()
        self.fields["location"].queryset = _live(Location)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The meeting must end after it starts."))
        return data


class ChangeMeetingForm(MeetingForm):
    name = forms.CharField(label=_("Name"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organization"]


class ItemForm(forms.Form):
    prefix = "item"

    name = forms.CharField(label=_("Title of the item"), max_length=500,
                           error_messages={"required": _("Give the item a title.")})
    public = forms.TypedChoiceField(
        label=_("Public or not"), coerce=lambda value: value == "1", initial="1",
        choices=[("1", _("Public")), ("0", _("Non-public"))], widget=forms.RadioSelect)
    papers = forms.ModelMultipleChoiceField(
        label=_("Papers treated"), required=False, queryset=None,
        help_text=_("Hold Ctrl to choose several."))

    def __init__(self, *args, papers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["papers"].queryset = papers if papers is not None else _live(Paper)
        self.fields["papers"].label_from_instance = lambda p: f"{p.reference} {p.name}"


class InviteForm(forms.Form):
    prefix = "invite"

    urgency_reason = forms.CharField(
        label=_("Reason for the urgency (only when inviting within the period)"),
        required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AgendaItem.Result.choices,
                               error_messages={"required": _("Choose a result.")})
    votes_for = forms.IntegerField(label=_("Yes"), required=False, min_value=0,
                                   error_messages={"min_value": _("Votes cannot be negative.")})
    votes_against = forms.IntegerField(label=_("No"), required=False, min_value=0,
                                       error_messages={"min_value": _("Votes cannot be "
                                                                      "negative.")})
    votes_abstaining = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0,
                                          error_messages={"min_value": _("Votes cannot be "
                                                                         "negative.")})
    resolution_text = forms.CharField(label=_("Resolution"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    prefix = "approve"

    approved_in = forms.ModelChoiceField(label=_("Approved at the meeting"),
                                         queryset=None)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_in"].queryset = meetings
        self.fields["approved_in"].label_from_instance = lambda m: (
            f"{m.name}, {timezone.localtime(m.start):%d.%m.%Y}")


class PaperForm(forms.Form):
    prefix = "paper"

    paper_type = forms.ChoiceField(label=_("Kind"), choices=Paper.Type.choices)
    name = forms.CharField(label=_("Title"), max_length=500,
                           error_messages={"required": _("Give the paper a title.")})
    public = forms.TypedChoiceField(
        label=_("Public or not"), coerce=lambda value: value == "1", initial="1",
        choices=[("1", _("Public")), ("0", _("Non-public"))], widget=forms.RadioSelect)
    originator = forms.ModelChoiceField(label=_("Submitted by (party group of a motion)"),
                                        required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["originator"].queryset = party_groups()

    def clean(self):
        data = super().clean()
        if data.get("paper_type") == Paper.Type.MOTION and not data.get("originator"):
            self.add_error("originator", _("A motion is brought by a party group: choose it."))
        return data


class ChangePaperForm(PaperForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["paper_type"]


class TextForm(forms.Form):
    prefix = "text"

    text = forms.CharField(label=_("Text of the paper"), widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Paragraphs are separated by an empty line; a line "
                                       "starting with # is a heading."),
                           error_messages={"required": _("Write the paper's text.")})


class UploadForm(forms.Form):
    prefix = "upload"

    role = forms.ChoiceField(label=_("The file is"), widget=forms.RadioSelect, initial="attachment",
                             choices=[("main", _("the paper itself")),
                                      ("attachment", _("an attachment"))])
    name = forms.CharField(label=_("Name"), max_length=300, required=False,
                           help_text=_("For example: Lageplan. Left empty: the file name."))
    file = forms.FileField(label=_("PDF file"),
                           error_messages={"required": _("Choose a PDF file.")})


class ConsultationForm(forms.Form):
    prefix = "consultation"

    organization = forms.ModelChoiceField(label=_("Body"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=[(role, role) for role in ROLES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = bodies()


class PaperFilterForm(forms.Form):
    paper_type = forms.ChoiceField(label=_("Kind"), required=False,
                                   choices=[("", _("All kinds")), *Paper.Type.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    q = forms.CharField(label=_("Number or title"), required=False, max_length=200)
