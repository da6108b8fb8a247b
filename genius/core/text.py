"""User text: Markdown -> HTML -> sanitiser, in one place (SECURITY.md 11).

Called once, when text is saved; the source is kept for editing and the
sanitised HTML is what pages show (the only values templates mark |safe).
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source is shown as text, never passed through.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def _govuk_classes(html: str) -> str:
    # GOV.UK typography for the few elements Markdown makes.
    replacements = {
        "<p>": '<p class="govuk-body">',
        "<ul>": '<ul class="govuk-list govuk-list--bullet">',
        "<ol>": '<ol class="govuk-list govuk-list--number">',
        "<h2>": '<h2 class="govuk-heading-m">',
        "<h3>": '<h3 class="govuk-heading-s">',
        "<h4>": '<h4 class="govuk-heading-s">',
        "<a ": '<a class="govuk-link" ',
        "<hr>": '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">',
    }
    for old, new in replacements.items():
        html = html.replace(old, new)
    return html


def render_markdown(source: str) -> str:
    """Sanitised HTML for a Markdown source. Headings start at h2 (the page owns h1)."""
    source = (source or "").replace("\r\n", "\n").strip()
    if not source:
        return ""
    html = _md.render(source)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
    # Classes are added after cleaning, by us, to our own tags only.
    return _govuk_classes(clean)


def safe_html(stored_html: str | None) -> Markup:
    """Mark HTML that render_markdown() produced as safe for templates."""
    return Markup(stored_html or "")
