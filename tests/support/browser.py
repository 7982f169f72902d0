"""What the browser tests share besides their fixtures (which are in tests/browser/conftest.py): how
Chromium is launched, signing in through the form, screenshots, and the accessibility audit (axe-core,
vendored in tests/vendor/axe-core) with the two widths every audited walk runs at.

QUIZAPP_SCREENSHOT_DIR, if set, is where ``_screenshot`` saves the pages the tests name."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.support import PASSWORD, VENDOR

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
QUESTIONS = 10  # in the bundled bank's quick-ten quiz


def sign_in(page, username: str) -> None:
    """Sign in through the form, as a person does, and wait for the page it leads to: a student's To do
    or a teacher's Teaching page."""
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/(teach/)?$"))


def _screenshot(page, name: str) -> None:
    directory = os.environ.get("QUIZAPP_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / name), full_page=True)


# --- The accessibility audit ----------------------------------------------------------------------

AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # of axe.min.js as npm ships it
AXE_FILE = VENDOR / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
FAILING_IMPACTS = ("serious", "critical")

# Every walk runs at a desktop's width and at a phone's, where no page may scroll sideways, and once more
# on a phone in the dark colour scheme, whose colours need the same contrast.
VIEWPORTS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
SIDEWAYS = """() => { const root = document.documentElement;
  const wide = [...document.body.querySelectorAll('*')].filter(e =>
    e.getBoundingClientRect().right > root.clientWidth + 1 && getComputedStyle(e).position !== 'absolute'
    && !e.closest('.table-scroll, .visually-hidden, .skip'));
  return {by: root.scrollWidth - root.clientWidth,
          widest: wide.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))}; }"""


# On a phone every control is a finger's size: 44 px high at least (a checkbox or radio button counts by
# its label, which takes the tap too). A link inside running text is exempt, as WCAG's target-size rule says.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, .button, select, textarea, summary, nav a,'
    + ' input:not([type=hidden]):not([type=checkbox]):not([type=radio]),'
    + ' label:has(> input[type=checkbox]), label:has(> input[type=radio])')]
  .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0 && b.height < 43.5
    && !e.closest('.visually-hidden, .skip') && getComputedStyle(e).visibility !== 'hidden'; })
  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
    + ' "' + (e.innerText || e.value || e.name || '').trim().slice(0, 30) + '" '
    + Math.round(e.getBoundingClientRect().height) + 'px')"""


class Audit:
    """Runs axe on pages, and checks that none scrolls sideways, and keeps what it finds; ``check()`` fails
    with all of it at the end, so one run names every violation on every page rather than only the first."""

    def __init__(self, browser_page, who: str, width: str = "1280"):
        self.view = browser_page
        self.who = f"{who}-{width}"  # names the screenshots
        self.source = AXE_FILE.read_text(encoding="utf-8")
        self.pages: list[str] = []
        self.failures: list[str] = []
        self.minor: list[str] = []  # moderate and minor findings: printed, not failed on

    def __call__(self, name: str) -> None:
        view = self.view
        view.wait_for_load_state("load")
        if not view.evaluate("() => typeof window.axe === 'object'"):
            view.evaluate(self.source)  # evaluated through DevTools, which the page's CSP does not govern
        assert view.evaluate("() => axe.version") == AXE_VERSION
        violations = view.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)
        # axe disables its duplicate-id rules now that WCAG 4.1.1 is obsolete (it keeps duplicate-id-aria);
        # a repeated id still breaks a label's for, a skip link or an aria reference, so it fails here too.
        repeated = view.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"
                                 ".filter((id, i, ids) => ids.indexOf(id) !== i)")
        if repeated:
            violations.append({"id": "duplicate-id", "impact": "serious", "help": "ids must be unique",
                               "nodes": [{"target": [f"#{i}"]} for i in sorted(set(repeated))]})
        sideways = view.evaluate(SIDEWAYS)
        if sideways["by"] > 0:
            violations.append({"id": "scrolls-sideways", "impact": "serious",
                               "help": f"the page scrolls sideways by {sideways['by']} px at this width",
                               "nodes": [{"target": [e]} for e in sideways["widest"]]})
        small = view.evaluate(SMALL_TARGETS) if view.viewport_size["width"] < 500 else []
        if small:
            violations.append({"id": "target-size-44", "impact": "serious",
                               "help": "a control on a phone is less than 44 px high",
                               "nodes": [{"target": [e]} for e in small]})
        self.pages.append(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        _screenshot(view, f"a11y-{self.who}-{len(self.pages):02d}-{slug}.png")
        for v in violations:
            targets = ["; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:8])]
            if len(v["nodes"]) > 8:
                targets.append(f"(and {len(v['nodes']) - 8} more)")
            finding = f"{name} [{view.url}]: {v['id']} ({v['impact']}): {v['help']}\n    {' '.join(targets)}"
            (self.failures if v["impact"] in FAILING_IMPACTS else self.minor).append(finding)

    def check(self, expected_pages: int) -> None:
        print(f"axe audited {len(self.pages)} pages: {' | '.join(self.pages)}")
        if self.minor:
            print("moderate or minor findings (reported, not failed on):", *self.minor, sep="\n")
        assert not self.failures, (f"{len(self.failures)} serious or critical axe violation(s) on "
                                   f"{len(self.pages)} pages:\n" + "\n".join(self.failures))
        assert len(self.pages) == expected_pages, self.pages
