// kvisa page behaviour, loaded as a file so the Content-Security-Policy can forbid
// inline scripts.  Each part looks for its own elements and does nothing elsewhere.
(function () {
  "use strict";

  // Language selector: switch as soon as a language is picked.
  document.querySelectorAll("form.lang select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // A slow action (approve and issue): say that it is working, and keep a second
  // click from sending it again (the server refuses a repeat anyway: one effect).
  document.querySelectorAll("form[data-busy]").forEach((busyForm) => {
    busyForm.addEventListener("submit", () => {
      const status = busyForm.querySelector(".busy");
      if (status) status.textContent = busyForm.dataset.busy;
      busyForm.querySelectorAll("button[type=submit]").forEach((button) => {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  // Application form: keep typed work in this browser until the server has it,
  // so a session time-out or a lost connection never loses it.
  const form = document.getElementById("draft");
  if (form && form.dataset.draftKey) {
    const key = form.dataset.draftKey;
    const serverVersion = Number(form.dataset.version);
    const snapshot = () => Object.fromEntries(new FormData(form).entries());
    const stored = JSON.parse(localStorage.getItem(key) || "null");
    if (stored && stored.version >= serverVersion) {
      for (const [name, value] of Object.entries(stored.values)) {
        const field = form.elements.namedItem(name);
        if (field && name !== "csrfmiddlewaretoken" && field.value !== value) field.value = value;
      }
      // htmx sets itself up on DOMContentLoaded: save after that
      window.addEventListener("load", () => htmx.trigger(form, "change"));
    }
    const keep = () => localStorage.setItem(key, JSON.stringify(
      {version: serverVersion, values: snapshot()}));
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    document.body.addEventListener("htmx:afterRequest", (event) => {
      const ok = event.detail.successful;
      document.getElementById("session-lost").hidden = ok;
      if (ok) localStorage.removeItem(key);
    });
  }
})();
