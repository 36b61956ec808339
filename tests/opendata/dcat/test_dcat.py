"""DCAT-AP.de: /catalog.ttl|.rdf|.jsonld and /dataset/<name>.ttl|.rdf|.jsonld conform to
both profiles of DCAT-AP.de 2.0, "Spezifikation" and GovData's "Spezifikation +
Konventionen", validated offline with pySHACL exactly as tests/standards/README.md
describes; the OGC API as a data service; paging, errors, privacy."""

import datetime
import functools
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from rathaus.audit.tree_heads import sign_all_heads, sign_head
from rathaus.authorities.models import Authority, AuthorityHost
from rathaus.authorities.tenancy import authority_context
from rathaus.demo.loader import load_demo
from rathaus.opendata.dcat import views as dcat_views
from rathaus.opendata.dcat.graph import DCATDE, HYDRA, VCARD
from rathaus.opendata.demo import create_demo_datasets
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish import services
from rathaus.opendata.publish.tasks import enqueue_refresh
from tests.factories import DISPENSERS, dog_register, make_uploader, publish_csv
from tests.standards import STANDARDS

STANDARD = STANDARDS / "dcat-ap-de-2.0"
SPECIFICATION = ["dcat-ap-de-imports.ttl", "dcat-ap-spec-german-messages.ttl",
                 "dcat-ap-spec-german-additions.ttl", "dcat-ap-de-deprecated.ttl",
                 "dcat-ap_2.1.1_shacl_shapes.ttl"]
CONVENTIONS = [*SPECIFICATION, "dcat-ap-konventionen.ttl"]
PROFILES = {"Spezifikation": SPECIFICATION, "Konventionen": CONVENTIONS}
BASE = "http://leichlingen.localhost:8000"  # RATHAUS_PUBLIC_URL with the first host name
AGS = "05378020"
OPEN_NRW = "http://dcat-ap.de/def/contributors/openNRW"
# rdflib's own JSON-LD parser still uses its deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")

STATIONS = ("bezeichnung;wahlbezirk;barrierefrei\n"
            "Grundschule Am Hasensprung;01;ja\n"
            "Rathaus, Sitzungssaal;02;ja\n"
            "Evangelisches Gemeindehaus;04;nein\n")


@functools.cache
def _shapes(profile: str) -> tuple[Graph, Graph]:
    shapes = Graph()
    for name in PROFILES[profile]:
        shapes.parse(STANDARD / "shacl" / name)
    return shapes, Graph().parse(STANDARD / "shacl/offline-ontology.ttl")


def conformance(data: Graph, profile: str = "Spezifikation") -> tuple[bool, str]:
    shapes, ontology = _shapes(profile)
    conforms, _report, text = validate(data, shacl_graph=shapes, ont_graph=ontology,
                                       inference="rdfs", allow_warnings=True)
    return conforms, text


def findings(data: Graph, profile: str) -> str:
    """Every result of any severity (violations, warnings, infos), empty if none."""
    shapes, ontology = _shapes(profile)
    _conforms, report, text = validate(data, shacl_graph=shapes, ont_graph=ontology,
                                       inference="rdfs", allow_warnings=True)
    return text if (None, SH.result, None) in report else ""


def assert_conforms(data: Graph, profile: str = "Spezifikation"):
    conforms, text = conformance(data, profile)
    assert conforms, text


def fetch(client, url: str, fmt: str = "turtle") -> Graph:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return Graph().parse(data=response.content, format=fmt)


def path_of(uri) -> str:
    parts = urlsplit(str(uri))
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def keyed_town(town):
    """The town with its municipality key and its GovData contributor ID, as in the demo."""
    town.municipality_key = AGS
    town.contributor_id = OPEN_NRW
    town.save()
    return town


@pytest.fixture
def published(keyed_town, dog_town, citizen):
    """The demo's uploaded datasets, dispensers with points and a period covered,
    polling stations without points, and the automatic datasets: from the dog register,
    the applications and the signed heads of the audit log."""
    publish_csv(keyed_town, DISPENSERS)
    publish_csv(keyed_town, STATIONS, name="stimmbezirke", title="Stimmbezirke",
                keywords=("Wahlen",), theme="GOVE",
                reasons={"bezeichnung": "Namen von Gebäuden, nicht von Personen"})
    with authority_context(keyed_town):
        create_demo_datasets(make_uploader())
        dispensers = Dataset.objects.get(name="spender")
        services.update_metadata(dataset=dispensers, actor=make_uploader(), frequency="MONTHLY",
                                 temporal_start=datetime.date(2021, 4, 1),
                                 temporal_end=datetime.date(2025, 12, 31))
        create = dog_register(citizen)
        for number in range(4):
            create("Witzhelden", number)
        sign_head(keyed_town)
        enqueue_refresh()  # runs at once in tests
        return list(Dataset.objects.filter(published=True).order_by("name"))


def test_the_must_pass_example_conforms_and_a_broken_graph_does_not():
    example = Graph().parse(STANDARD / "examples/simple.ttl")
    assert_conforms(example)
    dataset = URIRef("https://example.com/dataset/d4ce4e6e-ab89-44cb-bf5c-33a162c234de#dataset")
    example.remove((dataset, ns.DCTERMS.title, None))
    example.add((dataset, ns.DCAT.theme, URIRef("http://example.com/not-a-theme")))
    conforms, text = conformance(example)
    assert not conforms
    assert "dct:title" in text and "dcat:theme" in text


def test_the_catalogue_conforms_with_uploaded_and_automatic_datasets(published, public):
    assert {d.name for d in published} >= {"spender", "stimmbezirke", "hunde-je-ortsteil",
                                           "hundekotbeutelspender", "protokoll-pruefsummen"}
    graph = fetch(public, "/catalog.ttl")
    assert_conforms(graph)
    catalog = URIRef(f"{BASE}/catalog")
    assert (catalog, ns.RDF.type, ns.DCAT.Catalog) in graph
    assert set(graph.objects(catalog, ns.DCAT.dataset)) == {
        URIRef(f"{BASE}/dataset/{d.name}") for d in published}
    publisher = graph.value(catalog, ns.DCTERMS.publisher)
    assert str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == (
        "Stadt Leichlingen")
    assert not list(graph.subjects(ns.RDF.type, HYDRA.PartialCollectionView))


def test_a_dataset_carries_the_metadata_of_dcat_ap_de(published, public):
    graph = fetch(public, "/catalog.ttl")
    spender = URIRef(f"{BASE}/dataset/spender")
    eu = "http://publications.europa.eu/resource/authority/"
    place = URIRef(f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{AGS}")
    assert (spender, ns.DCAT.theme, URIRef(f"{eu}data-theme/ENVI")) in graph
    assert (spender, ns.DCTERMS.accrualPeriodicity, URIRef(f"{eu}frequency/MONTHLY")) in graph
    assert (spender, ns.DCTERMS.spatial, place) in graph
    assert (spender, DCATDE.politicalGeocodingURI, place) in graph
    assert (spender, DCATDE.politicalGeocodingLevelURI,
            URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")) in graph
    assert {str(k) for k in graph.objects(spender, ns.DCAT.keyword)} == {"Hunde", "Sauberkeit"}
    period = graph.value(spender, ns.DCTERMS.temporal)
    assert graph.value(period, ns.DCAT.startDate) == Literal("2021-04-01", datatype=ns.XSD.date)
    assert graph.value(period, ns.DCAT.endDate) == Literal("2025-12-31", datatype=ns.XSD.date)
    assert graph.value(spender, ns.DCTERMS.issued).datatype == ns.XSD.dateTime
    contact = graph.value(spender, ns.DCAT.contactPoint)
    assert (contact, ns.RDF.type, VCARD.Organization) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:gruen@leichlingen.example")

    distributions = {str(graph.value(d, ns.DCTERMS.format)).rsplit("/", 1)[1]: d
                     for d in graph.objects(spender, ns.DCAT.distribution)
                     if graph.value(d, ns.DCAT.downloadURL)}  # the files, not the OGC API
    assert set(distributions) == {"CSV", "JSON", "GEOJSON"}
    assert len(list(graph.objects(spender, ns.DCAT.distribution))) == 4
    geojson = distributions["GEOJSON"]
    assert graph.value(geojson, ns.DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/geo+json")
    assert graph.value(geojson, ns.DCTERMS.license) == URIRef(
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    for distribution in distributions.values():
        url = graph.value(distribution, ns.DCAT.downloadURL)
        assert url == graph.value(distribution, ns.DCAT.accessURL)
        assert str(url).startswith(f"{BASE}/daten/spender/download.")
        assert public.get(path_of(url)).status_code == 200
    size = graph.value(distributions["CSV"], ns.DCAT.byteSize)
    assert size.datatype == ns.XSD.decimal and size.toPython() > 0

    stations = URIRef(f"{BASE}/dataset/stimmbezirke")
    assert len(list(graph.objects(stations, ns.DCAT.distribution))) == 2  # no points


def test_every_dataset_document_conforms(published, public):
    for dataset in published:
        graph = fetch(public, f"/dataset/{dataset.name}.ttl")
        assert_conforms(graph)
        assert (URIRef(f"{BASE}/dataset/{dataset.name}"), ns.RDF.type, ns.DCAT.Dataset) in graph


@pytest.mark.parametrize("profile", PROFILES)
def test_the_catalogue_and_every_dataset_conform_to_both_profiles(published, public, profile):
    """GovData harvests only what meets the Konventionen; the demo's authorities have
    their contributor ID, so the whole catalogue does, automatic datasets included."""
    catalogue = fetch(public, "/catalog.ttl")
    assert_conforms(catalogue, profile)
    # Not even a warning: the recommendations (theme, keywords, landing page, date of
    # publication) are met as well.
    assert findings(catalogue, profile) == ""
    for dataset in published:
        assert_conforms(fetch(public, f"/dataset/{dataset.name}.ttl"), profile)
    for dataset in published:
        uri = URIRef(f"{BASE}/dataset/{dataset.name}")
        assert list(catalogue.objects(uri, DCATDE.contributorID)) == [URIRef(OPEN_NRW)]
    assert (URIRef(OPEN_NRW), ns.SKOS.inScheme,
            URIRef("http://dcat-ap.de/def/contributors")) in catalogue


def test_without_a_contributor_id_only_the_konventionen_fail(town, public):
    publish_csv(town, DISPENSERS)
    graph = fetch(public, "/catalog.ttl")
    assert_conforms(graph, "Spezifikation")
    conforms, text = conformance(graph, "Konventionen")
    assert not conforms
    assert "K12&13" in text and "dcatde:contributorID" in text
    assert "K12&13" in findings(graph, "Konventionen")
    town.contributor_id = OPEN_NRW
    town.save()
    assert_conforms(fetch(public, "/catalog.ttl"), "Konventionen")


def test_a_contact_without_e_mail_gives_the_imprint_as_web_address(keyed_town, public):
    """An automatic dataset of an authority without an e-mail address: convention 1 wants
    an e-mail address or a web address for every contact point."""
    keyed_town.email = ""
    keyed_town.save()
    publish_csv(keyed_town, DISPENSERS)  # writes audit entries for the tree head
    with authority_context(keyed_town):
        sign_head(keyed_town)
        enqueue_refresh()
    graph = fetch(public, "/dataset/protokoll-pruefsummen.ttl")
    assert_conforms(graph, "Konventionen")
    contact = graph.value(URIRef(f"{BASE}/dataset/protokoll-pruefsummen"), ns.DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) is None
    imprint = graph.value(contact, VCARD.hasURL)
    assert imprint == URIRef(f"{BASE}/impressum/")
    assert public.get(path_of(imprint)).status_code == 200


def test_the_ogc_api_is_announced_as_a_data_service(keyed_town, published, public):
    graph = fetch(public, "/catalog.ttl")
    service = graph.value(URIRef(f"{BASE}/catalog"), ns.DCAT.service)
    assert (service, ns.RDF.type, ns.DCAT.DataService) in graph
    assert graph.value(service, ns.DCAT.endpointURL) == URIRef(f"{BASE}/ogc/")
    assert graph.value(service, ns.DCAT.endpointDescription) == URIRef(f"{BASE}/ogc/api")
    landing = public.get(path_of(graph.value(service, ns.DCAT.endpointURL)))
    assert landing.status_code == 200 and "links" in landing.json()
    assert public.get(path_of(graph.value(service, ns.DCAT.endpointDescription))).json()[
        "openapi"].startswith("3.")
    with authority_context(keyed_town):
        with_points = {URIRef(f"{BASE}/dataset/{d.name}") for d in published
                       if d.versions.order_by("-number").first().has_geometry}
    assert URIRef(f"{BASE}/dataset/spender") in with_points
    assert URIRef(f"{BASE}/dataset/stimmbezirke") not in with_points
    assert set(graph.objects(service, ns.DCAT.servesDataset)) == with_points
    for dataset in graph.subjects(ns.RDF.type, ns.DCAT.Dataset):
        through_api = [d for d in graph.objects(dataset, ns.DCAT.distribution)
                       if graph.value(d, ns.DCAT.accessService) == service]
        assert len(through_api) == (dataset in with_points), dataset
        for distribution in through_api:  # the dataset's collection in the OGC API
            collection = public.get(path_of(graph.value(distribution, ns.DCAT.accessURL)))
            assert collection.json()["id"] == str(dataset).rsplit("/", 1)[1]
            assert graph.value(distribution, ns.DCAT.downloadURL) is None
    # A dataset's own document describes the service it is served by, and conforms.
    single = fetch(public, "/dataset/spender.ttl")
    assert set(single.objects(service, ns.DCAT.servesDataset)) == {
        URIRef(f"{BASE}/dataset/spender")}
    assert_conforms(single, "Konventionen")
    alone = fetch(public, "/dataset/stimmbezirke.ttl")
    assert not list(alone.subjects(ns.RDF.type, ns.DCAT.DataService))


def test_rdf_xml_and_json_ld_hold_the_same_graph_as_turtle(published, public):
    for path in ("/catalog", "/dataset/spender", "/dataset/hunde-je-ortsteil"):
        turtle = fetch(public, f"{path}.ttl")
        assert isomorphic(turtle, fetch(public, f"{path}.rdf", "xml")), path
        assert isomorphic(turtle, fetch(public, f"{path}.jsonld", "json-ld")), path


def test_documents_have_their_content_types_and_answer_conditional_requests(town, public):
    publish_csv(town, DISPENSERS)
    for path in ("/catalog", "/dataset/spender"):
        for extension, content_type in (("ttl", "text/turtle; charset=utf-8"),
                                        ("rdf", "application/rdf+xml; charset=utf-8"),
                                        ("jsonld", "application/ld+json")):
            response = public.get(f"{path}.{extension}")
            assert response["Content-Type"] == content_type
            assert response["Last-Modified"]
            again = public.get(f"{path}.{extension}", HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304
    assert public.post("/catalog.ttl").status_code == 405


def test_the_catalogue_changes_its_etag_when_a_dataset_is_withdrawn(town, public):
    dataset, version = publish_csv(town, DISPENSERS)
    before = public.get("/catalog.ttl")
    with authority_context(town):
        services.unpublish(dataset=dataset, actor=version.created_by)
    after = public.get("/catalog.ttl", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"/dataset/spender" not in after.content


def _read(url: str, fmt: str = "turtle") -> Graph:
    """A document read over HTTP, as a harvester reads it."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (live server)
        assert response.status == 200, url
        return Graph().parse(data=response.read(), format=fmt)


def test_a_large_catalogue_is_paged_with_hydra_links_on_the_host_asked(
        town, monkeypatch, live_server, no_rate_limits):
    """The harvester reaches the server under a name other than the public address
    (live_server.url, not BASE): it follows the links of page 1 to the end, while the
    identifiers in the documents stay those of the public address."""
    monkeypatch.setattr(dcat_views, "PAGE_SIZE", 2)
    for number in range(5):
        publish_csv(town, DISPENSERS, name=f"spender-{number}", title=f"Spender {number}")
    asked = live_server.url
    assert not asked.startswith(BASE)
    seen, url, pages = [], f"{asked}/catalog.ttl", []
    while url:
        graph = _read(url)
        view = graph.value(predicate=ns.RDF.type, object=HYDRA.PartialCollectionView)
        assert view == URIRef(url if "?" in url else f"{url}?page=1")
        assert (view, ns.RDF.type, HYDRA.PagedCollection) in graph
        assert int(graph.value(view, HYDRA.totalItems)) == 5
        assert int(graph.value(view, HYDRA.itemsPerPage)) == 2
        assert graph.value(view, HYDRA.first) == URIRef(f"{asked}/catalog.ttl?page=1")
        assert graph.value(view, HYDRA.last) == URIRef(f"{asked}/catalog.ttl?page=3")
        following = graph.value(view, HYDRA.next)
        # ckanext-dcat (GovData's harvester) reads the older literal form.
        assert graph.value(view, HYDRA.nextPage) == (
            Literal(str(following)) if following else None)
        pages.append(graph)
        seen += sorted(str(d) for d in graph.objects(URIRef(f"{BASE}/catalog"),
                                                     ns.DCAT.dataset))
        url = str(following) if following else None
    assert seen == [f"{BASE}/dataset/spender-{n}" for n in range(5)]
    assert len(pages) == 3
    assert not list(pages[0].triples((None, HYDRA.previous, None)))
    assert list(pages[2].triples((None, HYDRA.previous, None)))
    assert not list(pages[2].triples((None, HYDRA.next, None)))
    assert_conforms(pages[1])
    rdf = _read(f"{asked}/catalog.rdf?page=2", "xml")
    assert (None, HYDRA.next, URIRef(f"{asked}/catalog.rdf?page=3")) in rdf


def test_paging_links_follow_every_host_name_of_the_authority(town, public, monkeypatch):
    monkeypatch.setattr(dcat_views, "PAGE_SIZE", 2)
    for number in range(3):
        publish_csv(town, DISPENSERS, name=f"spender-{number}", title=f"Spender {number}")
    AuthorityHost.objects.create(authority=town, host="daten.leichlingen.localhost")
    other = Client(HTTP_HOST="daten.leichlingen.localhost")
    for client, secure, first in ((public, False, "http://leichlingen.localhost"),
                                  (other, False, "http://daten.leichlingen.localhost"),
                                  (other, True, "https://daten.leichlingen.localhost")):
        response = client.get("/catalog.ttl", secure=secure)
        graph = Graph().parse(data=response.content, format="turtle")
        assert (None, HYDRA.next, URIRef(f"{first}/catalog.ttl?page=2")) in graph
        assert (URIRef(f"{BASE}/catalog"), ns.RDF.type, ns.DCAT.Catalog) in graph
    for page in ("3", "0", "-1", "abc", "1.5", "9" * 30, ""):
        assert public.get("/catalog.ttl", {"page": page}).status_code == 404, page


def test_a_small_catalogue_is_one_document_without_paging(town, public):
    publish_csv(town, DISPENSERS)
    graph = fetch(public, "/catalog.jsonld", "json-ld")
    assert not list(graph.subjects(ns.RDF.type, HYDRA.PagedCollection))
    assert dcat_views.PAGE_SIZE == 100


def test_unknown_and_unpublished_datasets_are_not_found(town, public):
    dataset, version = publish_csv(town, DISPENSERS)
    assert public.get("/dataset/nichts.ttl").status_code == 404
    assert public.get("/dataset/spender.xml").status_code == 404
    with authority_context(town):
        services.unpublish(dataset=dataset, actor=version.created_by)
    for extension in ("ttl", "rdf", "jsonld"):
        assert public.get(f"/dataset/spender.{extension}").status_code == 404
    assert public.get("/dataset/spender").status_code == 404
    graph = fetch(public, "/catalog.ttl")
    assert_conforms(graph)  # a catalogue without datasets is still a catalogue
    assert not list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))


def test_withheld_columns_never_appear_in_the_metadata(town, public):
    text = ("standort;betreut_von;lat;lon\n"
            "Marktplatz;Erika Mustermann;51,1056;7,0186\n"
            "Brückenstraße;Max Müller;51,1049;7,0201\n")
    with authority_context(town):
        dataset = services.create_dataset(
            actor=make_uploader(), name="paten", title="Baumpatenschaften",
            description="Standorte.",
            keywords=["Bäume"], theme="ENVI", contact_name="Grünflächen",
            contact_email="gruen@leichlingen.example")
    someone = make_uploader()
    with authority_context(town):
        upload = services.receive_upload(dataset=dataset, actor=someone,
                                         file=SimpleUploadedFile("paten.csv", text.encode()))
        decisions = {c["name"]: {"public": c["name"] != "betreut_von", "type": c["type"]}
                     for c in upload.columns}
        services.confirm_upload(upload=upload, actor=someone, decisions=decisions)
        services.publish(dataset=dataset, actor=someone)
    for path in ("/catalog", "/dataset/paten"):
        for extension in ("ttl", "rdf", "jsonld"):
            body = public.get(f"{path}.{extension}").content.decode()
            assert "paten" in body
            for secret in ("betreut_von", "Erika", "Mustermann", "Max Müller"):
                assert secret not in body, (path, extension, secret)


def test_uris_stay_the_same_whichever_host_name_was_asked(keyed_town, public):
    publish_csv(keyed_town, DISPENSERS)
    AuthorityHost.objects.create(authority=keyed_town, host="daten.leichlingen.localhost")
    other = Client(HTTP_HOST="daten.leichlingen.localhost")
    assert isomorphic(fetch(other, "/dataset/spender.ttl"), fetch(public, "/dataset/spender.ttl"))


def test_the_described_uris_lead_to_the_document_the_client_asks_for(town, public):
    publish_csv(town, DISPENSERS)
    for accept, target in (("text/turtle", "/dataset/spender.ttl"),
                           ("application/rdf+xml", "/dataset/spender.rdf"),
                           ("application/ld+json", "/dataset/spender.jsonld"),
                           ("text/html,*/*;q=0.8", "/daten/spender/"),
                           ("", "/daten/spender/")):
        response = public.get("/dataset/spender", HTTP_ACCEPT=accept)
        assert (response.status_code, response["Location"]) == (303, target), accept
    response = public.get("/catalog", HTTP_ACCEPT="text/turtle;q=0.9, text/html;q=0.5")
    assert (response.status_code, response["Location"]) == (303, "/catalog.ttl")


def test_the_public_pages_link_the_metadata_in_german(town, public):
    publish_csv(town, DISPENSERS)
    page = public.get("/daten/spender/").content.decode()
    assert "Metadaten: DCAT-AP.de" in page
    for extension in ("ttl", "rdf", "jsonld"):
        assert f'href="/dataset/spender.{extension}"' in page
    catalogue = public.get("/daten/").content.decode()
    assert 'href="/catalog.ttl"' in catalogue
    assert "DCAT-AP.de" in catalogue


@pytest.mark.parametrize(("key", "vocabulary", "level"), [
    ("05378", "districtKey", "administrativeDistrict"),  # a Kreis, like the demo's
    ("053780020020", "regionalKey", "municipality"),
    ("05", "stateKey", "state"),
])
def test_the_key_of_a_district_or_a_region_names_its_own_vocabulary(town, public, key,
                                                                      vocabulary, level):
    town.municipality_key = key
    town.save()
    publish_csv(town, DISPENSERS)
    graph = fetch(public, "/dataset/spender.ttl")
    assert_conforms(graph)
    spender = URIRef(f"{BASE}/dataset/spender")
    geocoding = "http://dcat-ap.de/def/politicalGeocoding/"
    assert graph.value(spender, DCATDE.politicalGeocodingURI) == URIRef(
        f"{geocoding}{vocabulary}/{key}")
    assert graph.value(spender, DCATDE.politicalGeocodingLevelURI) == URIRef(
        f"{geocoding}Level/{level}")


def test_a_dataset_without_a_known_key_has_no_geocoding_and_still_conforms(town, public):
    publish_csv(town, DISPENSERS)  # the test town has no municipality key
    graph = fetch(public, "/dataset/spender.ttl")
    assert_conforms(graph)
    assert not list(graph.triples((None, ns.DCTERMS.spatial, None)))


def test_the_demo_catalogues_meet_the_konventionen(db):
    """The demo as `make run` serves it: both authorities with their contributor ID, the
    town with uploaded and automatic datasets (the audit log's tree heads included)."""
    load_demo()
    sign_all_heads()
    for authority in Authority.objects.all():
        with authority_context(authority):
            enqueue_refresh()
    names = {}
    for host in ("leichlingen.localhost", "rbk.localhost"):
        client = Client(HTTP_HOST=host)
        catalogue = fetch(client, "/catalog.ttl")
        assert findings(catalogue, "Konventionen") == "", host
        datasets = set(catalogue.subjects(ns.RDF.type, ns.DCAT.Dataset))
        names[host] = {str(d).rsplit("/", 1)[1] for d in datasets}
    assert names["leichlingen.localhost"] >= {
        "hundekotbeutelspender", "wahllokale", "hunde-je-ortsteil",
        "antraege-und-bearbeitungszeiten", "protokoll-pruefsummen"}
    assert "protokoll-pruefsummen" in names["rbk.localhost"]  # the district's own log
