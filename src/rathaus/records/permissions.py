"""Who may read and work on the eAkte.

A file belongs to a department (`CaseFile.department`); its staff read and work on it.
Records managers (Registratur) keep the file plan, file incoming mail anywhere and read
every file of the authority. A file without a department is theirs alone.
"""

from rathaus.accounts.models import StaffMembership
from rathaus.accounts.permissions import is_staff_of_authority, memberships, rule

RECORDS_MANAGER = StaffMembership.Role.RECORDS_MANAGER


def is_records_manager(actor) -> bool:
    return memberships(actor).filter(role=RECORDS_MANAGER).exists()


def readable_department_ids(actor) -> set[int] | None:
    """The departments whose files `actor` reads: None for every file of the
    authority (records managers), else a set, empty for a person without a role."""
    if is_records_manager(actor):
        return None
    return set(memberships(actor).values_list("department_id", flat=True))


@rule("records.may_read_file")
def may_read_file(actor, *, case_file) -> bool:
    """A member of the file's department, or a records manager."""
    departments = readable_department_ids(actor)
    return departments is None or (
        case_file.department_id is not None and case_file.department_id in departments
    )


@rule("records.may_work_on_file")
def may_work_on_file(actor, *, case_file) -> bool:
    """Add notes and documents, move documents in and out: whoever reads the file."""
    return may_read_file(actor, case_file=case_file)


@rule("records.may_search_files")
def may_search_files(actor) -> bool:
    """Any staff member of the authority; the results hold only files they read."""
    return is_staff_of_authority(actor)


@rule("records.may_keep_file_plan")
def may_keep_file_plan(actor) -> bool:
    """Records managers: the file plan decides retention and what the archive gets."""
    return is_records_manager(actor)
