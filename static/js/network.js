// The network view's drawing: sigma 3 + graphology (vendored, loaded just before this module).
//
// Progressive enhancement of templates/network/index.html: without JavaScript the page
// shows the same data as tables. Here the drawing section is shown, the graph JSON of the
// same scope is fetched, and sigma draws it (positions come from the server, see
// genius/network/layout.py). Pan and zoom with the mouse or touch; find a name with the
// search box (results are buttons, so keyboards reach every node); select a dot or a result
// to see its details and a link to its page; colour by kind or community; size by a measure.

const KIND_COLOURS = { person: "#1d70b8", anonymous: "#6f777b", group: "#00703c", challenge: "#912b88" };
const KIND_NAMES = { person: "Person", anonymous: "Person (name kept private)", group: "Group", challenge: "Challenge" };
const COMMUNITY_COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#912b88", "#f47738", "#28a197", "#5694ca",
                           "#b58840", "#d53880", "#4c2c92"];
const OTHER_COLOUR = "#b1b4b6";
const SELECTED_COLOUR = "#0b0c0c";
const MAX_MATCHES = 10;
const PRIVATE_NAME = "A person who keeps their name private";
// Above this many links (the page's data-light-links-above, from NETWORK_LIGHT_LINKS_ABOVE), links of
// weight 1 are drawn only when zoomed in closer than LIGHT_LINKS_RATIO.
const LIGHT_LINKS_ABOVE = 20000;
const LIGHT_LINKS_RATIO = 0.5;

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function kindOf(node) {
  return node.kind === "person" && node.anonymous ? "anonymous" : node.kind;
}

function nameOf(node) {
  return node.label || PRIVATE_NAME;
}

function number(value) {
  return Number.isInteger(value) ? value.toLocaleString("en-GB") : value.toFixed(3);
}

// sigma 3 writes canvas sizes as width="705px"; HTML wants digits only ("705"). Browsers read
// the leading digits either way, so strip the unit on sigma's own canvases and redo the sizing.
function cleanCanvasSizes(renderer) {
  for (const canvas of renderer.getContainer().querySelectorAll("canvas")) {
    const original = canvas.setAttribute.bind(canvas);
    canvas.setAttribute = (name, value) => {
      const clean = (name === "width" || name === "height") ? String(value).replace(/px$/, "") : value;
      original(name, clean);
    };
  }
  renderer.resize(true);
  renderer.scheduleRender();
}

class NetworkView {
  constructor(section) {
    this.section = section;
    this.canvas = section.querySelector("#network-canvas");
    this.details = section.querySelector("#network-details");
    this.status = section.querySelector("#network-status");
    this.search = section.querySelector("#network-search");
    this.matches = section.querySelector("#network-matches");
    this.colour = section.querySelector("#network-colour");
    this.size = section.querySelector("#network-size");
    this.legend = section.querySelector("#network-legend");
    this.selected = null;
  }

  async start() {
    const started = performance.now();
    this.section.hidden = false;
    let data;
    try {
      const response = await fetch(this.section.dataset.graphUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`status ${response.status}`);
      this.marks = { fetched: performance.now() - started };
      data = await response.json();
      this.marks.parsed = performance.now() - started;
    } catch (error) {
      this.status.textContent = "The drawing could not be loaded. The tables below show the same information.";
      return;
    }
    this.data = data;
    this.byId = new Map(data.nodes.map((node) => [node.id, node]));
    const Graph = window.graphology.Graph || window.graphology;
    const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    for (const node of data.nodes) {
      graph.addNode(node.id, { x: node.x, y: -node.y, label: node.label || "", size: 3, color: OTHER_COLOUR });
    }
    // Links of weight 1 (most of them) are drawn as 1-pixel lines, heavier ones as thicker rectangles:
    // filling 50,000 rectangles is most of the first frame under software WebGL. On a big network the
    // links of weight 1 are only drawn once the reader zooms in (see showLightLinks); sigma 3 processes
    // hidden edges too, so they are left out of the graph rather than hidden. The tables keep them all.
    this.lightLinks = [];
    this.lightShown = false;
    const above = Number(this.section.dataset.lightLinksAbove || LIGHT_LINKS_ABOVE);
    const holdBack = data.links.length > above;
    for (const link of data.links) {
      if (link.weight > 1) {
        graph.addEdge(link.source, link.target, { size: Math.min(0.4 + Math.log2(link.weight), 4), color: "#d8dadb", type: "thick" });
      } else if (holdBack) {
        this.lightLinks.push(link);
      } else {
        graph.addEdge(link.source, link.target, { size: 1, color: "#d8dadb", type: "thin" });
      }
    }
    this.lightShown = !holdBack;
    this.graph = graph;
    this.marks.graph = performance.now() - started;
    this.applyColours();
    this.applySizes();
    try {
      this.renderer = new window.Sigma(graph, this.canvas, {
        labelRenderedSizeThreshold: 9, zIndex: true, minCameraRatio: 0.02, maxCameraRatio: 4,
        hideEdgesOnMove: data.links.length > 20000, // keeps panning smooth on big networks
        defaultEdgeType: "thin",
        edgeProgramClasses: { thin: window.Sigma.rendering.EdgeLineProgram, thick: window.Sigma.rendering.EdgeRectangleProgram },
      });
    } catch (error) {
      this.status.textContent = "Your browser cannot draw the network (it needs WebGL 2). The tables below show the same information.";
      return;
    }
    this.marks.sigma = performance.now() - started;
    cleanCanvasSizes(this.renderer);
    this.renderer.on("clickNode", ({ node }) => this.select(node, false));
    this.search.addEventListener("input", () => this.showMatches());
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        const first = this.matches.querySelector("button");
        if (first) first.click();
      }
    });
    this.section.querySelector("#network-reset").addEventListener("click", () => {
      this.renderer.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 });
    });
    this.colour.addEventListener("change", () => { this.applyColours(); this.renderer.refresh(); });
    this.size.addEventListener("change", () => { this.applySizes(); this.renderer.refresh(); });
    if (this.lightLinks.length) {
      this.renderer.getCamera().on("updated", (state) => this.showLightLinks(state.ratio < LIGHT_LINKS_RATIO));
    }
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const held = this.lightLinks.length;
    const light = held === 0 ? "" : held === 1 ? " The link of weight 1 is drawn when you zoom in."
      : ` The ${number(held)} links of weight 1 (one comment, support or membership) are drawn when you zoom in.`;
    this.status.textContent = `Drawn: ${number(data.nodes.length)} people, groups and challenges, and ${number(data.links.length)} links, in ${seconds} seconds.${light}`;
    this.section.dataset.state = "drawn";
    this.section.dataset.drawMs = String(Math.round(performance.now() - started));
    this.marks.drawn = performance.now() - started;
    this.section.dataset.marks = JSON.stringify(Object.fromEntries(Object.entries(this.marks).map(([k, v]) => [k, Math.round(v)])));
  }

  showLightLinks(show) {
    if (show === this.lightShown) return;
    this.lightShown = show;
    if (show) {
      for (const link of this.lightLinks) {
        this.graph.addEdgeWithKey(`light-${link.source}-${link.target}`, link.source, link.target,
                                  { size: 1, color: "#d8dadb", type: "thin" });
      }
    } else {
      for (const link of this.lightLinks) this.graph.dropEdge(`light-${link.source}-${link.target}`);
    }
  }

  applyColours() {
    const byCommunity = this.colour.value === "community";
    for (const node of this.data.nodes) {
      let colour = byCommunity ? COMMUNITY_COLOURS[node.community - 1] || OTHER_COLOUR : KIND_COLOURS[kindOf(node)];
      if (node.id === this.selected) colour = SELECTED_COLOUR;
      this.graph.setNodeAttribute(node.id, "color", colour);
    }
    this.legend.replaceChildren();
    const entries = byCommunity
      ? COMMUNITY_COLOURS.map((_, n) => [`c${n + 1}`, `Community ${n + 1}`]).concat([["other", "Smaller communities"]])
      : Object.entries(KIND_NAMES).map(([kind, name]) => [`kind-${kind}`, name]);
    for (const [swatch, name] of entries) {
      const item = el("li", { class: "genius-network-legend__item" });
      item.append(el("span", { class: `genius-swatch genius-swatch--${swatch}`, "aria-hidden": "true" }), name);
      this.legend.append(item);
    }
  }

  applySizes() {
    const measure = this.size.value;
    let top = 1e-9;
    for (const node of this.data.nodes) top = Math.max(top, node[measure]);
    // Many dots need smaller ones, or they hide each other.
    const [least, range] = this.data.nodes.length > 2000 ? [1, 7] : [2, 12];
    for (const node of this.data.nodes) {
      const grow = node.id === this.selected ? 2 : 1;
      this.graph.setNodeAttribute(node.id, "size", grow * (least + range * Math.sqrt(node[measure] / top)));
    }
  }

  showMatches() {
    const query = this.search.value.trim().toLocaleLowerCase("en-GB");
    this.matches.replaceChildren();
    if (query.length < 2) return;
    const found = this.data.nodes.filter((node) => node.label && node.label.toLocaleLowerCase("en-GB").includes(query));
    for (const node of found.slice(0, MAX_MATCHES)) {
      const item = el("li");
      const button = el("button", { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-1",
                                    "data-node": node.id }, `${node.label} (${KIND_NAMES[kindOf(node)].toLowerCase()})`);
      button.addEventListener("click", () => this.select(node.id, true));
      item.append(button);
      this.matches.append(item);
    }
    const more = found.length > MAX_MATCHES ? ` Showing the first ${MAX_MATCHES}.` : "";
    this.status.textContent = found.length
      ? `${number(found.length)} ${found.length === 1 ? "match" : "matches"}.${more}`
      : "No names match. Names of people who keep them private cannot be searched.";
  }

  select(id, moveFocus) {
    const previous = this.selected;
    this.selected = id;
    this.applyColours();
    this.applySizes();
    if (previous && previous !== id && this.graph.hasNode(previous)) {
      this.graph.mergeNodeAttributes(previous, { highlighted: false, zIndex: 0 });
    }
    this.graph.mergeNodeAttributes(id, { highlighted: true, zIndex: 1 });
    this.renderer.refresh();
    const shown = this.renderer.getNodeDisplayData(id);
    if (shown) this.renderer.getCamera().animate({ x: shown.x, y: shown.y, ratio: 0.15 }, { duration: 400 });
    this.showDetails(this.byId.get(id), moveFocus);
  }

  showDetails(node, moveFocus) {
    this.details.replaceChildren();
    const heading = el("h3", { class: "govuk-heading-s", tabindex: "-1", id: "network-details-heading" }, nameOf(node));
    const list = el("dl", { class: "govuk-summary-list govuk-summary-list--no-border govuk-!-font-size-16" });
    const rows = [["Kind", KIND_NAMES[kindOf(node)]], ["Links", number(node.degree)], ["Activity", number(node.strength)],
                  ["Betweenness", number(node.betweenness)], ["Community", number(node.community)]];
    if (node.bridges) rows.push(["Connector", `alone links ${number(node.bridges)} ${node.bridges === 1 ? "pair" : "pairs"} of groups`]);
    if (node.isolated) rows.push(["Isolated", "no link to any other group"]);
    for (const [key, value] of rows) {
      const row = el("div", { class: "govuk-summary-list__row" });
      row.append(el("dt", { class: "govuk-summary-list__key" }, key), el("dd", { class: "govuk-summary-list__value" }, value));
      list.append(row);
    }
    this.details.append(heading, list);
    if (node.url) {
      const para = el("p", { class: "govuk-body govuk-!-margin-bottom-1" });
      para.append(el("a", { class: "govuk-link", href: node.url, id: "network-details-link" },
                        node.kind === "person" ? `Go to ${node.label}’s page` : `Go to the page of ${node.label}`));
      this.details.append(para);
      if (node.kind !== "challenge") {
        const around = el("p", { class: "govuk-body" });
        const scope = new URLSearchParams({ scope: `${node.kind}:${node.id.slice(1)}` });
        around.append(el("a", { class: "govuk-link", href: `${window.location.pathname}?${scope}` },
                          `Show the network around ${node.label}`));
        this.details.append(around);
      }
    }
    if (moveFocus) heading.focus();
  }
}

export function initNetwork() {
  const section = document.getElementById("network-drawing");
  if (!section || !window.Sigma || !window.graphology) return null;
  const view = new NetworkView(section);
  window.GeniusNetwork = view; // for the benchmark and the browser test to find the renderer
  view.ready = view.start();
  return view;
}

initNetwork();
