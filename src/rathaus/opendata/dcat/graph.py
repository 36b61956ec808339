"""DCAT-AP.de 2.0 metadata of an authority's published datasets as an rdflib graph: the
catalogue (a page of it when it is large, with Hydra paging links) and single datasets,
each with one distribution per download format.

The profile checks controlled vocabularies (themes, frequencies, file types, languages,
licences, political geocoding) by asking for `skos:inScheme` on the concept. Validators
get that from the remote vocabularies; a graph that states it for the concepts it uses
validates offline too (tests, harvesters without network), so every concept used here is
described briefly with its scheme and a German label.

URIs are built from the authority's public address (its first host name, see
`authorities.links.portal_url`), not from the host a client asked for, so a dataset keeps
one identifier however it was reached; harvesters such as GovData recognise datasets by
it. Links to follow within this document set (Hydra paging) are the views' business and
use the host the client asked.

Both profiles of DCAT-AP.de are met: the "Spezifikation" always, GovData's stricter
"Konventionen" as soon as the authority has its GovData contributor ID (convention 12,
`Authority.contributor_id`); every contact point has an e-mail address or a web address
(convention 1) and every distribution a licence of the dcat-ap.de list (convention 31).

The OGC API – Features is announced as a dcat:DataService that serves every dataset with
coordinates, and each of those datasets has a distribution with dcat:accessService
pointing to it (the DCAT-AP 2 pattern), so harvesters find the API beside the files."""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from ..store.selectors import Entry, formats
from ..vocabularies import FREQUENCIES, FREQUENCY_BASE, LICENCES, THEME_BASE, THEMES

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
CONTRIBUTOR_SCHEME = URIRef("http://dcat-ap.de/def/contributors")
OGC_FEATURES_CORE = URIRef("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core")

THEME_SCHEME = URIRef(THEME_BASE.rstrip("/"))
FREQUENCY_SCHEME = URIRef(FREQUENCY_BASE.rstrip("/"))
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE_SCHEME = URIRef("http://publications.europa.eu/resource/authority/language")
GERMAN = URIRef(f"{LANGUAGE_SCHEME}/DEU")
AVAILABILITY_SCHEME = URIRef(
    "http://publications.europa.eu/resource/authority/planned-availability")
STABLE = URIRef(f"{AVAILABILITY_SCHEME}/STABLE")
LICENCE_SCHEME = URIRef("http://dcat-ap.de/def/licenses")
PUBLISHER_TYPE_SCHEME = URIRef("http://purl.org/adms/publishertype/1.0")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
IANA = "https://www.iana.org/assignments/media-types/"

PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "dcatde": DCATDE, "dcatap": DCATAP, "foaf": FOAF,
            "vcard": VCARD, "skos": SKOS, "hydra": HYDRA, "xsd": XSD, "owl": OWL}


@dataclass(frozen=True)
class FileFormat:
    file_type: str  # code in the EU file-type table
    media_type: str  # IANA media type
    route: str  # URL name of the download
    description: str


FILE_FORMATS = {
    "CSV": FileFormat("CSV", "text/csv", "opendata:csv",
                      "CSV (UTF-8, RFC 4180, Komma als Trennzeichen) mit Kopfzeile"),
    "JSON": FileFormat("JSON", "application/json", "opendata:json",
                       "JSON: eine Liste mit einem Objekt je Zeile"),
    "GeoJSON": FileFormat("GEOJSON", "application/geo+json", "opendata:geojson",
                          "GeoJSON: Punkte in WGS 84 (Länge, Breite) mit den übrigen "
                          "Spalten als Eigenschaften"),
}

# A municipality key (Amtlicher Gemeindeschlüssel), a regional key or one of their
# prefixes: the number of digits says which vocabulary of dcat-ap.de holds it, and the
# level vocabulary knows federal, state, administrativeDistrict and municipality.
_KEY_LEVELS = {
    2: ("stateKey", "state"),
    3: ("governmentDistrictKey", "administrativeDistrict"),
    5: ("districtKey", "administrativeDistrict"),
    8: ("municipalityKey", "municipality"),
    9: ("municipalAssociationKey", "municipality"),
    12: ("regionalKey", "municipality"),
}

# XML 1.0 cannot carry these characters at all; RDF/XML output would be unreadable.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: str, *, lang: str | None = "de") -> Literal:
    return Literal(_NOT_IN_XML.sub("", str(value)), lang=lang)


def _moment(value: datetime.datetime) -> Literal:
    return Literal(value.replace(microsecond=0), datatype=XSD.dateTime)


def _node(kind: str, dataset) -> BNode:
    """A blank node named after its dataset: random names would make every response
    differ, and with them the ETag."""
    return BNode(f"{kind}-{dataset.name}")


def _mailto(email: str) -> URIRef:
    return URIRef("mailto:" + quote(email, safe="@+"))


@dataclass(frozen=True)
class Site:
    """The authority whose catalogue is described and its public address."""

    authority: object
    base: str  # e.g. https://leichlingen.de, without a trailing slash

    def url(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    @property
    def catalog(self) -> URIRef:
        return self.url("/catalog")

    @property
    def publisher(self) -> URIRef:
        return self.url("/#publisher")

    def dataset(self, name: str) -> URIRef:
        return self.url(f"/dataset/{name}")

    def distribution(self, name: str, fmt: str) -> URIRef:
        return self.url(f"/dataset/{name}#distribution-{fmt.lower()}")

    @property
    def ogc_service(self) -> URIRef:
        return self.url(reverse("ogc:landing") + "#service")


class Builder:
    """Adds DCAT-AP.de statements to one graph; describes each concept and agent once."""

    def __init__(self, site: Site):
        self.site = site
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self._described: set = set()

    def add(self, *triple):
        self.graph.add(triple)

    def concept(self, uri: URIRef, scheme: URIRef, label=None) -> URIRef:
        if uri not in self._described:
            self._described.add(uri)
            self.add(uri, SKOS.inScheme, scheme)
            if label:
                with translation.override("de"):
                    self.add(uri, SKOS.prefLabel, text(label))
        return uri

    def publisher(self) -> URIRef:
        site, uri = self.site, self.site.publisher
        if uri not in self._described:
            self._described.add(uri)
            authority = site.authority
            self.add(uri, RDF.type, FOAF.Organization)
            self.add(uri, FOAF.name, text(authority.name))
            self.add(uri, FOAF.homepage, site.url("/"))
            if authority.email:
                self.add(uri, FOAF.mbox, _mailto(authority.email))
            self.add(uri, DCTERMS.type,
                     self.concept(LOCAL_AUTHORITY, PUBLISHER_TYPE_SCHEME, "Lokale Behörde"))
        return uri

    # --- Catalogue ----------------------------------------------------------------------

    def catalog(self, entries: list[Entry], *, modified: datetime.datetime | None) -> URIRef:
        site, uri = self.site, self.site.catalog
        authority = site.authority
        self.add(uri, RDF.type, DCAT.Catalog)
        self.add(uri, DCTERMS.title, text(f"Offene Daten – {authority.name}"))
        self.add(uri, DCTERMS.description, text(
            f"Rohdaten der Verwaltung {authority.name}, kostenfrei und maschinenlesbar: "
            "Downloads als CSV, JSON und GeoJSON, dazu die CKAN-API und OGC API – Features."))
        self.add(uri, DCTERMS.publisher, self.publisher())
        self.add(uri, DCTERMS.language, self.concept(GERMAN, LANGUAGE_SCHEME, "Deutsch"))
        self.add(uri, FOAF.homepage, site.url(reverse("opendata:catalogue")))
        self.add(uri, DCAT.themeTaxonomy, THEME_SCHEME)
        spatial = self.geocoding(authority.municipality_key)
        if spatial:
            self.add(uri, DCTERMS.spatial, spatial[0])
        if modified:
            self.add(uri, DCTERMS.modified, _moment(modified))
        for entry in entries:
            self.add(uri, DCAT.dataset, self.dataset(entry))
        if self.site.ogc_service in self._described:  # it serves a dataset of this page
            self.add(uri, DCAT.service, self.site.ogc_service)
        return uri

    def paging(self, *, page: int, pages: int, total: int, size: int, page_url):
        """Hydra paging as harvesters read it: ckanext-dcat (GovData) looks for a
        hydra:PagedCollection with literal hydra:nextPage etc.; newer clients for a
        hydra:PartialCollectionView with hydra:next etc. as IRIs. Both are given.
        `page_url` builds the links with the host the client asked (the view's choice),
        which may differ from the public address the identifiers use."""
        view = URIRef(page_url(page))
        self.add(self.site.catalog, HYDRA.view, view)
        self.add(view, RDF.type, HYDRA.PartialCollectionView)
        self.add(view, RDF.type, HYDRA.PagedCollection)
        self.add(view, HYDRA.totalItems, Literal(total))
        self.add(view, HYDRA.itemsPerPage, Literal(size))
        links = {"first": 1, "last": pages,
                 "previous": page - 1 if page > 1 else None,
                 "next": page + 1 if page < pages else None}
        for name, number in links.items():
            if number is not None:
                self.add(view, HYDRA[name], URIRef(page_url(number)))
                self.add(view, HYDRA[f"{name}Page"], Literal(page_url(number)))

    # --- Datasets -------------------------------------------------------------------

    def geocoding(self, key: str) -> tuple[URIRef, URIRef] | None:
        """The political geocoding URI and its level for a municipality key."""
        key = (key or "").strip()
        if not key.isdigit() or len(key) not in _KEY_LEVELS:
            return None
        vocabulary, level = _KEY_LEVELS[len(key)]
        label = self.site.authority.name if key == self.site.authority.municipality_key else None
        place = self.concept(URIRef(f"{GEOCODING}{vocabulary}/{key}"),
                             URIRef(f"{GEOCODING}{vocabulary}"), label)
        level_uri = self.concept(URIRef(f"{GEOCODING}Level/{level}"),
                                 URIRef(f"{GEOCODING}Level"))
        return place, level_uri

    def dataset(self, entry: Entry) -> URIRef:
        dataset, version = entry.dataset, entry.version
        uri = self.site.dataset(dataset.name)
        self.add(uri, RDF.type, DCAT.Dataset)
        self.add(uri, DCTERMS.identifier, Literal(str(dataset.pk)))
        self.add(uri, DCTERMS.title, text(dataset.title))
        self.add(uri, DCTERMS.description, text(dataset.description))
        for keyword in dataset.keywords:
            self.add(uri, DCAT.keyword, text(keyword))
        if dataset.theme in THEMES:
            self.add(uri, DCAT.theme, self.concept(URIRef(THEME_BASE + dataset.theme),
                                                   THEME_SCHEME, THEMES[dataset.theme]))
        self.add(uri, DCTERMS.publisher, self.publisher())
        contributor = self.site.authority.govdata_contributor
        if contributor:
            self.add(uri, DCATDE.contributorID,
                     self.concept(URIRef(contributor), CONTRIBUTOR_SCHEME))
        self.add(uri, DCAT.contactPoint, self._contact(dataset))
        self.add(uri, DCATDE.maintainer, self._maintainer(dataset))
        self.add(uri, DCAT.landingPage,
                 self.site.url(reverse("opendata:dataset", args=[dataset.name])))
        self.add(uri, DCTERMS.language, self.concept(GERMAN, LANGUAGE_SCHEME, "Deutsch"))
        self._coverage(uri, dataset)
        if dataset.issued:
            self.add(uri, DCTERMS.issued, _moment(dataset.issued))
        self.add(uri, DCTERMS.modified, _moment(dataset.modified or version.created_at))
        if dataset.frequency in FREQUENCIES:
            self.add(uri, DCTERMS.accrualPeriodicity,
                     self.concept(URIRef(FREQUENCY_BASE + dataset.frequency),
                                  FREQUENCY_SCHEME, FREQUENCIES[dataset.frequency]))
        self.add(uri, OWL.versionInfo, Literal(str(version.number)))
        for fmt in formats(version):
            self.add(uri, DCAT.distribution, self._distribution(entry, fmt))
        if version.has_geometry:  # the OGC API has a collection for it
            service = self.ogc_service()
            self.add(service, DCAT.servesDataset, uri)
            self.add(uri, DCAT.distribution, self._ogc_distribution(entry, service))
        return uri

    def _contact(self, dataset) -> BNode:
        contact = _node("contact", dataset)
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, VCARD.fn, text(dataset.contact_name))
        if dataset.contact_email:
            self.add(contact, VCARD.hasEmail, _mailto(dataset.contact_email))
        else:  # automatic datasets of an authority without e-mail: its imprint says how
            # to reach it, and the Konventionen want an e-mail address or a web address.
            self.add(contact, VCARD.hasURL, self.site.url(reverse("portal:imprint")))
        return contact

    def _maintainer(self, dataset) -> BNode:
        """The department that keeps the data (CKAN's maintainer, as ckanext-dcatde maps
        it), beside the authority that publishes it."""
        maintainer = _node("maintainer", dataset)
        self.add(maintainer, RDF.type, FOAF.Organization)
        self.add(maintainer, FOAF.name, text(dataset.contact_name))
        if dataset.contact_email:
            self.add(maintainer, FOAF.mbox, _mailto(dataset.contact_email))
        return maintainer

    def _coverage(self, uri: URIRef, dataset):
        spatial = self.geocoding(dataset.spatial)
        if spatial:
            place, level = spatial
            self.add(uri, DCTERMS.spatial, place)
            self.add(uri, DCATDE.politicalGeocodingURI, place)
            self.add(uri, DCATDE.politicalGeocodingLevelURI, level)
        if dataset.temporal_start or dataset.temporal_end:
            period = _node("period", dataset)
            self.add(uri, DCTERMS.temporal, period)
            self.add(period, RDF.type, DCTERMS.PeriodOfTime)
            if dataset.temporal_start:
                self.add(period, DCAT.startDate, Literal(dataset.temporal_start,
                                                         datatype=XSD.date))
            if dataset.temporal_end:
                self.add(period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date))

    def _distribution(self, entry: Entry, fmt: str) -> URIRef:
        dataset, version = entry.dataset, entry.version
        spec = FILE_FORMATS[fmt]
        uri = self.site.distribution(dataset.name, fmt)
        download = self.site.url(reverse(spec.route, args=[dataset.name]))
        self.add(uri, RDF.type, DCAT.Distribution)
        self.add(uri, DCTERMS.title, text(f"{dataset.title} ({fmt})"))
        self.add(uri, DCTERMS.description, text(spec.description))
        # A direct download: DCAT-AP.de asks for the same URL as access and download URL.
        self.add(uri, DCAT.accessURL, download)
        self.add(uri, DCAT.downloadURL, download)
        self.add(uri, DCTERMS.format, self.concept(URIRef(FILE_TYPE_BASE + spec.file_type),
                                                   URIRef(FILE_TYPE_BASE.rstrip("/")), fmt))
        self.add(uri, DCAT.mediaType, URIRef(IANA + spec.media_type))
        self._terms(uri, entry)
        if fmt == "CSV":  # only the CSV lies on disk; JSON and GeoJSON are streamed
            # The profile wants xsd:decimal. Written with ".0", the form rdflib's Turtle
            # writer uses, so that Turtle, RDF/XML and JSON-LD hold the very same literal.
            self.add(uri, DCAT.byteSize, Literal(f"{version.csv_size}.0",
                                                 datatype=XSD.decimal))
        return uri

    def _terms(self, uri: URIRef, entry: Entry):
        """Licence, availability and date of change, the same for every distribution."""
        licence = LICENCES.get(entry.dataset.licence)
        if licence:
            self.add(uri, DCTERMS.license,
                     self.concept(URIRef(licence.uri), LICENCE_SCHEME, licence.title))
            if "-by" in licence.id:  # the "Namensnennung" licences: whom to name
                self.add(uri, DCATDE.licenseAttributionByText, text(self.site.authority.name))
        self.add(uri, DCATAP.availability, self.concept(STABLE, AVAILABILITY_SCHEME, "stabil"))
        self.add(uri, DCTERMS.modified, _moment(entry.version.created_at))

    # --- OGC API ------------------------------------------------------------------------

    def ogc_service(self) -> URIRef:
        """The OGC API – Features of the authority as a dcat:DataService: its landing page
        as endpoint, its OpenAPI document as the description of the endpoint."""
        uri = self.site.ogc_service
        if uri not in self._described:
            self._described.add(uri)
            name = self.site.authority.name
            self.add(uri, RDF.type, DCAT.DataService)
            self.add(uri, DCTERMS.title, text(f"OGC API – Features – {name}"))
            self.add(uri, DCTERMS.description, text(
                "Datensätze mit Punktkoordinaten als Sammlungen von Features (GeoJSON): "
                "seitenweise, nach Gebiet (bbox) und Spaltenwerten gefiltert, einzelne "
                "Zeilen über ihre Nummer."))
            self.add(uri, DCAT.endpointURL, self.site.url(reverse("ogc:landing")))
            self.add(uri, DCAT.endpointDescription, self.site.url(reverse("ogc:openapi")))
            self.add(uri, DCTERMS.conformsTo, OGC_FEATURES_CORE)
            self.add(uri, DCTERMS.publisher, self.publisher())
            self.add(uri, DCATAP.availability,
                     self.concept(STABLE, AVAILABILITY_SCHEME, "stabil"))
        return uri

    def _ogc_distribution(self, entry: Entry, service: URIRef) -> URIRef:
        """The dataset's collection in the OGC API, reached through the service."""
        dataset = entry.dataset
        uri = self.site.distribution(dataset.name, "ogc-api")
        geojson = FILE_FORMATS["GeoJSON"]
        self.add(uri, RDF.type, DCAT.Distribution)
        self.add(uri, DCTERMS.title, text(f"{dataset.title} (OGC API – Features)"))
        self.add(uri, DCTERMS.description, text(
            "Die Zeilen als Features der OGC API – Features (GeoJSON, WGS 84), abrufbar "
            "seitenweise und gefiltert."))
        self.add(uri, DCAT.accessURL,
                 self.site.url(reverse("ogc:collection", args=[dataset.name])))
        self.add(uri, DCAT.accessService, service)
        self.add(uri, DCTERMS.format,
                 self.concept(URIRef(FILE_TYPE_BASE + geojson.file_type),
                              URIRef(FILE_TYPE_BASE.rstrip("/")), "GeoJSON"))
        self.add(uri, DCAT.mediaType, URIRef(IANA + geojson.media_type))
        self._terms(uri, entry)
        return uri


# --- Documents --------------------------------------------------------------------------

SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def serialise(graph: Graph, extension: str) -> bytes:
    fmt, _content_type = SERIALISATIONS[extension]
    if fmt == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format=fmt, context=context, auto_compact=True,
                               encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")
