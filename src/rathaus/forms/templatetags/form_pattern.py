"""What the form templates (templates/includes/field*.html, form_errors.html) ask of a
field: whether its label says "optional", and where an error summary entry points.

The pattern these serve is written down in docs/frontend/forms-and-errors.md."""

from django import forms, template

register = template.Library()

# Widgets drawn as a group of inputs: the summary links to the first one, as the
# group itself (a fieldset) cannot take focus.
GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def is_optional(field) -> bool:
    """True when the citizen may leave the field empty. A field that is required
    whenever it is shown is not optional, even if the form demands it elsewhere (a
    required file is named on the summary, `required_elsewhere`)."""
    return not field.field.required and not getattr(field.field, "required_elsewhere", False)


@register.filter
def error_target(field) -> str:
    """The id of the input an error summary entry for `field` links to."""
    widget = field.field.widget
    if isinstance(widget, GROUP_WIDGETS):
        return widget.id_for_label(field.auto_id, 0)
    return field.id_for_label or field.auto_id


@register.filter
def first_field_target(form) -> str:
    """Where an error of the whole form (a failed login) points: its first field."""
    visible = form.visible_fields()
    return error_target(visible[0]) if visible else ""
