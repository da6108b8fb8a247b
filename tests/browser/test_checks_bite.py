"""The page checks must fail on a bad page, or passing them proves nothing."""

from __future__ import annotations

import pytest

from . import helpers

BAD_PAGE = """<!DOCTYPE html><html><head><title>Bad</title></head><body>
<main><input type="text" id="nameless"><a href="/"></a><p><div>block in a paragraph</div></p>
<button aria-expanded="maybe">Toggle</button></main></body></html>"""


def test_axe_reports_violations_on_a_bad_page(page):
    page.goto("/")
    page.set_content(BAD_PAGE)
    ids = {v["id"] for v in helpers.run_axe(page)["violations"]}
    assert {"html-has-lang", "label", "link-name", "aria-valid-attr-value"} <= ids, ids


def test_the_html_checker_reports_errors_on_a_bad_page(tmp_path):
    helpers.require_vnu()
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><head></head><body><p><div></p><span id=a id=a></span></body></html>")
    with pytest.raises(pytest.fail.Exception) as failure:
        helpers.check_html_files([bad], record=False)
    message = str(failure.value)
    assert "error" in message and "title" in message, message


def test_tab_to_fails_clearly_when_an_element_cannot_be_reached(page):
    page.goto("/")
    with pytest.raises(pytest.fail.Exception) as failure:
        helpers.tab_to(page, id="no-such-field", max_presses=5)
    assert "no-such-field" in str(failure.value) and "Skip to main content" in str(failure.value)
