import datetime

from rathaus.authorities.tenancy import authority_context
from rathaus.dogs.demo import create_demo_street_districts
from rathaus.dogs.statistics import UNASSIGNED, district_for, dogs_per_district


def test_streets_map_to_districts_whatever_the_spelling(in_town):
    create_demo_street_districts()
    assert district_for("Solinger Str.") == "Witzhelden"
    assert district_for("  marktstraße ") == "Leichlingen-Mitte"
    assert district_for("Unbekannter Weg") == ""


def test_dogs_per_district_suppresses_small_counts(town, citizen):
    from rathaus.dogs.models import Dog

    with authority_context(town):
        create = _dog_factory(citizen)
        for number in range(4):
            create("Witzhelden", number)
        for number in range(2):
            create("Unterberg", 10 + number)
        create("", 20)
        create("Witzhelden", 30, given_up=datetime.date(2026, 1, 31))
        rows = dogs_per_district(on=datetime.date(2026, 6, 1))
        assert Dog.objects.count() == 8
    assert rows == [
        {"district": UNASSIGNED, "dogs": None, "suppressed": True},
        {"district": "Unterberg", "dogs": None, "suppressed": True},
        {"district": "Witzhelden", "dogs": 4, "suppressed": False},
    ]


def _dog_factory(citizen):
    """Register rows straight in the database: the statistics only read the register."""
    from rathaus.cases.models import Case
    from rathaus.dogs.models import Dog
    from rathaus.forms.models import Draft
    from rathaus.records.models import CaseFile, FilePlanEntry

    plan = FilePlanEntry.objects.create(code="21.33.01", title="Hundesteuer", retention_years=10)

    def create(district, number, given_up=None):
        draft = Draft.objects.create(user=citizen, service_id="hundeanmeldung", service_version=1)
        case_file = CaseFile.objects.create(
            aktenzeichen=f"21.33.01-2026-{number:06d}", plan_entry=plan, title="Hund",
            opened_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), retention_years=10)
        case = Case.objects.create(
            reference=case_file.aktenzeichen, case_file=case_file, applicant=citizen,
            draft=draft, service_id="hundeanmeldung", service_version=1, answers={},
            answers_sha256="0" * 64, submitted_at=case_file.opened_at)
        Dog.objects.create(
            holder=citizen, case=case, name=f"Hund {number}", breed="Mischling",
            category="standard", microchip=f"276{number:012d}",
            taken_in=datetime.date(2026, 1, 3), tax_tag_number=number + 1,
            liable_from=datetime.date(2026, 2, 1), notice_date=datetime.date(2026, 1, 10),
            district=district, given_up_on=given_up)

    return create
