"""What the vehicle registration holds about a citizen, for the copy of their data
(Art. 15 DSGVO). Its registers name no person: a plate and a vehicle point to the
Aktenzeichen of the registration that gave or reserved them, so the citizen's are those
of their applications."""

from rathaus.subject_access.providers import PersonalDataPart, personal_data_provider

from .models import PlateEntry, RegisteredVehicle


@personal_data_provider("vehicles")
def vehicles_part(*, citizen, case_references) -> PersonalDataPart | None:
    references = list(case_references)
    plates = list(PlateEntry.objects.filter(holder_reference__in=references).order_by("key"))
    vehicles = list(RegisteredVehicle.objects.filter(registration_reference__in=references)
                    .order_by("vin"))
    if not plates and not vehicles:
        return None
    return PersonalDataPart(
        filename="fahrzeuge.json",
        title="Fahrzeugzulassung",
        description=("Die Kennzeichen, die für Ihre Anträge zugeteilt oder reserviert sind, "
                     "und die Fahrzeuge, die mit ihnen zugelassen wurden. Die "
                     "Sicherheitscodes der Zulassungsbescheinigungen speichern wir nicht, "
                     "nur Prüfwerte davon; sie sind daher nicht enthalten."),
        data={
            "kennzeichen": [
                {"kennzeichen": plate.key, "stand": plate.get_state_display(),
                 "reserviert_bis": plate.reserved_until,
                 "aktenzeichen": plate.holder_reference, "geaendert_am": plate.changed_at}
                for plate in plates],
            "fahrzeuge": [
                {"fahrzeug_identifizierungsnummer": vehicle.vin, "hersteller": vehicle.make,
                 "modell": vehicle.model,
                 "nummer_zulassungsbescheinigung_teil_2": vehicle.certificate_number,
                 "kennzeichen": vehicle.plate or None, "zugelassen_am": vehicle.registered_at,
                 "aktenzeichen": vehicle.registration_reference}
                for vehicle in vehicles],
        },
    )
