// kvisa page behaviour, loaded as a file so the Content-Security-Policy can forbid
// inline scripts.  Each part looks for its own elements and does nothing elsewhere.
(function () {
  "use strict";

  // Language selector: switch as soon as a language is picked.
  document.querySelectorAll("form.lang select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
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

  // Pathways chart: government fees against days, dot size = odds.
  const svg = document.getElementById("chart");
  const source = document.getElementById("chart-data");
  if (svg && source) {
    const data = JSON.parse(source.textContent).filter((d) => d.days !== null);
    const ns = "http://www.w3.org/2000/svg";
    const maxDays = Math.max(30, ...data.map((d) => d.days));
    const maxCost = Math.max(100, ...data.map((d) => d.usd + d.cny / 7));
    const x = (d) => 60 + 540 * d.days / maxDays;
    const y = (d) => 280 - 240 * (d.usd + d.cny / 7) / maxCost;
    const add = (tag, attrs, text) => {
      const element = document.createElementNS(ns, tag);
      for (const name in attrs) element.setAttribute(name, attrs[name]);
      if (text) element.textContent = text;
      svg.appendChild(element);
      return element;
    };
    add("line", {x1: 60, y1: 280, x2: 610, y2: 280, stroke: "#333"});
    add("line", {x1: 60, y1: 20, x2: 60, y2: 280, stroke: "#333"});
    add("text", {x: 330, y: 310, "text-anchor": "middle"}, svg.dataset.xLabel || "days");
    add("text", {x: 15, y: 150, transform: "rotate(-90 15 150)", "text-anchor": "middle"},
        svg.dataset.yLabel || "fees (USD eq.)");
    const chinese = document.documentElement.lang === "zh-hans";
    for (const d of data) {
      const colour = d.verdict === "eligible" ? "#1a7f37"
        : d.verdict === "not_eligible" ? "#b42318" : "#9a6700";
      add("circle", {cx: x(d), cy: y(d), r: d.odds ? 6 + 14 * d.odds : 6, fill: colour,
                     "fill-opacity": 0.7});
      add("text", {x: x(d) + 8, y: y(d) - 8, "font-size": 11}, chinese ? d.name_zh : d.name);
    }
  }
})();
