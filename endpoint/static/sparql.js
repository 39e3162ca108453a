// The SPARQL query page: editor, example menu, results table with labelled links, downloads.
// Every value from the store is put into the page with textContent (never innerHTML), so a
// literal such as "<script>" shows as text.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const $ = (id) => document.getElementById(id);
  const form = $("query-form"), status = $("status"), results = $("results"), errorBox = $("error");
  const notice = $("notice"), downloads = $("downloads"), downloadLinks = $("download-links");
  const textarea = $("query");

  let editor = { getValue: () => textarea.value, setValue: (t) => { textarea.value = t; } };
  if (window.KGEditor && typeof window.KGEditor.create === "function") {
    const holder = $("editor");
    const initial = textarea.value;
    holder.textContent = "";
    editor = window.KGEditor.create(holder, initial, () => run());
    holder.dataset.ready = "codemirror";
  } else {
    textarea.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  }

  // Example menu.
  const byName = Object.fromEntries(config.examples.map((ex) => [ex.name, ex]));
  $("examples").addEventListener("change", (e) => {
    const ex = byName[e.target.value];
    if (!ex) return;
    editor.setValue(ex.query);
    $("example-description").textContent = ex.description;
    run();
  });

  // Declare the project prefixes a query uses but does not declare.
  function withPrefixes(query) {
    const missing = [];
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      const used = new RegExp("(^|[\\s(,;/|^{}!])" + prefix + ":", "m").test(query.replace(/^\s*PREFIX.*$/gim, ""));
      const declared = new RegExp("PREFIX\\s+" + prefix + "\\s*:", "i").test(query);
      if (used && !declared) missing.push("PREFIX " + prefix + ": <" + ns + ">\n");
    }
    return missing.join("") + query;
  }

  function compact(iri) {
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  // Links to our own things go to this server's pages; others to the IRI itself.
  function href(iri) {
    if (iri.startsWith(config.base + "/")) return iri.slice(config.base.length);
    return /^https?:\/\//.test(iri) ? iri : null;
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function cell(term, labels) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const target = href(term.value);
      const label = labels.get(term.value);
      const a = el(target ? "a" : "span", label || compact(term.value));
      if (target) { a.href = target; if (!target.startsWith("/")) a.rel = "noopener"; }
      a.title = term.value;
      td.appendChild(a);
      if (label) td.appendChild(el("span", compact(term.value), "iri"));
    } else if (term.type === "literal" || term.type === "typed-literal") {
      td.appendChild(el("span", term.value));
      if (term["xml:lang"]) td.appendChild(el("span", "@" + term["xml:lang"], "lang"));
      else if (term.datatype && !term.datatype.endsWith("#string")) td.appendChild(el("span", compact(term.datatype), "dt"));
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "_:" + term.value));
    } else if (term.type === "triple") {
      td.appendChild(el("span", "<< " + JSON.stringify(term.value) + " >>"));
    }
    return td;
  }

  async function fetchLabels(bindings) {
    const iris = new Set();
    for (const row of bindings) for (const term of Object.values(row)) {
      if (term.type === "uri" && term.value.startsWith(config.base + "/")) iris.add(term.value);
      if (iris.size >= 300) break;
    }
    const labels = new Map();
    if (!iris.size) return labels;
    const values = Array.from(iris).map((i) => "<" + i + ">").join(" ");
    const q = "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " + values + " } " +
      "?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?l " +
      "FILTER(LANG(?l) = 'nl' || LANG(?l) = '') } GROUP BY ?s";
    try {
      const r = await fetch(config.endpoint, { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" }, body: q });
      if (!r.ok) return labels;
      const data = await r.json();
      for (const b of data.results.bindings) if (b.label) labels.set(b.s.value, b.label.value);
    } catch (e) { /* labels are a nicety: the table works without them */ }
    return labels;
  }

  function showDownloads(query, kind) {
    downloadLinks.textContent = "";
    // The formats and their kind come from the server's one media-type table (kg/media.py).
    for (const f of config.formats.filter((f) => f.kind === (kind === "graph" ? "graph" : "results"))) {
      const a = el("a", f.label);
      a.href = config.endpoint + "?query=" + encodeURIComponent(query) + "&format=" + f.suffix;
      a.setAttribute("download", "resultaat." + f.suffix);
      a.dataset.format = f.suffix;
      downloadLinks.appendChild(a);
    }
    downloads.hidden = false;
  }

  async function run(event) {
    if (event) event.preventDefault();
    const query = withPrefixes(editor.getValue());
    errorBox.hidden = true; notice.hidden = true; results.textContent = ""; downloads.hidden = true;
    status.textContent = "Bezig… / Running…";
    $("run").disabled = true;
    const started = performance.now();
    try {
      const response = await fetch(config.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query }),
      });
      const elapsed = performance.now() - started;
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        let detail = await response.text();
        try { detail = JSON.parse(detail).detail || detail; } catch (e) { /* plain text */ }
        errorBox.textContent = response.status + ": " + detail;
        errorBox.hidden = false;
        status.textContent = "";
        return;
      }
      const truncated = response.headers.get("X-KG-Truncated");
      const timing = response.headers.get("Server-Timing") || "";
      const serverTiming = timing.match(/dur=([\d.]+)/);
      const fromCache = /^cache;desc="hit"/.test(timing);
      if (truncated) {
        notice.textContent = "Het antwoord is ingekort (" + truncated + "). / The answer was truncated (" + truncated + ").";
        notice.hidden = false;
      }
      let count;
      if (type.startsWith("application/sparql-results+json")) {
        const data = await response.json();
        if ("boolean" in data) {
          results.appendChild(el("p", data.boolean ? "ja / true" : "nee / false", "boolean"));
          count = 1;
        } else {
          const vars = data.head.vars;
          const bindings = data.results.bindings;
          const labels = await fetchLabels(bindings);
          const table = el("table", null, "results-table");
          const head = table.createTHead().insertRow();
          head.appendChild(el("th", "#"));
          for (const v of vars) head.appendChild(el("th", "?" + v));
          const body = table.createTBody();
          bindings.forEach((row, i) => {
            const tr = body.insertRow();
            tr.appendChild(el("td", String(i + 1), "num"));
            for (const v of vars) tr.appendChild(cell(row[v], labels));
          });
          results.appendChild(table);
          count = bindings.length;
        }
        showDownloads(query, "results");
      } else {
        const text = await response.text();
        results.appendChild(el("pre", text, "graph"));
        count = Number(response.headers.get("X-KG-Rows") || 0);
        showDownloads(query, "graph");
      }
      const server = fromCache ? " (uit de cache van deze build / from this build's answer cache)"
        : serverTiming ? " (server " + Number(serverTiming[1]).toFixed(1) + " ms)" : "";
      status.textContent = count + (count === 1 ? " rij / row" : " rijen / rows") + " in " + elapsed.toFixed(0) + " ms" + server;
      status.dataset.rows = String(count);
    } catch (e) {
      errorBox.textContent = String(e);
      errorBox.hidden = false;
      status.textContent = "";
    } finally {
      $("run").disabled = false;
    }
  }

  form.addEventListener("submit", run);
  if (config.autorun) run();
  window.kgRunQuery = run;
})();
