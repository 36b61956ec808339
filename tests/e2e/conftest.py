"""Browser journeys: one Chromium for all of tests/e2e, a fresh context per test.

Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to
run while a loop is running unless told that this is safe, which it is here (the test
and the loop share one thread and never run at the same time). The permission is given
only while the browser runs, so it never leaks into other tests or their subprocesses.

With RATHAUS_E2E_CLUSTER=1 (PostgreSQL only) a journey runs against the cluster of
scripts/cluster.py instead of Django's live server: nginx in front of two gunicorn web
processes and two workers on the test database, documents in an S3 server. `live_server`
is then that cluster (its `url` is nginx), and tasks wait for the workers, so a journey
calls `settle()` where it needs their work done; without the cluster it does nothing.
"""

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD, current_totp

CHROMIUM = os.environ.get("RATHAUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
AXE_SOURCE = (HERE / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SCREENSHOT_DIR = HERE.parent.parent / "test-artifacts" / "screenshots"
TAKE_SCREENSHOTS = os.environ.get("RATHAUS_SCREENSHOTS", "") not in ("", "0")

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# The staff member the office journeys log in as (make her with this e-mail address).
STAFF_EMAIL = "erika@leichlingen.example"

# The journeys run against scripts/cluster.py's cluster instead of the live server.
CLUSTER = os.environ.get("RATHAUS_E2E_CLUSTER", "") not in ("", "0")

# Each language button is labelled in its own language.
LANGUAGE_BUTTON = {"en": re.compile(r"^English$"), "de": re.compile(r"^Deutsch$")}


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Problems:
    """What a page does wrong outside the DOM: CSP violations, script errors and
    sub-resources (CSS, fonts, scripts) that failed to load."""

    def __init__(self, page):
        self.items: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"script error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.items.append(f"CSP violation: {message.text}")

    def _response(self, response):
        if response.request.resource_type != "document" and response.status >= 400:
            self.items.append(f"{response.status} for {response.url}")

    def _request_failed(self, request):
        # ERR_ABORTED is a request cut short because the page moved on (a quick click);
        # a missing file shows up as an HTTP error in _response instead.
        if request.resource_type != "document" and request.failure != "net::ERR_ABORTED":
            self.items.append(f"failed to load {request.url}: {request.failure}")

    def take(self) -> list[str]:
        items, self.items = self.items, []
        return items


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(viewport=..., javascript=..., host=...)` gives a page in a new browser
    context.

    `page.problems` collects CSP violations, script errors and broken sub-resources.
    """
    contexts = []

    def factory(*, viewport=DESKTOP, javascript=True, host=None):
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            # Another authority's host, e.g. rbk.localhost (Chromium resolves *.localhost).
            base_url=live_server.url.replace("localhost", host) if host else live_server.url,
            locale="de-DE",
            color_scheme="light",
        )
        context.set_default_timeout(10_000)
        if javascript:
            # axe-core is added to every document by the DevTools protocol, which the
            # page's Content-Security-Policy does not govern: the CSP stays on in tests.
            context.add_init_script(script=AXE_SOURCE)
        contexts.append(context)
        page = context.new_page()
        page.problems = Problems(page)
        page.javascript = javascript
        return page

    yield factory
    for context in contexts:
        context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page (see `open_page` for how axe gets there)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"], iframes: false,
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary,
                                          html: n.html.slice(0, 300)})),
            }));
        }""",
        AXE_TAGS,
    )


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"      {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            lines.append(f"      - {json.dumps(node['target'])}  {node['html']}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"          {summary_line}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      … and {len(violation['nodes']) - 8} more node(s)")
    return "\n".join(lines)


def page_findings(page, where: str, *, check_overflow: bool | None = None) -> list[str]:
    """Everything wrong with the page as it is now: axe violations, CSP violations and
    broken resources, and at phone width horizontal scrolling. Empty when all is well."""
    findings = []
    if not page.javascript:
        # axe and the layout probe need scripts; without them only the problems count.
        return [f"{where}: {problem}" for problem in page.problems.take()]
    violations = axe_violations(page)
    if violations:
        findings.append(describe_violations(where, violations))
    findings += [f"{where}: {problem}" for problem in page.problems.take()]
    width = page.viewport_size["width"]
    if check_overflow is None:
        check_overflow = width <= 480
    if check_overflow:
        overflow = page.evaluate(
            """() => {
                const doc = document.documentElement;
                const wide = [...document.querySelectorAll("body *")]
                    .filter(el => el.getBoundingClientRect().right > doc.clientWidth + 0.5)
                    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                               + (el.className && typeof el.className === "string"
                                  ? "." + el.className.trim().split(/\\s+/).join(".") : ""))
                    .slice(0, 5);
                return {scrollWidth: doc.scrollWidth, wide};
            }"""
        )
        if overflow["scrollWidth"] > width:
            findings.append(
                f"{where}: scrolls sideways at {width} px (scrollWidth "
                f"{overflow['scrollWidth']}); too wide: {', '.join(overflow['wide'])}"
            )
    return findings


def assert_page_ok(page, where: str) -> None:
    findings = page_findings(page, where)
    assert not findings, "\n\n".join(findings)


def screenshot(page, name: str) -> None:
    """A full-page screenshot for people to look at, only with RATHAUS_SCREENSHOTS=1."""
    if not TAKE_SCREENSHOTS:
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOT_DIR / f"{name}-{width}.png", full_page=True)


def switch_language(page, language: str) -> None:
    """Use the language button in the page header, as a person would."""
    button = page.locator("header").get_by_role("link", name=LANGUAGE_BUTTON[language])
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response.ok, f"the language switch answered HTTP {response.status} ({page.url})"
    assert page.locator("html").get_attribute("lang") == language, "language did not change"


def findings_at_both_widths(
    page, where: str, *, shot: str | None = None, dark: bool = False
) -> list[str]:
    """Audit the page at desktop width, then narrow the same page to phone width and
    audit it again (the layout is pure CSS, so this equals loading it on a phone).

    With `dark`, the desktop view is also audited in dark mode: KERN switches its colour
    tokens with the system setting, and our own colours must follow them."""
    findings = []
    for viewport in (DESKTOP, PHONE):
        if page.viewport_size != viewport:
            page.set_viewport_size(viewport)
        findings += page_findings(page, f"{where} at {viewport['width']} px")
        if shot:
            screenshot(page, shot)
        if dark and viewport == DESKTOP:
            page.emulate_media(color_scheme="dark")
            findings += page_findings(page, f"{where} at {viewport['width']} px, dark mode")
            page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)
    return findings


def submit_staff_login(page, *, code, password=PASSWORD, email=STAFF_EMAIL):
    """Log in to the office as `email` (STAFF_EMAIL) on the login page that is open."""
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.fill("#id_otp_token", code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def log_in_as_inspector(page, cadastres, *, next_page: str = "") -> None:
    """Log in to the office as the inspector of `cadastres` (tests.factories)."""
    from tests.factories import INSPECTOR_EMAIL

    page.goto("/verwaltung/anmelden/" + (f"?next={next_page}" if next_page else ""))
    submit_staff_login(page, code=current_totp(cadastres["device"]), email=INSPECTOR_EMAIL)


# --- against the cluster (RATHAUS_E2E_CLUSTER=1) ---------------------------------------------

def load_cluster_script():
    """scripts/cluster.py, which is no package: loaded from its file."""
    if "cluster" not in sys.modules:
        path = HERE.parents[1] / "scripts" / "cluster.py"
        spec = importlib.util.spec_from_file_location("cluster", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["cluster"] = module
        spec.loader.exec_module(module)
    return sys.modules["cluster"]


class _NoSettings:
    """pytest-django's live server changes settings for the test; the cluster does not."""

    def enable(self):
        pass

    def disable(self):
        pass


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def _s3_storage(env: dict) -> dict:
    """The test process's STORAGES["default"] for the cluster's bucket, as
    rathaus.settings builds it from the same variables."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env["RATHAUS_S3_BUCKET"],
        "endpoint_url": env["RATHAUS_S3_ENDPOINT_URL"],
        "region_name": env["RATHAUS_S3_REGION"],
        "access_key": env["RATHAUS_S3_ACCESS_KEY_ID"],
        "secret_key": env["RATHAUS_S3_SECRET_ACCESS_KEY"],
        "addressing_style": env["RATHAUS_S3_ADDRESSING_STYLE"],
        "default_acl": None, "querystring_auth": True, "file_overwrite": True,
        "max_memory_size": 4 * 1024 * 1024,
    }}


if CLUSTER:
    @pytest.fixture
    def live_server(request, tmp_path_factory):
        """The cluster on the test database, in place of Django's live server.

        Started per test, as the test's SMTP server is: the workers send through it."""
        from django.conf import settings as django_settings
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail("RATHAUS_E2E_CLUSTER=1 needs PostgreSQL (DATABASE_URL=postgres://…)")
        request.getfixturevalue("transactional_db")
        # What the test process does must match the cluster: it makes the people, their
        # passwords and keys, and may store documents. The autouse fixtures that set
        # other values run first, so this wins.
        for fixture in ("_tasks_run_at_once", "_fast_password_hashing",
                        "_files_in_a_temporary_directory", "_maps_without_tiles"):
            request.getfixturevalue(fixture)
        settings = request.getfixturevalue("settings")
        extra = {"RATHAUS_MASTER_KEY": django_settings.RATHAUS_MASTER_KEY,
                 "SECRET_KEY": django_settings.SECRET_KEY, "RATHAUS_MAP_TILE_URL": ""}
        if "smtp_inbox" in request.fixturenames:
            request.getfixturevalue("smtp_inbox")
            extra |= {"EMAIL_HOST": settings.EMAIL_HOST, "EMAIL_PORT": str(settings.EMAIL_PORT)}
        cluster_script = load_cluster_script()
        cluster = cluster_script.Cluster(
            database_url=_test_database_url(), demo=False, extra_env=extra,
            var_dir=tmp_path_factory.mktemp("cluster"))
        with cluster:
            # The cluster's settings, as far as the test process shares their effects.
            settings.TASKS = {"default": {
                "BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
            settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
            settings.STORAGES = {**django_settings.STORAGES,
                                 "default": _s3_storage(cluster.env)}
            # Chromium resolves *.localhost, which `open_page(host=…)` relies on.
            cluster.url = cluster.url.replace("127.0.0.1", "localhost")
            cluster._live_server_modified_settings = _NoSettings()
            yield cluster


@pytest.fixture
def settle(request):
    """`settle(page=None)`: with the cluster, waits until the workers have done every
    queued task, then reloads `page`; without it (tasks run at once) does nothing."""
    def settle_(page=None):
        if not CLUSTER:
            return
        request.getfixturevalue("live_server").wait_until_idle()
        if page is not None:
            page.reload()

    return settle_
