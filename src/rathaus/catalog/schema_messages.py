"""What is wrong with a definition, in German, for the staff who import one.

The JSON Schema's own messages are English and name Python values ("'de' is a required
property"); staff adapting an imported service need the place in words and what to do.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .definitions import InvalidDefinition

# The keys of the format in the words of the office.
_NAMES = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "description": gettext_lazy("Description"),
    "department": gettext_lazy("Responsible department"),
    "fee": gettext_lazy("Costs"),
    "processing_time": gettext_lazy("Processing time"),
    "keywords": gettext_lazy("Search words"),
    "legal_basis": gettext_lazy("Legal basis"),
    "required_documents": gettext_lazy("Documents required"),
    "steps": gettext_lazy("Step"),
    "fields": gettext_lazy("Field"),
    "label": gettext_lazy("Label"),
    "hint": gettext_lazy("Hint"),
    "options": gettext_lazy("Option"),
    "errors": gettext_lazy("Error messages"),
    "workflow": gettext_lazy("Workflow"),
    "tasks": gettext_lazy("Task"),
    "file_plan": gettext_lazy("File plan"),
    "code": gettext_lazy("File plan code"),
    "retention_years": gettext_lazy("Retention period"),
    "minimum_login_level": gettext_lazy("Vertrauensniveau"),
    "contact": gettext_lazy("Contact"),
    "leika": gettext_lazy("LeiKa key"),
    "version": gettext_lazy("Version"),
    "id": gettext_lazy("Identifier"),
    "de": gettext_lazy("German text"),
    "en": gettext_lazy("English text"),
}


def place(where: str) -> str:
    """'steps.1.fields.0.label' → 'Schritte 2 › Felder 1 › Beschriftung'."""
    if not where:
        return _("the definition as a whole")
    words = []
    for part in where.split("."):
        if part.isdigit():
            words[-1] = f"{words[-1]} {int(part) + 1}" if words else str(int(part) + 1)
        else:
            words.append(str(_NAMES.get(part, part)))
    return " › ".join(words)


def explain(error: InvalidDefinition) -> str:
    """One German sentence: where, and what is wrong there."""
    return _("%(place)s: %(problem)s") % {"place": place(error.where),
                                           "problem": _problem(error)}


def _problem(error: InvalidDefinition) -> str:
    found = error.schema_error
    if found is None:  # a reference or a rule the schema cannot state
        return _("%(detail)s (please correct it in the file)") % {"detail": error.message}
    params = found.validator_value
    match found.validator:
        case "required":
            missing = [name for name in params if name not in (found.instance or {})]
            return _("“%(name)s” is missing.") % {
                "name": ", ".join(str(_NAMES.get(n, n)) for n in missing)}
        case "dependentRequired":
            return _("an online service also needs: %(names)s.") % {
                "names": ", ".join(str(_NAMES.get(n, n)) for names in params.values()
                                   for n in names)}
        case "additionalProperties":
            extra = sorted(set(found.instance) - set(found.schema.get("properties", {})))
            return _("“%(name)s” is not part of the format.") % {"name": ", ".join(extra)}
        case "type":
            return _("the value has the wrong kind (expected: %(kind)s).") % {
                "kind": _KINDS.get(params, params) if isinstance(params, str) else params}
        case "enum":
            return _("“%(value)s” is not allowed; allowed: %(allowed)s.") % {
                "value": found.instance, "allowed": ", ".join(map(str, params))}
        case "minLength" | "minItems":
            return _("must not be empty.")
        case "maxLength":
            return _("is longer than %(count)s characters.") % {"count": params}
        case "pattern":
            return _("“%(value)s” does not have the required form.") % {"value": found.instance}
        case "minimum":
            return _("must be at least %(minimum)s.") % {"minimum": params}
    return _("does not match the format (%(detail)s).") % {"detail": found.message}


_KINDS = {
    "string": gettext_lazy("text"),
    "integer": gettext_lazy("whole number"),
    "number": gettext_lazy("number"),
    "object": gettext_lazy("section"),
    "array": gettext_lazy("list"),
    "boolean": gettext_lazy("yes or no"),
}
