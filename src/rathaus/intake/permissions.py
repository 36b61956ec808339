"""Who sees and files incoming mail: the staff of the department an item is for, and
the records managers (Registratur), who sort the mail of every department."""

from rathaus.accounts.permissions import rule
from rathaus.records.permissions import readable_department_ids


def _reaches(actor, department_id) -> bool:
    departments = readable_department_ids(actor)
    return departments is None or department_id in departments


@rule("intake.may_receive")
def may_receive(actor, *, department) -> bool:
    """Put mail into the department's intake: its staff, or a records manager."""
    return department is not None and _reaches(actor, department.pk)


@rule("intake.may_handle_item")
def may_handle_item(actor, *, item) -> bool:
    """See, file, discard or retry an item: staff of its department, records managers."""
    return _reaches(actor, item.department_id)
