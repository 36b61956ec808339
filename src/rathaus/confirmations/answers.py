"""What the party sees and says, read from the definition's `third_party_confirmation`:
the rows of the application shown to the party, the party's answers as people read
them, and where an issued code says something else than the application."""

from rathaus.catalog.definitions import Field, ServiceDefinition, localize
from rathaus.forms.field_types import kind_of


def shown_rows(definition: ServiceDefinition, answers: dict) -> list[tuple[str, str]]:
    """(label, value) of the fields the party may see, only those answered: a person
    moving alone shows no empty rows for a family."""
    fields = definition.fields
    rows = []
    for field_id in definition.third_party_confirmation.shows:
        spec, value = fields[field_id], answers.get(field_id)
        if kind_of(spec).is_answered(value):
            rows.append((localize(spec.label), kind_of(spec).display(spec, value)))
    return rows


def answer_rows(specs: tuple[Field, ...], answers: dict) -> list[tuple[str, str]]:
    """(label, value) of the party's own answers, in the definition's order."""
    return [(localize(spec.label), kind_of(spec).display(spec, answers.get(spec.id)))
            for spec in specs if kind_of(spec).is_answered(answers.get(spec.id))]


def _same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return a == b


def differences(definition: ServiceDefinition, application: dict,
                issued: dict) -> list[tuple[str, str, str]]:
    """(label, the application's value, the party's value) wherever an issued field has
    an application field's id and the two differ (spelling of case and spaces aside)."""
    fields = definition.fields
    found = []
    for spec in definition.third_party_confirmation.issue_fields:
        if spec.id not in fields or spec.id not in issued:
            continue
        ours, theirs = application.get(spec.id), issued.get(spec.id)
        if not kind_of(fields[spec.id]).is_answered(ours) or _same(ours, theirs):
            continue
        found.append((localize(fields[spec.id].label),
                      kind_of(fields[spec.id]).display(fields[spec.id], ours),
                      kind_of(spec).display(spec, theirs)))
    return found
