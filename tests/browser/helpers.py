"""Helpers for real-browser tests: accessibility and HTML checks, keyboard-only input.

Import them in any browser test under tests/browser (a package, so the module is
``browser.helpers`` and cannot clash with another tests folder's helpers)::

    from .helpers import check_page, press_button, tab_to, type_into

``check_page(page, label)`` runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the
page as it is now and fails on any violation, then saves the page's HTML for the
Nu HTML Checker. Inside a test collected under tests/browser, every saved page of
the test is checked by one vnu.jar run when the test body ends (one JVM start per
test instead of one per page); elsewhere the page is checked at once.

Keyboard helpers never click and never use ``page.fill``: they press Tab until the
wanted element has focus (a bounded number of times), then type or press Enter.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import warnings
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "frontend" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"
AXE_REPORT = ARTIFACTS / "axe-report.json"
HTML_DIR = ARTIFACTS / "html"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_TABS = 60


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI=true a missing tool is an error, never a silent skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def find_java() -> str | None:
    return shutil.which("java")


# --- accessibility (axe-core) ---------------------------------------------------

# Results of every check_page in this pytest session; conftest writes them out.
AXE_RESULTS: list[dict] = []


def _inject_axe(page) -> None:
    """Load axe-core into the page.

    Our Content-Security-Policy forbids inline scripts, so page.add_script_tag
    (which inserts an inline <script>) is refused by the browser. Evaluating the
    source through the DevTools protocol is not subject to the page's CSP, so the
    CSP stays on during the tests and the pages are checked as people get them.
    """
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    assert page.evaluate("() => typeof window.axe === 'object'"), "axe-core did not load into the page"


def run_axe(page) -> dict:
    """Run the WCAG 2.0/2.1/2.2 A and AA rules (they fail a test) and axe's best-practice
    rules (recorded as advice in the report, never failing)."""
    _inject_axe(page)
    return page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: [...tags, 'best-practice']}});
            const wcag = (rule) => rule.tags.some(t => tags.includes(t));
            const brief = (list) => list.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
            }));
            return {violations: brief(r.violations.filter(wcag)),
                    advice: brief(r.violations.filter(v => !wcag(v))),
                    passes: r.passes.filter(wcag).length,
                    incomplete: r.incomplete.filter(wcag).map(v => v.id),
                    url: r.url};
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            lines.append(f"    target {node['target']}: {node['html'][:200]}")
    return "\n".join(lines)


# --- HTML validity (Nu HTML Checker) --------------------------------------------


# Messages we cannot fix, matched exactly. Keep this list short and say why.
VNU_IGNORED = [
    # govuk-frontend 6.3 puts `hidden aria-hidden="true"` on the service navigation's
    # Menu button (its Nunjucks/Jinja macro, and its JavaScript again on wide screens).
    # An "info warning" that the second attribute is redundant; harmless.
    re.escape("Attribute “aria-hidden” is unnecessary for elements that have attribute “hidden”."),
    # govuk-frontend's date input macro puts role="group" on its fieldset (an info warning).
    re.escape("The “group” role is unnecessary for element “fieldset”."),
]


@dataclass
class HtmlBatch:
    """The HTML files saved during one test, checked by one vnu.jar run."""

    files: list[Path] = field(default_factory=list)


_batch: HtmlBatch | None = None


def start_html_batch() -> HtmlBatch:
    global _batch
    _batch = HtmlBatch()
    return _batch


def finish_html_batch() -> None:
    """Check the files saved since start_html_batch(); fail the test on any message."""
    global _batch
    batch, _batch = _batch, None
    if batch and batch.files:
        check_html_files(batch.files)


def vnu_available() -> bool:
    return VNU_JAR.is_file() and find_java() is not None


VNU_MISSING = f"HTML check not run: needs java on PATH and {VNU_JAR.relative_to(ROOT)} (npm ci in frontend/)"


def require_vnu() -> None:
    """Skip the test (fail under CI=true) when the Nu HTML Checker cannot run."""
    if not vnu_available():
        skip_or_fail(VNU_MISSING)


def check_html_files(files: list[Path], record: bool = True) -> None:
    """Run vnu.jar once over the files; fail on any error or warning.

    Without java or vnu.jar the HTML check alone is left out (with a warning in the
    test summary) and the test's other checks still count; under CI=true it fails.
    """
    if not vnu_available():
        if in_ci():
            pytest.fail(f"{VNU_MISSING} (CI=true, so this is a failure)", pytrace=False)
        warnings.warn(pytest.PytestWarning(VNU_MISSING), stacklevel=2)
        return
    started = time.monotonic()
    result = subprocess.run(
        # -Xss: vnu needs a deep stack. C1 only and the serial collector halve the
        # start-up time of a short-lived JVM (about 1.7 s instead of 4 s here).
        [find_java(), "-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR),
         "--format", "gnu", "--Werror",
         "--filterpattern", "|".join(VNU_IGNORED), *map(str, files)],
        capture_output=True, text=True, timeout=180,
    )
    messages = (result.stdout + result.stderr).strip()
    took = time.monotonic() - started
    if record:
        VNU_RESULTS.append({"files": [os.path.relpath(f, ROOT) for f in files], "ok": result.returncode == 0,
                            "messages": messages.splitlines(), "seconds": round(took, 2)})
    if result.returncode != 0:
        pytest.fail(f"The Nu HTML Checker found problems in {len(files)} page(s):\n{messages}", pytrace=False)


VNU_RESULTS: list[dict] = []


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "page"


def _test_folder() -> Path:
    node = os.environ.get("PYTEST_CURRENT_TEST", "no-test").split(" ")[0]
    digest = hashlib.sha1(node.encode()).hexdigest()[:6]
    return HTML_DIR / f"{_safe_name(node.rpartition('::')[2])[:60]}-{digest}"


_saved_count: dict[Path, int] = {}


def save_html(page, label: str) -> list[Path]:
    """Save the page twice: as the server sent it, and as the DOM after scripts ran."""
    folder = _test_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _saved_count[folder] = _saved_count.get(folder, 0) + 1
    stem = f"{_saved_count[folder]:02d}-{_safe_name(label)}"
    paths = []
    source = _DOCUMENTS.get(page)
    if source is not None and source.url == page.url:
        path = folder / f"{stem}.served.html"
        path.write_bytes(source.body())
        paths.append(path)
    path = folder / f"{stem}.dom.html"
    path.write_text(page.content(), encoding="utf-8")
    paths.append(path)
    return paths


# --- browser errors ------------------------------------------------------------------

_PAGE_ERRORS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_DOCUMENTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # page -> its last document response


def watch_errors(page) -> list[str]:
    """Collect what the browser reports as wrong: script errors, CSP refusals, failed sub-resources.

    The browser also logs "Failed to load resource" for a page served with a 4xx
    status (an error page, a form with errors), which is expected; failed
    stylesheets, scripts and images are caught from the responses instead.
    """
    errors: list[str] = []

    def on_console(msg):
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(f"console error on {page.url}: {msg.text}")

    def on_response(response):
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            _DOCUMENTS[page] = response
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.request.resource_type} {response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"script error on {page.url}: {exc}"))
    def on_request_failed(request):
        # ERR_ABORTED is the browser cancelling a request because the page navigated
        # away (a favicon still loading when a form is submitted): not a fault.
        if "ERR_ABORTED" not in (request.failure or ""):
            errors.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    _PAGE_ERRORS[page] = errors
    return errors


def assert_no_browser_errors(page) -> None:
    errors = _PAGE_ERRORS.get(page)
    if errors:
        found = list(errors)
        errors.clear()
        pytest.fail("The browser reported problems:\n" + "\n".join(found), pytrace=False)


# --- the check every page gets ----------------------------------------------------


def check_page(page, label: str) -> dict:
    """Fail on any WCAG 2.2 A/AA axe violation; queue (or run) the HTML check.

    Records label, URL, violation count and passed-rule count in
    test-artifacts/axe-report.json. Returns the axe summary.
    """
    page.wait_for_load_state("load")
    assert_no_browser_errors(page)
    started = time.monotonic()
    result = run_axe(page)
    AXE_RESULTS.append({
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
        "label": label,
        "url": page.url,
        "database": os.environ.get("GENIUS_TEST_DB", "sqlite"),
        "violations": len(result["violations"]),
        "passes": result["passes"],
        "violation_ids": [v["id"] for v in result["violations"]],
        "needs_review": result["incomplete"],
        "best_practice_advice": [f"{v['id']} ({len(v['nodes'])})" for v in result["advice"]],
        "seconds": round(time.monotonic() - started, 2),
    })
    paths = save_html(page, label)
    if result["violations"]:
        pytest.fail(
            f"axe found {len(result['violations'])} accessibility violation(s) on {label} ({page.url}):\n"
            + format_violations(result["violations"]),
            pytrace=False,
        )
    if _batch is not None:
        _batch.files.extend(paths)
    else:
        check_html_files(paths)
    return result


def write_reports() -> None:
    if not AXE_RESULTS and not VNU_RESULTS:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # One file per pytest-xdist worker, so parallel workers do not overwrite each other.
    suffix = f"-{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
    AXE_REPORT.with_name(f"axe-report{suffix}.json").write_text(
        json.dumps({"axe_version": _axe_version(), "tags": AXE_TAGS, "pages": AXE_RESULTS}, indent=2) + "\n",
        encoding="utf-8")
    (ARTIFACTS / f"vnu-report{suffix}.json").write_text(json.dumps(VNU_RESULTS, indent=2) + "\n", encoding="utf-8")


def _axe_version() -> str:
    match = re.search(r"axe v([0-9.]+)", AXE_JS.read_text(encoding="utf-8")[:200])
    return match.group(1) if match else "unknown"


# --- keyboard only ------------------------------------------------------------------

_FOCUS_DESCRIPTION = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}${el.className ? ' class="' + el.className + '"' : ''}> ${text}`;
}"""

_FOCUS_MATCHES = """([kind, wanted]) => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const norm = (s) => (s || '').trim().replace(/\\s+/g, ' ');
    if (kind === 'id') return el.id === wanted;
    if (kind === 'label') return Array.from(el.labels || []).some(l => norm(l.innerText) === wanted);
    if (kind === 'text') return norm(el.innerText || el.value) === wanted;
    if (kind === 'selector') return el.matches(wanted);
    return false;
}"""

_PRESS_AND_CHECK = "(args) => [(" + _FOCUS_MATCHES + ")(args), (" + _FOCUS_DESCRIPTION + ")()]"


def tab_to(page, *, id: str | None = None, label: str | None = None, text: str | None = None,
           selector: str | None = None, max_presses: int = MAX_TABS) -> None:
    """Press Tab until the focused element is the one wanted (by id, label, visible text or CSS selector).

    Fails, listing where focus went, if it is not reached within max_presses.
    """
    (kind, wanted), = [(k, v) for k, v in (("id", id), ("label", label), ("text", text), ("selector", selector))
                       if v is not None]
    if page.evaluate(_FOCUS_MATCHES, [kind, wanted]):
        return
    seen = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        matched, description = page.evaluate(_PRESS_AND_CHECK, [kind, wanted])
        if matched:
            return
        seen.append(description)
    pytest.fail(
        f"Could not reach the element with {kind} {wanted!r} by pressing Tab {max_presses} times on {page.url}.\n"
        "Focus went through:\n  " + "\n  ".join(dict.fromkeys(seen)),
        pytrace=False,
    )


def type_into(page, text: str, *, replace: bool = True, **target) -> None:
    """Tab to a field and type into it; replace=True first selects what is there (Ctrl+A)."""
    tab_to(page, **target)
    if replace:
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Delete")
    page.keyboard.type(text)


def press_button(page, text: str, key: str = "Enter", navigates: bool = True) -> None:
    """Tab to a button or link by its visible text and press Enter (or Space)."""
    tab_to(page, text=text)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def submit_with_enter(page) -> None:
    """Press Enter in the focused text field: implicit submission of its form."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused(page) -> str:
    return page.evaluate(_FOCUS_DESCRIPTION)


# --- journeys -------------------------------------------------------------------------

TEST_PASSWORD = "correct horse battery staple"  # tests/conftest.py make_user's default


def sign_in_with_keyboard(page, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real form, keyboard only; lands on the account page."""
    page.goto("/sign-in")
    type_into(page, email, label="Email address")
    type_into(page, password, label="Password")
    submit_with_enter(page)
    assert page.url.endswith("/account"), page.locator("main").inner_text()


def sign_out_with_keyboard(page) -> None:
    """Press the header's Sign out button."""
    tab_to(page, selector="header .genius-account-bar button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow_link(page, text: str | None = None, **target) -> None:
    """Tab to a link (by text, or any tab_to target) and press Enter."""
    tab_to(page, **({"text": text} if text is not None else target))
    with page.expect_navigation():
        page.keyboard.press("Enter")
