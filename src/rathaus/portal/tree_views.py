"""The public tree cadastre: the map of the town's trees above a list for everyone who
cannot use a map (paged, filtered by street and species with a plain GET form), and one
page per tree with its public facts and a link to report damage. Only what
`trees.rules.public_properties` and the public attributes publish."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from rathaus.assets import map_points
from rathaus.assets.kinds import KINDS
from rathaus.assets.models import Cadastre
from rathaus.trees.rules import species_choices

CADASTRE = "trees"
KIND = "tree"
PAGE_SIZE = 50


class TreeFilter(forms.Form):
    strasse = forms.CharField(label=_("Street"), max_length=100, required=False)
    art = forms.ChoiceField(label=_("Species"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["art"].choices = [("", _("All species")), *species_choices()]


def _cadastre() -> Cadastre:
    cadastre = Cadastre.objects.filter(name=CADASTRE).first()
    if cadastre is None or KIND not in KINDS:
        raise Http404
    return cadastre


def _public(asset) -> dict:
    return map_points.public_properties(asset)


@require_safe
def tree_list(request):
    cadastre = _cadastre()
    form = TreeFilter(request.GET or None)
    street = species = ""
    if form.is_valid():
        street, species = form.cleaned_data["strasse"], form.cleaned_data["art"]
    rows = map_points.public_list(cadastre, kind=KIND, type=species, street=street)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("seite"))
    query = {key: value for key, value in (("strasse", street), ("art", species)) if value}

    def page_url(number: int) -> str:
        return "?" + urlencode({**query, "seite": number})

    return render(request, "portal/tree_list.html", {
        "form": form, "page": page, "trees": [_public(tree) for tree in page.object_list],
        "filtered": bool(query),
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
        "points_url": reverse("maps:points", args=[CADASTRE]),
        "detail_url": reverse("trees:detail", args=["NUMBER"]).replace("NUMBER", "{number}"),
    })


@require_safe
def tree_detail(request, number):
    cadastre = _cadastre()
    tree = map_points.public_asset(cadastre, kind=KIND, number=number)
    if tree is None:
        raise Http404
    kind = KINDS[KIND]
    facts = [(attribute.label, tree.attributes.get(attribute.name))
             for attribute in kind.attributes
             if attribute.public and attribute.name not in ("planting_year", "street")
             and tree.attributes.get(attribute.name) not in (None, "")]
    return render(request, "portal/tree_detail.html", {
        "tree": _public(tree), "closed": tree.status == tree.Status.CLOSED, "facts": facts,
        "lon": tree.lon, "lat": tree.lat,
        "report_url": "/schaden-melden/?" + urlencode({"kataster": CADASTRE, "objekt": number}),
    })
