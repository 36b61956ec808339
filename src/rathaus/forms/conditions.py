"""Evaluating the `show_if` and `when` conditions of service definitions."""


def holds(condition: dict | None, answers: dict) -> bool:
    if not condition:
        return True
    if "any" in condition:
        return any(holds(part, answers) for part in condition["any"])
    if "all" in condition:
        return all(holds(part, answers) for part in condition["all"])
    value = answers.get(condition["field"])
    if "equals" in condition:
        return value == condition["equals"]
    return value in condition["in"]


def derived_values(definition, answers: dict) -> dict:
    """Values computed from answers, e.g. a dog's LHundG category from its breed."""
    values = {}
    for name, rule in definition.derived.items():
        field = definition.fields[rule["from_option"]]
        chosen = answers.get(field.id)
        option = next((o for o in field.options if o.value == chosen), None)
        chosen_value = getattr(option, rule["attribute"], "") if option else ""
        values[name] = chosen_value or rule.get("default", "")
    return values


def with_derived(definition, answers: dict) -> dict:
    return {**answers, **derived_values(definition, answers)}
