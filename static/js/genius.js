// GenIUS front-end entry point.
//
// Loaded as <script type="module" nonce="..." src="/static/js/genius.js">.
// Our CSP allows no inline scripts, so the GOV.UK template's inline snippet
// (which adds these classes to <body>) is replaced by this module. Module
// scripts only run in browsers that GOV.UK Frontend supports, and run after
// the document is parsed, so <body> exists here. Every page works without it.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initSimilarIdeas } from "/static/js/similar-ideas.js";
import { initSupports } from "/static/js/supports.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initSimilarIdeas();
initSupports();
