// While someone types the title of a new idea, show ideas in the same challenge
// that look similar, so they can support one instead of posting a duplicate.
// Progressive enhancement: without JavaScript the form shows the same list after
// the first submit. The list sits in a polite live region, so screen readers
// hear that suggestions appeared without losing their place.

const DELAY_MS = 400;
const MIN_LENGTH = 4;

function render(region, ideas) {
  region.replaceChildren();
  region.classList.toggle("govuk-inset-text", ideas.length > 0);
  if (!ideas.length) return;
  const heading = document.createElement("h2");
  heading.className = "govuk-heading-s";
  heading.textContent = ideas.length === 1 ? "1 similar idea already posted" : `${ideas.length} similar ideas already posted`;
  const hint = document.createElement("p");
  hint.className = "govuk-body-s";
  hint.textContent = "If one of these is your idea, support it instead of posting a new one.";
  const list = document.createElement("ul");
  list.className = "govuk-list";
  for (const idea of ideas) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = idea.url;
    link.textContent = idea.title;
    item.append(link, document.createTextNode(`: ${idea.summary}`));
    list.append(item);
  }
  region.append(heading, hint, list);
}

export function initSimilarIdeas(root = document) {
  const region = root.querySelector("[data-similar-ideas-endpoint]");
  const title = root.querySelector("#title");
  if (!region || !title) return;
  // Suggestions belong next to the field they answer.
  title.closest(".govuk-form-group")?.after(region);
  let timer = null;
  let controller = null;
  let lastAsked = "";
  const ask = async () => {
    const text = title.value.trim();
    if (text.length < MIN_LENGTH || text === lastAsked) return;
    lastAsked = text;
    controller?.abort();
    controller = new AbortController();
    const url = new URL(region.dataset.similarIdeasEndpoint, window.location.href);
    url.searchParams.set("title", text);
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (response.ok) render(region, await response.json());
    } catch (error) {
      if (error.name !== "AbortError") region.replaceChildren();
    }
  };
  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
}
