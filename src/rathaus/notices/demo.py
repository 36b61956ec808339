"""Demo notice settings for the active authority (illustrative, not official)."""

from .models import NoticeSettings


def create_demo_notice_settings(**values) -> NoticeSettings:
    """The settings, Leichlingen's unless `values` say otherwise (e.g. the district's)."""
    settings, _ = NoticeSettings.objects.get_or_create(
        defaults={
            "issuing_office": "Steueramt",
            "contact_phone": "02175 992-210",
            "contact_email": "steueramt@leichlingen.example",
            "office_hours": "Mo–Fr 8:30–12:00 Uhr, Do 14:00–17:30 Uhr",
            "court_name": "Verwaltungsgericht Köln",
            "court_address": "Appellhofplatz, 50667 Köln",
            **values,
        }
    )
    return settings
