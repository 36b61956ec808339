"""Which file a letter belongs to, from its text alone."""

from rathaus.authorities.tenancy import authority_context
from rathaus.intake.suggestions import file_by_reference, suggest


def test_the_aktenzeichen_in_the_text_names_the_file_even_with_ocr_spacing(office):
    reference = office.dog_file.aktenzeichen  # 32.41.01-2026-000001
    spaced = reference.replace("-", " - ").replace(".", ". ", 1)
    with authority_context(office.town):
        found = suggest(text=f"Ihr Zeichen\nAz. {spaced}\nBetreff: etwas",
                        department_id=office.ordnungsamt.pk)
    assert found.case_file == office.dog_file
    assert found.reason == "aktenzeichen"


def test_a_reference_glued_to_its_label_is_still_found(office):
    reference = office.other_file.aktenzeichen
    with authority_context(office.town):
        found = suggest(text=f"Aktenzeichen:{reference}.", department_id=None)
    assert found.case_file == office.other_file


def test_the_sender_names_the_citizen_of_an_open_file_of_the_department(office):
    text = "Bettina Beispiel\nHauptstraße 5\n42799 Leichlingen\n\nBetreff: Frage\n"
    with authority_context(office.town):
        found = suggest(text=text, department_id=office.steueramt.pk)
        elsewhere = suggest(text=text, department_id=office.ordnungsamt.pk)
    assert (found.case_file, found.reason, found.sender) == (
        office.dog_file, "sender", "Bettina Beispiel")
    assert elsewhere.case_file is None  # not a file of that department


def test_the_subject_line_matches_a_file_title(office):
    text = "Max Muster\nStraße 1\n\nBetr.: Ihr gefährlicher Hund Rex im Park\n"
    with authority_context(office.town):
        found = suggest(text=text, department_id=office.ordnungsamt.pk)
    assert (found.case_file, found.reason) == (office.other_file, "subject")
    assert found.subject == "Ihr gefährlicher Hund Rex im Park"


def test_nothing_is_suggested_without_a_hint(office):
    with authority_context(office.town):
        found = suggest(text="Sehr geehrte Damen und Herren,\nviele Grüße 2026-12",
                        department_id=office.steueramt.pk)
    assert found.case_file is None and found.reason == ""


def test_staff_may_type_the_aktenzeichen_with_spaces_and_in_lower_case(office):
    reference = office.dog_file.aktenzeichen
    with authority_context(office.town):
        assert file_by_reference(reference.replace("-", " - ")) == office.dog_file
        assert file_by_reference("  " + reference.lower()) == office.dog_file
        assert file_by_reference("99.99-2026-1") is None
