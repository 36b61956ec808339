"""What the cemetery cadastre holds about a holder with an account, for the copy of
their data (Art. 15 DSGVO): each right of use they hold or held, with its grave, its
extensions, the letters written about its end, what they declared for the grave search,
and the burials under it. Registered with subject_access.providers."""

from rathaus.subject_access.providers import PersonalDataPart, personal_data_provider

from .models import Burial, RightOfUse


@personal_data_provider("cemeteries")
def rights_part(*, citizen, case_references) -> PersonalDataPart | None:
    rights = list(RightOfUse.objects.filter(holder=citizen)
                  .select_related("grave__asset", "grave__field", "grave__cemetery",
                                  "grave__grave_type")
                  .prefetch_related("extensions", "letters", "burials")
                  .order_by("starts_on"))
    if not rights:
        return None
    return PersonalDataPart(
        filename="grabstellen.json",
        title="Grabstellen und Nutzungsrechte",
        description=("Die Nutzungsrechte an Grabstellen, die Sie innehaben oder hatten, mit "
                     "Verlängerungen, den Briefen zu ihrem Ende, Ihrer Erklärung zur "
                     "Grabsuche und den Bestattungen in diesen Gräbern."),
        data=[_right(right) for right in rights],
    )


def _right(right: RightOfUse) -> dict:
    grave = right.grave
    return {
        "graburkunde": right.number,
        "friedhof": grave.cemetery.name,
        "grabfeld": grave.field.name or grave.field.number,
        "grab": grave.asset.number,
        "grabart": grave.grave_type.get_kind_display(),
        "nutzungsberechtigt": {"name": right.holder_name, "strasse": right.holder_street,
                               "plz": right.holder_postcode, "ort": right.holder_city},
        "rechtsnachfolge": {"name": right.successor_name,
                            "anschrift": right.successor_address} if right.successor_name
        else None,
        "beginn": right.starts_on, "ende": right.ends_on,
        "stand": right.get_state_display(), "plaetze": right.places,
        "grabsuche": {"auffindbar": right.consent_grave_search,
                      "auch_waehrend_der_ruhezeit": right.consent_during_rest},
        "aktenzeichen_des_antrags": right.case_reference or None,
        "verlaengerungen": [{"um_jahre": ext.years, "bisher_bis": ext.previous_ends_on,
                             "neu_bis": ext.ends_on, "gebuehr_euro": ext.fee,
                             "am": ext.extended_at} for ext in right.extensions.all()],
        "briefe_zum_ende": [{"geschrieben_am": letter.written_at, "zum_ende": letter.ends_on}
                            for letter in right.letters.all()],
        "bestattungen": [{"name": f"{burial.first_name} {burial.last_name}",
                          "bestattet_am": burial.buried_at,
                          "ruhezeit_bis": burial.rest_ends_on,
                          "art": burial.get_kind_display()}
                         for burial in right.burials.all()
                         if burial.state == Burial.State.CONFIRMED],
    }
