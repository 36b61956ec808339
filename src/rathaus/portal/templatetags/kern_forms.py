"""Renders Django form fields with KERN UX classes and the ARIA links between an
input, its hint and its error message."""

from django import forms, template

register = template.Library()

CHECK_WIDGETS = (forms.CheckboxInput,)


@register.simple_tag
def kern_widget(field):
    widget = field.field.widget
    describedby = []
    if field.help_text:
        describedby.append(f"{field.auto_id}-hint")
    if field.errors:
        describedby.append(f"{field.auto_id}-error")
    attrs = {}
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if isinstance(widget, CHECK_WIDGETS):
        css = "kern-form-check__checkbox"
    elif isinstance(widget, forms.Select):
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    if field.errors:
        css += f" {css}--error"
    attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, CHECK_WIDGETS)


@register.filter
def is_select(field) -> bool:
    return isinstance(field.field.widget, forms.Select)
