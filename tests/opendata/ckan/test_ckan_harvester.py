"""ckanext-harvest's CKAN harvester against a live server, its calls made as its source
makes them (ckanext/harvest/harvesters/ckanharvester.py and base.py, ckanext-harvest
1a9a987). The harvester needs a CKAN installation to run (its models, Solr, the
action layer), so `Harvester` below repeats its gather, fetch and import stages
with the same HTTP requests (`requests.get` of URLs built with `urlencode`, answers
read with `json.loads` of the text, whatever the status) and keeps, in dictionaries,
what the harvesting CKAN would keep in its database."""

import datetime
import json
from urllib.parse import urlencode

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish import services
from tests.factories import DISPENSERS, make_uploader, publish_csv

WAHL = "bezirk;wahlberechtigte\nMitte;1200\nSüd;980\nNord;1010\n"
SCHULEN = "schule;schueler\nGrundschule Am Wallgraben;212\nGesamtschule;1103\n"


class SearchError(Exception):
    pass


class Harvester:
    """CKANHarvester's stages over HTTP; `packages`, `organizations` and `groups` stand
    for the harvesting CKAN's own tables, `jobs` for its harvest jobs."""

    def __init__(self, source_url: str, config: dict):
        self.source_url = source_url.rstrip("/")
        self.config = config
        self.jobs: list[datetime.datetime] = []  # gather_started of error-free jobs
        self.packages: dict[str, dict] = {}
        self.organizations: dict[str, dict] = {}
        self.groups: dict[str, dict] = {}
        self.search_urls: list[str] = []

    def _get_content(self, url: str) -> str:
        return requests.get(url, headers={}).text

    def run(self) -> dict:
        """One harvest job: gather, then fetch and import each harvest object."""
        gather_started = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        objects = self.gather_stage()
        results = {}
        for content in objects:
            assert self.fetch_stage(content) is True
            package = json.loads(content)
            results[package["id"]] = self.import_stage(content)
        self.jobs.append(gather_started)
        return results

    def gather_stage(self) -> list[str]:
        fq_terms = []
        include = self.config.get("organizations_filter_include", [])
        exclude = self.config.get("organizations_filter_exclude", [])
        if include:
            fq_terms.append(" OR ".join(f"organization:{name}" for name in include))
        elif exclude:
            fq_terms.extend(f"-organization:{name}" for name in exclude)
        include = self.config.get("groups_filter_include", [])
        exclude = self.config.get("groups_filter_exclude", [])
        if include:
            fq_terms.append(" OR ".join(f"groups:{name}" for name in include))
        elif exclude:
            fq_terms.extend(f"-groups:{name}" for name in exclude)

        get_all_packages = True
        if self.jobs and not self.config.get("force_all", False):
            get_all_packages = False
            since = (self.jobs[-1] - datetime.timedelta(hours=1)).isoformat()
            # The harvester falls back to a full harvest when this search fails;
            # here that would hide a refusal, so the failure ends the test.
            pkg_dicts = self._search_for_datasets(
                fq_terms + [f"metadata_modified:[{since}Z TO *]"])
            if not pkg_dicts:
                return []
        if get_all_packages:
            pkg_dicts = self._search_for_datasets(fq_terms)
        ids, objects = set(), []
        for pkg_dict in pkg_dicts:
            if pkg_dict["id"] not in ids:
                ids.add(pkg_dict["id"])
                objects.append(json.dumps(pkg_dict))
        return objects

    def _search_for_datasets(self, fq_terms=None) -> list[dict]:
        base_search_url = self.source_url + "/api/3/action/package_search"
        params = {"rows": "100", "start": "0", "sort": "id asc"}
        if fq_terms:
            params["fq"] = " ".join(fq_terms)
        pkg_dicts, pkg_ids, previous_content = [], set(), None
        while True:
            url = base_search_url + "?" + urlencode(params)
            self.search_urls.append(url)
            content = self._get_content(url)
            if previous_content and content == previous_content:
                raise SearchError(f"The paging doesn't seem to work. URL: {url}")
            previous_content = content
            page = json.loads(content).get("result", {}).get("results", [])
            ids_in_page = {p["id"] for p in page}
            page = [p for p in page if p["id"] not in pkg_ids]
            pkg_ids |= ids_in_page
            pkg_dicts.extend(page)
            if not page:
                break
            params["start"] = str(int(params["start"]) + int(params["rows"]))
        return pkg_dicts

    def fetch_stage(self, content: str) -> bool:
        return True  # the package dict came with the search

    def import_stage(self, content: str):
        package_dict = json.loads(content)
        if self.config.get("remote_groups") in ("only_local", "create"):
            validated = []
            for group_ in package_dict.get("groups", []):
                local = self.groups.get(group_["id"]) or self.groups.get(group_["name"])
                if local is None and self.config["remote_groups"] == "create":
                    local = self._get_group(group_)
                    for key in ("packages", "created", "users", "groups", "tags",
                                "extras", "display_name"):
                        local.pop(key, None)
                    self.groups[local["id"]] = local
                if local is not None:
                    validated.append({"id": local["id"], "name": local["name"]})
            package_dict["groups"] = validated
        else:
            package_dict.pop("groups", None)
        if self.config.get("remote_orgs") in ("only_local", "create"):
            remote_org = package_dict.get("owner_org")
            if remote_org and remote_org not in self.organizations \
                    and self.config["remote_orgs"] == "create":
                org = self._get_organization(remote_org)
                for key in ("packages", "created", "users", "groups", "tags", "extras",
                            "display_name", "type"):
                    org.pop(key, None)
                self.organizations[org["id"]] = org
        for resource in package_dict.get("resources", []):
            resource.pop("url_type", None)
            resource.pop("revision_id", None)
        return self._create_or_update_package(package_dict)

    def _get_group(self, group: dict) -> dict:
        url = self.source_url + "/api/3/action/group_show?id=" + group["id"]
        return json.loads(self._get_content(url)).pop("result")

    def _get_organization(self, org_name: str) -> dict:
        url = self.source_url + "/api/3/action/organization_show?id=" + org_name
        return json.loads(self._get_content(url))["result"]

    def _create_or_update_package(self, package_dict: dict):
        existing = self.packages.get(package_dict["id"])
        if existing is None:
            self.packages[package_dict["id"]] = package_dict
            return True
        if "metadata_modified" not in package_dict \
                or package_dict["metadata_modified"] > existing.get("metadata_modified"):
            self.packages[package_dict["id"]] = package_dict
            return True
        return "unchanged"


def _action(base: str, name: str, **params) -> dict:
    body = requests.get(f"{base}/api/3/action/{name}", params=params).json()
    assert body["success"] is True, body
    return body["result"]


@pytest.fixture
def three_datasets(town):
    """Published two days ago: further back than the hour the harvester looks back."""
    publish_csv(town, DISPENSERS)
    publish_csv(town, WAHL, name="wahlbezirke", title="Wahlbezirke", keywords=("Wahlen",),
                theme="GOVE")
    publish_csv(town, SCHULEN, name="schulen", title="Schulen", keywords=("Bildung",),
                theme="EDUC")
    two_days_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    with authority_context(town):
        Dataset.objects.update(created_at=two_days_ago, updated_at=two_days_ago,
                               modified=two_days_ago, issued=two_days_ago)


def _new_version(town, name: str, text: str) -> None:
    with authority_context(town):
        dataset = Dataset.objects.get(name=name)
        upload = services.receive_upload(dataset=dataset, actor=make_uploader(),
                                         file=SimpleUploadedFile("neu.csv", text.encode()))
        decisions = {c["name"]: {"public": True, "type": c["type"], "reason": ""}
                     for c in upload.columns}
        services.confirm_upload(upload=upload, actor=upload.uploaded_by,
                                decisions=decisions)


def test_the_ckan_harvester_harvests_everything_then_only_what_changed(
        three_datasets, town, live_server):
    harvester = Harvester(live_server.url + "/", {
        "organizations_filter_include": ["rbk", "leichlingen"],
        "remote_orgs": "create", "remote_groups": "create"})

    first = harvester.run()

    assert "fq=organization%3Arbk+OR+organization%3Aleichlingen" in harvester.search_urls[0]
    assert "sort=id+asc" in harvester.search_urls[0]
    names = {_action(live_server.url, "package_show", id=i)["name"] for i in first}
    assert names == set(_action(live_server.url, "package_list"))
    assert names == {"spender", "wahlbezirke", "schulen"}
    assert set(first.values()) == {True}
    for remote_id, local in harvester.packages.items():
        remote = _action(live_server.url, "package_show", id=remote_id)
        assert [r["id"] for r in local["resources"]] == [r["id"] for r in remote["resources"]]
        for resource in local["resources"]:
            assert _action(live_server.url, "resource_show", id=resource["id"])["url"] \
                == resource["url"]
            assert requests.get(resource["url"]).status_code == 200
        assert local["owner_org"] in harvester.organizations
    assert sum(len(p["resources"]) for p in harvester.packages.values()) == 7
    assert [o["name"] for o in harvester.organizations.values()] == ["leichlingen"]
    assert {g["name"] for g in harvester.groups.values()} == {"envi", "gove", "educ"}

    spender = next(p for p in harvester.packages.values() if p["name"] == "spender")
    _new_version(town, "spender", DISPENSERS + "Rathaus;Leichlingen-Mitte;51,1060;7,0190;"
                                               "2024-06-01;80;ja\n")
    second = harvester.run()

    since = harvester.search_urls[-2]
    assert "metadata_modified%3A%5B" in since and "Z+TO+%2A%5D" in since
    assert second == {spender["id"]: True}
    updated = harvester.packages[spender["id"]]
    assert updated["version"] == "2"
    assert updated["metadata_modified"] > spender["metadata_modified"]
    assert [r["id"] for r in updated["resources"]] == [r["id"] for r in spender["resources"]]

    # The next job looks back an hour too, finds the same version and leaves it be.
    assert harvester.run() == {spender["id"]: "unchanged"}


@pytest.mark.parametrize(("config", "expected"), [
    ({"organizations_filter_exclude": ["leichlingen"]}, set()),
    ({"organizations_filter_exclude": ["rbk"]}, {"spender", "wahlbezirke", "schulen"}),
    ({"groups_filter_include": ["gove", "educ"]}, {"wahlbezirke", "schulen"}),
    ({"groups_filter_exclude": ["gove", "educ"]}, {"spender"}),
    ({"organizations_filter_include": ["leichlingen"], "groups_filter_include": ["envi"]},
     {"spender"}),
], ids=["org-exclude-self", "org-exclude-other", "groups-include", "groups-exclude",
        "org-and-group-include"])
def test_the_harvesters_organization_and_group_filters_select_what_they_say(
        three_datasets, live_server, config, expected):
    harvester = Harvester(live_server.url, config)
    assert {json.loads(o)["name"] for o in harvester.gather_stage()} == expected
