"""The demo town's file plan (Aktenplan): a small tree in the style of the KGSt's
communal plans, its main groups and groups following the town's organisation chart
(the departments' codes), so that the codes of the services' files (21.33.01
Hundesteuer, 32.10.01 Meldewesen) stand where a town's Registratur would put them."""

from rathaus.authorities.models import Department
from rathaus.records.file_plan import EntryData, add_plan_entry, change_plan_entry
from rathaus.records.models import FilePlanEntry

# (code, title, department slug or None, retention years, disposal); the parent of each
# entry is the nearest entry above it whose code its own begins with.
FILE_PLAN = [
    ("1", "Allgemeine Verwaltung", None, 10, "B"),
    ("10", "Hauptverwaltung", "hauptamt", 10, "B"),
    ("10.10", "Organisation und Geschäftsverteilung", "hauptamt", 10, "A"),
    ("10.40", "Schriftgutverwaltung und Archiv", "hauptamt", 10, "A"),
    ("11", "Personalverwaltung", "personal", 10, "B"),
    ("2", "Finanzverwaltung", None, 10, "B"),
    ("21", "Steuern und Abgaben", "steueramt", 10, "B"),
    ("21.33", "Aufwand- und Verbrauchsteuern", "steueramt", 10, "V"),
    ("21.33.01", "Hundesteuer", "steueramt", 10, "V"),
    ("3", "Recht, Sicherheit und Ordnung", None, 10, "B"),
    ("32", "Ordnungsverwaltung", "ordnungsamt", 10, "B"),
    ("32.10", "Einwohnerwesen", "buergerbuero", 5, "B"),
    ("32.10.01", "Meldewesen", "buergerbuero", 5, "B"),
    ("32.30", "Gewerbeangelegenheiten", "ordnungsamt", 10, "B"),
    ("34", "Personenstandswesen", "standesamt", 30, "A"),
    ("6", "Bauverwaltung und Umwelt", None, 10, "B"),
    ("67", "Grünflächen", "gruenflaechen", 10, "B"),
    ("68", "Friedhofswesen", "friedhofsverwaltung", 30, "B"),
    ("68.20", "Bestattungswesen", "friedhofsverwaltung", 30, "B"),
    ("68.20.01", "Bestattungen", "friedhofsverwaltung", 30, "B"),
]


def create_demo_file_plan(*, keeper) -> int:
    """Adds the entries the active authority's plan lacks, as `keeper` (a records
    manager), and puts an entry made earlier without a parent (by a service's first
    case) into its place. Entries staff have changed are left as they are. Returns how
    many entries were added or placed."""
    departments = {d.slug: d for d in Department.objects.all()}
    done = 0
    for code, title, department, years, disposal in FILE_PLAN:
        parent = _parent_of(code)
        existing = FilePlanEntry.objects.filter(code=code).first()
        if existing is None:
            add_plan_entry(actor=keeper, data=EntryData(
                code=code, title=title, retention_years=years, disposal=disposal,
                department=departments.get(department), parent=parent))
            done += 1
        elif existing.parent_id is None and parent is not None:
            current = EntryData.of(existing)
            change_plan_entry(actor=keeper, entry=existing, reason="In den Aktenplan eingeordnet",
                              data=EntryData(**{**vars(current), "parent": parent}))
            done += 1
    return done


def _parent_of(code: str) -> FilePlanEntry | None:
    candidates = [c for c, *_rest in FILE_PLAN if code.startswith(c) and c != code]
    return FilePlanEntry.objects.get(code=max(candidates, key=len)) if candidates else None
