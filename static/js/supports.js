// Support an idea without leaving the page.
//
// Progressive enhancement of templates/supports/_button.html: without
// JavaScript the form POSTs and the page comes back with a message. Here the
// same POST goes through fetch (with the form's CSRF token in the X-CSRFToken
// header, which Flask-WTF accepts), and the count, the button and the
// "supports left" line change in place. The result is written into a polite
// live region, so screen readers announce it; focus stays on the button.

function plural(count, word) {
  return `${count.toLocaleString("en-GB")} ${word}${count === 1 ? "" : "s"}`;
}

function leftText(left, limit) {
  if (left > 0) return `You have ${left} of ${limit} supports left in this challenge.`;
  return limit === 1
    ? "You have used your 1 support in this challenge."
    : `You have used all ${limit} of your supports in this challenge.`;
}

function show(box, form, state) {
  const button = form.querySelector("button[type=submit]");
  form.dataset.supported = state.supported ? "true" : "false";
  form.action = state.supported ? form.dataset.withdrawUrl : form.dataset.supportUrl;
  button.textContent = state.supported ? "Withdraw your support" : "Support this idea";
  button.classList.toggle("govuk-button--secondary", state.supported);
  const count = box.querySelector("[data-support-count]");
  if (count && Number.isInteger(state.supports_count)) count.textContent = plural(state.supports_count, "support");
  const left = box.querySelector("[data-support-left]");
  if (left && Number.isInteger(state.supports_left) && Number.isInteger(state.supports_limit)) {
    left.textContent = leftText(state.supports_left, state.supports_limit);
  }
}

async function send(box, form, status) {
  const token = form.querySelector("input[name=csrf_token]")?.value || "";
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "fetch", "X-CSRFToken": token },
    });
  } catch {
    status.textContent = "Your support could not be sent. Check your connection and try again.";
    return;
  }
  const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
  if (!isJson) {
    // An expired form (400), too many clicks (429) or a server fault: say so plainly.
    status.textContent = response.status === 429
      ? "Too many attempts. Wait a minute, then try again."
      : response.status === 400
        ? "This page has expired. Refresh the page and try again."
        : "Sorry, there is a problem with the service. Try again later.";
    return;
  }
  const state = await response.json();
  if (typeof state.supported === "boolean") show(box, form, state);
  status.textContent = state.message || "";
}

export function initSupports(root = document) {
  for (const box of root.querySelectorAll(".genius-support")) {
    const form = box.querySelector("form[data-support-form]");
    const status = box.querySelector("[data-support-status]");
    if (!form || !status) continue;
    let busy = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // A second press while the first is on its way is ignored (the server would count it once anyway).
      if (busy) return;
      busy = true;
      form.setAttribute("aria-busy", "true");
      // Clear first, so the same message twice in a row is still announced.
      status.textContent = "";
      try {
        await send(box, form, status);
      } finally {
        busy = false;
        form.removeAttribute("aria-busy");
      }
    });
  }
}
