"""Browser journeys: one Chromium for all of tests/e2e, a fresh context per test.

Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to
run while a loop is running unless told that this is safe, which it is here (the test
and the loop share one thread and never run at the same time). The permission is given
only while the browser runs, so it never leaks into other tests or their subprocesses.
"""

import json
import os
import re
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
