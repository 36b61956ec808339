"""Every page, fed malformed input by anonymous visitors, citizens and staff, answers
with a page of ours: never a 500."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from rathaus.operations import heartbeat
from tests.factories import PASSWORD, current_totp, departments_of, make_staff, send_application

JUNK_VALUES = ["", " ", "0", "-1", "9" * 30, "ä" * 300, "<script>alert(1)</script>",
               "' OR 1=1 --", "\x00", "../../etc/passwd", "%00", "31.02.2026", "{}"]


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(pattern: str, value_for) -> str:
    import re

    def replace(match):
        converter, name = match.group(1) or "str", match.group(2)
        return value_for(converter, name)

    path = re.sub(r"<(?:(\w+):)?(\w+)>", replace, pattern)
    return "/" + path.lstrip("^").rstrip("$")


def _urls(known_ids: dict) -> set[str]:
    urls = set()
    candidates = {
        "uuid": [str(uuid.uuid4()), *known_ids.get("uuid", [])],
        "int": [*known_ids.get("int", []), "0", "999999999"],
        "slug": ["x", "hundeanmeldung", "approve", "note", "complete_task", "de", "en"],
        "str": ["x", "%C3%A4", "a" * 200, "en"],
        "path": ["x"],
    }
    for pattern in _patterns():
        if "static" in pattern:
            continue
        for index in range(3):
            urls.add(_fill(pattern, lambda c, n, i=index: candidates.get(c, ["x"])[
                i % len(candidates.get(c, ["x"]))]))
    return urls


def _junk_post(value):
    keys = ["username", "password", "otp_token", "email", "text", "q", "first_name",
            "dog_name", "microchip", "iban", "payment_method", "breed", "given_up_on",
            "department", "language", "next", "reason", "new_password1", "new_password2"]
    return {key: value for key in keys}


@pytest.mark.django_db(transaction=True)
def test_no_page_answers_500_to_malformed_input(dog_town, citizen, citizen_client):
    heartbeat.beat("crawl:1")  # a worker runs: /readyz answers 200, not its 503
    case_id = send_application(citizen_client)
    open_draft = citizen_client.post("/leistungen/hundeanmeldung/beantragen/")["Location"]
    draft_id = open_draft.split("/")[2]
    departments = departments_of(dog_town)
    staff, device = make_staff(dog_town, departments=[departments["steueramt"]],
                               email="max@x.example")
    office = Client(raise_request_exception=False)
    office.post("/verwaltung/anmelden/", {"username": staff.email, "password": PASSWORD,
                                          "otp_token": current_totp(device)})
    citizen_client.raise_request_exception = False
    clients = {"anonymous": Client(raise_request_exception=False),
               "citizen": citizen_client, "staff": office}
    urls = _urls({"uuid": [case_id, draft_id], "int": ["1", "2"]})
    assert len(urls) > 40
    failures = []
    for who, client in clients.items():
        for url in sorted(urls):
            for method, data in [("get", {"q": "<b>", "status": "x' --", "next": "//evil"}),
                                 *[("post", _junk_post(v)) for v in JUNK_VALUES[:6]]]:
                response = getattr(client, method)(url, data)
                if response.status_code >= 500:
                    failures.append(f"{who} {method.upper()} {url} {data} -> "
                                    f"{response.status_code}")
    assert failures == [], "\n".join(failures[:30])
