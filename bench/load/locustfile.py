"""Mixed traffic for the load test (bench/load/run_load.py starts Locust with it).

Four kinds of visitors, each waiting a few seconds between pages as people do:

- PortalVisitor: the home page, the life events, a service's page, the service
  finder's search (results page and the suggestions htmx asks for while typing);
- OpenDataVisitor: the open data catalogue and a dataset's page, the DCAT catalogue,
  the CKAN API's package_search, an OGC API collection's items;
- Citizen: a complete dog registration (start, the four pages, the summary, send, the
  case page), again and again, each user with its own citizen's session;
- Clerk: a Steueramt clerk's work basket, a case of it opened and approved, and the
  second clerk (four eyes) opening and confirming it: the notice is then issued by a
  worker.

Requests are named by route (`name=`), never by an id. The configuration (sessions
and names found on the instance) comes from the JSON file in LOAD_CONFIG; what the
citizens sent goes to its "results" file at the end, for the database check.
"""

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _instance import dog_registration_pages  # noqa: E402

CONFIG = json.loads(Path(os.environ["LOAD_CONFIG"]).read_text())
SERVICE = "hundeanmeldung"
CASE_LINK = re.compile(r'href="/verwaltung/vorgaenge/([0-9a-f-]{36})/"')
SEARCHES = ["hund", "Hundesteuer", "umzug", "Personalausweis", "Baum fällen", "parken",
            "Führerschein", "Wohnsitz anmelden", "Grab", "Spielplatz"]

_citizens = itertools.count()  # which prepared citizen the next Citizen user is
_clerks = itertools.count()
_registrations = itertools.count(1)  # each registration its own dog (microchip)
SENT: dict[str, str] = {}  # draft id -> outcome of its send ("case" or the error)


class Visitor(HttpUser):
    abstract = True
    wait_time = between(2, 5)

    def get(self, path: str, name: str, **kwargs):
        return self.client.get(path, name=name, **kwargs)

    def post_expecting(self, path: str, name: str, data: dict, location: str):
        """POST a form (CSRF token from the cookie, as a browser's form carries it);
        a success only if it redirects to a URL containing `location`. Returns the
        Location, or None."""
        tokens = [c.value for c in self.client.cookies if c.name == "csrftoken"]
        data = {**data, "csrfmiddlewaretoken": tokens[-1] if tokens else ""}
        with self.client.post(path, data=data, name=name, allow_redirects=False,
                              catch_response=True) as response:
            target = response.headers.get("Location", "")
            if response.status_code == 302 and location in target:
                response.success()
                return target
            response.failure(f"{response.status_code} to {target!r}, wanted …{location}…")
            return None

    def with_session(self, cookies: dict) -> None:
        # For the host, as the server's own cookies are, so that a CSRF cookie the
        # server sets replaces ours instead of standing beside it.
        host = urlsplit(self.host).hostname
        for name, value in cookies.items():
            self.client.cookies.set(name, value, domain=host, path="/")


class PortalVisitor(Visitor):
    weight = 5

    @task(3)
    def home(self):
        self.get("/", "portal: home")

    @task(2)
    def search(self):
        query = random.choice(SEARCHES)
        self.get(f"/suche/vorschlaege/?q={query[:5]}", "portal: search suggestions",
                 headers={"HX-Request": "true"})
        self.get(f"/?q={query}", "portal: search results")

    @task(2)
    def service_page(self):
        self.get(f"/leistungen/{random.choice(CONFIG['services'])}/", "portal: service page")

    @task(1)
    def life_events(self):
        self.get("/lebenslagen/", "portal: life events")


class OpenDataVisitor(Visitor):
    weight = 2

    @task(2)
    def catalogue(self):
        self.get("/daten/", "open data: catalogue")
        self.get(f"/daten/{random.choice(CONFIG['datasets'])}/", "open data: dataset page")

    @task(1)
    def dcat(self):
        self.get("/catalog.ttl", "open data: DCAT catalogue (Turtle)")

    @task(2)
    def ckan(self):
        self.get(f"/api/3/action/package_search?q={random.choice(['hunde', 'baum', ''])}"
                 "&rows=10", "open data: CKAN package_search")

    @task(2)
    def ogc(self):
        self.get(f"/ogc/collections/{random.choice(CONFIG['collections'])}/items"
                 f"?f=json&limit=20&offset={random.randrange(0, 40, 10)}",
                 "open data: OGC collection items")


class Citizen(Visitor):
    weight = 3

    def on_start(self):
        self.with_session(CONFIG["citizens"][next(_citizens) % len(CONFIG["citizens"])])

    @task
    def register_a_dog(self):
        self.get(f"/leistungen/{SERVICE}/", "citizen: service page")
        step_url = self.post_expecting(f"/leistungen/{SERVICE}/beantragen/", "citizen: start",
                                       {}, "/schritt/1/")
        if not step_url:
            return
        draft = step_url.split("/")[2]
        for number, answers in enumerate(dog_registration_pages(next(_registrations)), 1):
            self.wait()
            self.get(f"/antraege/{draft}/schritt/{number}/", "citizen: form page")
            following = f"/schritt/{number + 1}/" if number < 4 else "/pruefen/"
            if not self.post_expecting(f"/antraege/{draft}/schritt/{number}/",
                                       f"citizen: page {number} saved", answers, following):
                return
        self.wait()
        self.get(f"/antraege/{draft}/pruefen/", "citizen: summary")
        self.wait()
        SENT[draft] = "sending"
        case_url = self.post_expecting(f"/antraege/{draft}/absenden/", "citizen: send", {},
                                       "/vorgaenge/")
        SENT[draft] = "case" if case_url else "error"
        if case_url:
            self.get(case_url, "citizen: case page")


class Clerk(Visitor):
    """Two clerks at one desk: the first proposes the decision, the second confirms it."""

    fixed_count = CONFIG.get("clerk_users", 6)

    def on_start(self):
        pair = CONFIG["clerks"][next(_clerks) % len(CONFIG["clerks"])]
        self.sessions = pair
        self.with_session(pair[0])

    def as_clerk(self, number: int) -> None:
        self.client.cookies.clear()
        self.with_session(self.sessions[number])

    @task
    def decide_a_case(self):
        self.as_clerk(0)
        basket = self.get(f"/verwaltung/?status=submitted&service={SERVICE}",
                          "office: work basket (new)")
        cases = CASE_LINK.findall(basket.text) if basket.ok else []
        if not cases:
            return
        # One of the first: the soonest due, as a clerk takes them; random, so that
        # the clerks rarely take the same one.
        case = random.choice(cases[:20])
        self.wait()
        self.get(f"/verwaltung/vorgaenge/{case}/", "office: case page")
        self.wait()
        if not self.post_expecting(f"/verwaltung/vorgaenge/{case}/schritt/approve/",
                                   "office: approve (propose)", {}, f"/vorgaenge/{case}/"):
            return
        self.as_clerk(1)
        self.get("/verwaltung/?status=awaiting_confirmation", "office: work basket (to confirm)")
        self.wait()
        self.get(f"/verwaltung/vorgaenge/{case}/", "office: case page")
        self.post_expecting(f"/verwaltung/vorgaenge/{case}/schritt/confirm/",
                            "office: confirm (four eyes)", {}, f"/vorgaenge/{case}/")


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    Path(CONFIG["results"]).write_text(json.dumps({"sent": SENT}))
