"""The form of the cadastre import page: the file and its coordinate reference
system."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.trees.import_files import UTM32, WGS84

CRS_CHOICES = (
    ("", _("automatic (from the file)")),
    (UTM32, _("EPSG:25832 (ETRS89 / UTM 32N)")),
    (WGS84, _("EPSG:4326 (WGS 84)")),
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (separated by ; or ,), GeoJSON, or an ESRI Shapefile as a ZIP "
                    "file with .shp, .shx, .dbf and .prj; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.txt,.geojson,.json,.zip,text/csv,application/geo+json,"
                      "application/zip"}),
        error_messages={"required": _("Please choose a file."),
                        "empty": _("The file is empty.")},
    )
    crs = forms.ChoiceField(
        label=_("Coordinate reference system"), choices=CRS_CHOICES, required=False,
        initial="", widget=forms.RadioSelect,
        help_text=_("Automatic reads it from the .prj file or the GeoJSON; a CSV with "
                    "columns x and y is taken as EPSG:25832, with lon and lat as WGS 84."),
        error_messages={"invalid_choice": _("Please choose one of the systems.")},
    )
