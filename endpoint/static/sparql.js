// The SPARQL query page: editor, examples, URL state, history, short links, and the result views
// (table with paging, sorting and a filter; bar/line/pie charts; a map; readable Turtle).
// Every value from the store is put into the page with textContent (never innerHTML), so a
// literal such as "<script>" shows as text. Every string shown comes from config.t (the page's
// language, endpoint/templates/messages.json).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const $ = (id) => document.getElementById(id);
  const form = $("query-form"), status = $("status"), results = $("results"), errorBox = $("error");
  const notice = $("notice"), downloads = $("downloads"), downloadLinks = $("download-links");
  const textarea = $("query"), viewsBar = $("views");
  const PAGE_SIZE = 100, HISTORY_KEY = "kg-sparql-history", HISTORY_MAX = 30;
  const VIEWS = ["table", "bar", "line", "pie", "map"];
  const EXTENSIONS = { srj: "json", srx: "xml" };

  function T(key, params) {
    let text = config.t[key] || key;
    for (const [k, v] of Object.entries(params || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  }

  let editor = { getValue: () => textarea.value, setValue: (t) => { textarea.value = t; }, markError: () => {} };
  if (window.KGEditor && typeof window.KGEditor.create === "function") {
    const holder = $("editor");
    const initial = textarea.value;
    holder.textContent = "";
    editor = window.KGEditor.create(holder, initial, () => run(), config.completions);
    holder.dataset.ready = "codemirror";
  } else {
    textarea.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  }

  let view = VIEWS.includes(config.view) ? config.view : "table";
  let current = null; // the last answer: {kind, vars, bindings, labels} or {kind: "graph", text}
  const initialQuery = textarea.value;

  // --- the URL: query and view, restored on Back and reload ---------------------------------
  function pageUrl(query, chosenView) {
    const params = new URLSearchParams();
    if (query) params.set("query", query);
    if (chosenView && chosenView !== "table") params.set("view", chosenView);
    if (config.explicitLang) params.set("lang", config.lang);
    const qs = params.toString();
    return config.endpoint + (qs ? "?" + qs : "");
  }
  // The language switch of the site's header keeps the query and the view too.
  const switchLink = document.querySelector("a.lang[hreflang]");
  function updateSwitch(query) {
    if (!switchLink) return;
    const params = new URLSearchParams({ query });
    if (view !== "table") params.set("view", view);
    params.set("lang", switchLink.getAttribute("hreflang"));
    switchLink.href = config.endpoint + "?" + params.toString();
  }
  function remember(query, replace) {
    updateSwitch(query);
    const url = pageUrl(query, view);
    if (url === location.pathname + location.search) return;
    if (replace) history.replaceState({ query, view }, "", url);
    else history.pushState({ query, view }, "", url);
  }
  window.addEventListener("popstate", () => {
    const params = new URLSearchParams(location.search);
    const query = params.get("query");
    view = VIEWS.includes(params.get("view")) ? params.get("view") : "table";
    editor.setValue(query || initialQuery);
    if (query) run(null, true); else { results.textContent = ""; downloads.hidden = true; viewsBar.hidden = true; }
  });

  // --- examples -------------------------------------------------------------------------------
  const byName = Object.fromEntries(config.examples.map((ex) => [ex.name, ex]));
  $("examples").addEventListener("change", (e) => {
    const ex = byName[e.target.value];
    if (!ex) return;
    editor.setValue(ex.query);
    $("example-description").textContent = ex.description;
    run();
  });

  // --- history (this browser only) -------------------------------------------------------------
  function loadHistory() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveHistory(query) {
    const items = loadHistory().filter((item) => item.query !== query);
    items.unshift({ query, at: new Date().toISOString() });
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_MAX))); } catch (e) { /* storage full or off */ }
    showHistory();
  }
  function showHistory() {
    const list = $("history-list"), items = loadHistory();
    list.textContent = "";
    for (const item of items) {
      const li = el("li");
      const b = el("button", item.query.replace(/\s+/g, " ").trim().slice(0, 140), "link");
      b.type = "button";
      b.title = item.query;
      b.addEventListener("click", () => { editor.setValue(item.query); run(); });
      li.appendChild(b);
      li.appendChild(el("time", new Date(item.at).toLocaleString(config.lang), "when"));
      list.appendChild(li);
    }
    $("history-empty").hidden = items.length > 0;
    $("history-clear").hidden = items.length === 0;
  }
  $("history-clear").addEventListener("click", () => { localStorage.removeItem(HISTORY_KEY); showHistory(); });
  showHistory();

  // --- tabs: several queries side by side (this browser's storage) ----------------------------------
  const TABS_KEY = "kg-sparql-tabs", tabBar = $("tabs");
  let tabs, active;
  try { ({ tabs, active } = JSON.parse(localStorage.getItem(TABS_KEY) || "null") || {}); } catch (e) { tabs = null; }
  if (!Array.isArray(tabs) || !tabs.length) { tabs = [{ query: initialQuery }]; active = 0; }
  active = Math.min(Math.max(Number(active) || 0, 0), tabs.length - 1);
  if (config.autorun || !tabs[active].query) tabs[active].query = initialQuery; // a query in the URL goes to the open tab
  else editor.setValue(tabs[active].query);
  function saveTabs() {
    tabs[active].query = editor.getValue();
    try { localStorage.setItem(TABS_KEY, JSON.stringify({ tabs, active })); } catch (e) { /* storage full or off */ }
  }
  function switchTab(i) {
    saveTabs();
    active = i;
    editor.setValue(tabs[i].query);
    current = null; results.textContent = ""; downloads.hidden = true; viewsBar.hidden = true; errorBox.hidden = true;
    status.textContent = ""; delete status.dataset.rows;
    saveTabs();
    showTabs();
    remember(tabs[i].query, true);
  }
  function showTabs() {
    tabBar.textContent = "";
    tabs.forEach((tab, i) => {
      const b = el("button", T("tab", { n: i + 1 }), i === active ? "tab active" : "tab");
      b.type = "button"; b.setAttribute("role", "tab"); b.setAttribute("aria-selected", String(i === active));
      b.addEventListener("click", () => { if (i !== active) switchTab(i); });
      tabBar.appendChild(b);
      if (tabs.length > 1 && i === active) {
        const x = el("button", "×", "tab-close");
        x.type = "button"; x.title = T("close_tab"); x.setAttribute("aria-label", T("close_tab"));
        x.addEventListener("click", () => { tabs.splice(i, 1); active = Math.max(i - 1, 0); editor.setValue(tabs[active].query); saveTabs(); showTabs(); });
        tabBar.appendChild(x);
      }
    });
    const add = el("button", "+", "tab-new");
    add.type = "button"; add.title = T("new_tab"); add.setAttribute("aria-label", T("new_tab"));
    add.addEventListener("click", () => { saveTabs(); tabs.push({ query: config.firstQuery }); switchTab(tabs.length - 1); });
    tabBar.appendChild(add);
  }
  window.addEventListener("pagehide", saveTabs);
  showTabs();

  // --- share: a short link served by this application ------------------------------------------
  $("share").addEventListener("click", async () => {
    const query = editor.getValue();
    try {
      const r = await fetch(config.links, { method: "POST", headers: { "Content-Type": "application/sparql-query" }, body: query });
      if (!r.ok) throw new Error(String(r.status));
      const link = await r.json();
      const extra = new URLSearchParams();
      if (view !== "table") extra.set("view", view);
      if (config.explicitLang) extra.set("lang", config.lang);
      const url = link.url + (extra.toString() ? "?" + extra.toString() : "");
      $("share-url").value = url;
      $("share-box").hidden = false;
      $("share-url").select();
      try { await navigator.clipboard.writeText(url); status.textContent = T("copied"); } catch (e) { /* no clipboard: the field shows it */ }
    } catch (e) {
      showError(T("network"));
    }
  });

  // --- format: one clause per line, indented by braces ----------------------------------------
  $("format").addEventListener("click", () => {
    let depth = 0;
    const out = [];
    for (const raw of editor.getValue().split("\n")) {
      const line = raw.trim();
      if (!line) { if (out.length && out[out.length - 1] !== "") out.push(""); continue; }
      const code = line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|<[^>\s]*>|#.*$/g, "");
      const opens = (code.match(/[{(]/g) || []).length, closes = (code.match(/[})]/g) || []).length;
      const lead = /^[})]/.test(line) ? 1 : 0;
      out.push("  ".repeat(Math.max(depth - lead, 0)) + line);
      depth = Math.max(depth + opens - closes, 0);
    }
    editor.setValue(out.join("\n").replace(/\n+$/, "") + "\n");
  });

  // --- helpers ----------------------------------------------------------------------------------
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function compact(iri) {
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }
  // Links to our own things go to this server's pages (in the page's language); others to the IRI.
  function href(iri) {
    if (iri.startsWith(config.base + "/")) {
      const local = iri.slice(config.base.length);
      return config.explicitLang ? local + (local.includes("?") ? "&" : "?") + "lang=" + config.lang : local;
    }
    return /^https?:\/\//.test(iri) ? iri : null;
  }
  function iriLink(iri, text) {
    const target = href(iri);
    const a = el(target ? "a" : "span", text);
    if (target) { a.href = target; if (!target.startsWith("/")) a.rel = "noopener"; }
    a.title = iri;
    return a;
  }
  function showError(text, status) {
    errorBox.textContent = "";
    if (status) errorBox.appendChild(el("strong", T("error", { status }) + ": "));
    errorBox.appendChild(document.createTextNode(text));
    errorBox.hidden = false;
  }
  function termText(term, labels) {
    if (!term) return "";
    if (term.type === "uri") return labels.get(term.value) || compact(term.value);
    return term.value;
  }
  function numeric(term) {
    return term && (term.type === "literal" || term.type === "typed-literal") && term.value !== "" && !isNaN(Number(term.value));
  }

  // --- the table: paging, sorting, filter --------------------------------------------------------
  function cell(term, labels) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const label = labels.get(term.value);
      td.appendChild(iriLink(term.value, label || compact(term.value)));
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

  function drawTable(answer) {
    const state = { page: 0, sortBy: null, descending: false, filter: "" };
    const box = el("div", null, "table-view");
    const tools = el("div", null, "table-tools");
    const filter = el("input");
    filter.type = "search"; filter.placeholder = T("filter"); filter.setAttribute("aria-label", T("filter")); filter.id = "result-filter";
    tools.appendChild(filter);
    const pager = el("span", null, "pager");
    tools.appendChild(pager);
    box.appendChild(tools);
    const hint = el("p", T("swipe"), "swipe-hint");
    hint.hidden = true;
    box.appendChild(hint);
    const scroller = el("div", null, "table-scroll");
    box.appendChild(scroller);
    const texts = answer.bindings.map((row) => answer.vars.map((v) => termText(row[v], answer.labels).toLowerCase()).join("\t"));
    const order = answer.bindings.map((_, i) => i);

    function rows() {
      let idx = order;
      if (state.filter) idx = idx.filter((i) => texts[i].includes(state.filter));
      if (state.sortBy !== null) {
        const v = state.sortBy, sign = state.descending ? -1 : 1;
        idx = idx.slice().sort((a, b) => {
          const x = answer.bindings[a][v], y = answer.bindings[b][v];
          if (numeric(x) && numeric(y)) return sign * (Number(x.value) - Number(y.value));
          return sign * termText(x, answer.labels).localeCompare(termText(y, answer.labels), config.lang);
        });
      }
      return idx;
    }
    function draw() {
      const idx = rows();
      const pages = Math.max(Math.ceil(idx.length / PAGE_SIZE), 1);
      state.page = Math.min(state.page, pages - 1);
      const table = el("table", null, "results-table");
      const head = table.createTHead().insertRow();
      head.appendChild(el("th", "#"));
      for (const v of answer.vars) {
        const th = el("th");
        const b = el("button", "?" + v + (state.sortBy === v ? (state.descending ? " ▼" : " ▲") : ""), "sort");
        b.type = "button"; b.title = T("sort");
        b.addEventListener("click", () => {
          state.descending = state.sortBy === v ? !state.descending : false;
          state.sortBy = v; draw();
        });
        th.appendChild(b);
        head.appendChild(th);
      }
      const body = table.createTBody();
      for (const i of idx.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE)) {
        const tr = body.insertRow();
        tr.appendChild(el("td", String(i + 1), "num"));
        for (const v of answer.vars) tr.appendChild(cell(answer.bindings[i][v], answer.labels));
      }
      scroller.textContent = "";
      scroller.appendChild(table);
      pager.textContent = "";
      if (pages > 1) {
        const prev = el("button", T("previous"), "secondary"), next = el("button", T("next"), "secondary");
        prev.type = next.type = "button";
        prev.disabled = state.page === 0; next.disabled = state.page === pages - 1;
        prev.addEventListener("click", () => { state.page -= 1; draw(); });
        next.addEventListener("click", () => { state.page += 1; draw(); });
        pager.append(prev, el("span", " " + T("page_of", { p: state.page + 1, n: pages }) + " "), next);
      }
      hint.hidden = scroller.scrollWidth <= scroller.clientWidth + 2;
    }
    filter.addEventListener("input", () => { state.filter = filter.value.trim().toLowerCase(); state.page = 0; draw(); });
    results.appendChild(box);
    draw();
  }

  // --- charts and the map (the views bundle: chart.js and leaflet, loaded when first needed) -------
  let viewsLoading = null;
  function viewsBundle() {
    if (window.KGViews) return Promise.resolve(window.KGViews);
    if (!viewsLoading) {
      viewsLoading = new Promise((resolve, reject) => {
        const css = document.createElement("link");
        css.rel = "stylesheet"; css.href = "/static/vendor/leaflet.css";
        document.head.appendChild(css);
        const s = document.createElement("script");
        s.src = "/static/vendor/views.js";
        s.onload = () => resolve(window.KGViews);
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return viewsLoading;
  }
  function chartColumns(answer) {
    const valueVar = answer.vars.find((v) => answer.bindings.length && answer.bindings.every((r) => !r[v] || numeric(r[v])) && answer.bindings.some((r) => numeric(r[v])));
    const labelVar = answer.vars.find((v) => v !== valueVar);
    return valueVar && labelVar ? { labelVar, valueVar } : null;
  }
  async function drawChart(answer, type) {
    const cols = chartColumns(answer);
    if (!cols) { results.appendChild(el("p", T("chart_needs"), "notice")); return; }
    const box = el("div", null, "chart-view");
    const canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", T("view_chart") + ": ?" + cols.labelVar + " / ?" + cols.valueVar);
    box.appendChild(canvas);
    results.appendChild(box);
    const rows = answer.bindings.slice(0, 500);
    const views = await viewsBundle();
    views.chart(canvas, type, rows.map((r) => termText(r[cols.labelVar], answer.labels)), rows.map((r) => Number(r[cols.valueVar] ? r[cols.valueVar].value : 0)), "?" + cols.valueVar);
    box.dataset.ready = "1";
  }
  // The municipality outlines (every municipality, those that ended in 2025 too), fetched once from
  // this server: the base map, and the shapes of answer rows that hold a municipality IRI.
  let placesLoading = null;
  function municipalities() {
    if (!placesLoading) {
      placesLoading = fetch(config.municipalities, { headers: { Accept: "application/geo+json" } })
        .then((r) => (r.ok ? r.json() : { features: [] }))
        .catch(() => ({ features: [] }));
    }
    return placesLoading;
  }
  function mapFeatures(answer, byIri) {
    const cols = chartColumns(answer);
    const features = [];
    for (const row of answer.bindings) {
      for (const v of answer.vars) {
        const term = row[v];
        if (!term) continue;
        const label = () => answer.vars.filter((w) => w !== v && row[w]).map((w) => termText(row[w], answer.labels)).join(" · ");
        const value = cols && row[cols.valueVar] && cols.valueVar !== v ? Number(row[cols.valueVar].value) : null;
        if (term.datatype && /wktLiteral$/.test(term.datatype)) {
          features.push({ wkt: term.value, label: label(), value });
        } else if (term.type === "uri" && byIri.has(term.value)) {
          const place = byIri.get(term.value);
          const name = termText(term, answer.labels);
          const rest = label();
          features.push({ geometry: place.geometry, label: rest ? name + " · " + rest : name, value, href: place.properties.document });
        }
      }
    }
    return features;
  }
  async function drawMap(answer) {
    const places = await municipalities();
    const byIri = new Map(places.features.map((f) => [f.id, f]));
    const features = mapFeatures(answer, byIri);
    if (!features.length) { results.appendChild(el("p", T("map_needs"), "notice")); return; }
    const box = el("div", null, "map-view");
    box.id = "map";
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", T("view_map") + ": " + features.length);
    results.appendChild(box);
    const views = await viewsBundle();
    const today = places.features.filter((f) => f.properties.huidig);
    views.map(box, features, today, (href) => { window.location.href = href; });
    box.dataset.ready = "1";
    box.dataset.features = String(features.length);
  }
  function drawView() {
    results.textContent = "";
    for (const b of viewsBar.querySelectorAll("button")) {
      const on = b.dataset.view === "table" ? view === "table" : b.dataset.view === "chart" ? ["bar", "line", "pie"].includes(view) : view === b.dataset.view;
      b.setAttribute("aria-selected", on ? "true" : "false");
    }
    if (!current) return;
    if (current.kind === "graph") { drawTurtle(current.text); return; }
    if (current.kind === "boolean") { results.appendChild(el("p", current.value ? T("true") : T("false"), "boolean")); return; }
    if (["bar", "line", "pie"].includes(view)) {
      const pick = el("div", null, "chart-types");
      for (const type of ["bar", "line", "pie"]) {
        const b = el("button", T("chart_" + type), type === view ? "" : "secondary");
        b.type = "button"; b.dataset.chart = type;
        b.addEventListener("click", () => setView(type));
        pick.appendChild(b);
      }
      results.appendChild(pick);
      drawChart(current, view).catch(() => showError(T("network")));
    } else if (view === "map") {
      drawMap(current).catch(() => showError(T("network")));
    } else {
      drawTable(current);
    }
  }
  function setView(next) {
    view = next;
    remember(editor.getValue(), true);
    drawView();
    updateEmbed();
  }
  for (const b of viewsBar.querySelectorAll("button")) {
    b.addEventListener("click", () => setView(b.dataset.view === "chart" ? "bar" : b.dataset.view));
  }

  // --- CONSTRUCT/DESCRIBE: Turtle with links --------------------------------------------------------
  function drawTurtle(text) {
    const pre = el("pre", null, "graph");
    const pattern = /<([^<>"\s]+)>|(?<![\w"@^])([a-z][\w-]*):([\w-]+(?:\.[\w-]+)*)/g;
    let last = 0, m;
    while ((m = pattern.exec(text)) !== null) {
      pre.appendChild(document.createTextNode(text.slice(last, m.index)));
      const iri = m[1] || (config.prefixes[m[2]] ? config.prefixes[m[2]] + m[3] : null);
      pre.appendChild(iri ? iriLink(iri, m[0]) : document.createTextNode(m[0]));
      last = m.index + m[0].length;
    }
    pre.appendChild(document.createTextNode(text.slice(last)));
    results.appendChild(pre);
  }

  // --- labels of our IRIs, in the page's language ----------------------------------------------------
  async function fetchLabels(bindings) {
    const iris = new Set();
    for (const row of bindings) for (const term of Object.values(row)) {
      if (term.type === "uri" && term.value.startsWith(config.base + "/")) iris.add(term.value);
      if (iris.size >= 300) break;
    }
    const labels = new Map();
    if (!iris.size) return labels;
    const values = Array.from(iris).map((i) => "<" + i + ">").join(" ");
    const lang = config.lang.replace(/[^a-z]/g, "");
    const q = "SELECT ?s (SAMPLE(?own) AS ?a) (SAMPLE(?nl) AS ?b) WHERE { VALUES ?s { " + values + " } " +
      "OPTIONAL { ?s " + config.labelPath + " ?own FILTER(LANG(?own) = '" + lang + "') } " +
      "OPTIONAL { ?s " + config.labelPath + " ?nl FILTER(LANG(?nl) = 'nl' || LANG(?nl) = '') } } GROUP BY ?s";
    try {
      const r = await fetch(config.endpoint, { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" }, body: q });
      if (!r.ok) return labels;
      const data = await r.json();
      for (const b of data.results.bindings) {
        const label = b.a || b.b;
        if (label) labels.set(b.s.value, label.value);
      }
    } catch (e) { /* labels are a nicety: the table works without them */ }
    return labels;
  }

  // --- downloads and the embed snippet -----------------------------------------------------------------
  function showDownloads(query, kind) {
    downloadLinks.textContent = "";
    // The formats and their kind come from the server's one media-type table (kg/media.py).
    for (const f of config.formats.filter((f) => f.kind === (kind === "graph" ? "graph" : "results"))) {
      const a = el("a", f.label);
      a.href = config.endpoint + "?query=" + encodeURIComponent(query) + "&format=" + f.suffix;
      a.setAttribute("download", "resultaat." + (EXTENSIONS[f.suffix] || f.suffix));
      a.dataset.format = f.suffix;
      downloadLinks.appendChild(a);
    }
    downloads.hidden = false;
    updateEmbed();
  }
  function updateEmbed() {
    const src = config.endpointUrl + pageUrl(editor.getValue(), view).slice(config.endpoint.length);
    $("embed-code").value = '<iframe src="' + src.replace(/"/g, "&quot;") + (src.includes("?") ? "&" : "?") + 'embed=1" width="800" height="450" style="border:0" title="SPARQL"></iframe>';
  }
  if (new URLSearchParams(location.search).get("embed") === "1") document.body.classList.add("embedded");

  // The server's short parse error (endpoint/sparql/parse_errors.py) in the page's language.
  function localParseError(detail) {
    const m = /near '(.*)'(?: \(the end of the query\))?: (.*)$/.exec(detail);
    if (!m) return detail;
    const rest = m[2];
    let said;
    const prefix = /^the prefix '([^']*):' is not declared/.exec(rest);
    const expected = /^expected (?:one of )?(.*?)\.$/.exec(rest);
    if (prefix) said = T("prefix_missing", { prefix: prefix[1] });
    else if (/^a query starts with/.test(rest)) said = T("form_expected");
    else if (expected) said = T("expected", { items: expected[1].replace(/, or a term$/, T("or_term")) });
    else said = rest;
    return T("near", { text: m[1] }) + " " + said;
  }

  // --- running a query --------------------------------------------------------------------------------------
  async function run(event, fromHistory) {
    if (event) event.preventDefault();
    const query = editor.getValue();
    errorBox.hidden = true; notice.hidden = true; results.textContent = ""; downloads.hidden = true; viewsBar.hidden = true;
    editor.markError(null);
    current = null;
    status.textContent = T("running");
    delete status.dataset.rows;
    $("run").disabled = true;
    if (!fromHistory) remember(query, false);
    saveHistory(query);
    saveTabs();
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
        const at = /line (\d+), column (\d+)/.exec(detail);
        if (at) {
          editor.markError(Number(at[1]), Number(at[2]), detail);
          showError(T("syntax_at", { line: at[1], column: at[2] }) + " " + localParseError(detail), response.status);
        } else {
          showError(detail, response.status);
        }
        status.textContent = "";
        return;
      }
      const truncated = response.headers.get("X-KG-Truncated");
      const timing = response.headers.get("Server-Timing") || "";
      const serverTiming = timing.match(/dur=([\d.]+)/);
      const again = /^cache;desc="hit"/.test(timing);
      if (truncated) { notice.textContent = T("truncated", { why: truncated }); notice.hidden = false; }
      let count;
      if (type.startsWith("application/sparql-results+json")) {
        const data = await response.json();
        if ("boolean" in data) {
          current = { kind: "boolean", value: data.boolean };
          count = 1;
        } else {
          const bindings = data.results.bindings;
          current = { kind: "results", vars: data.head.vars, bindings, labels: await fetchLabels(bindings) };
          count = bindings.length;
          viewsBar.hidden = false;
        }
        showDownloads(query, "results");
      } else {
        current = { kind: "graph", text: await response.text() };
        count = Number(response.headers.get("X-KG-Rows") || 0);
        showDownloads(query, "graph");
      }
      drawView();
      const ms = elapsed.toFixed(0);
      const server = again ? " (" + T("again") + ")" : serverTiming ? " (" + T("server", { ms: Number(serverTiming[1]).toFixed(1) }) + ")" : "";
      status.textContent = (count === 1 ? T("rows_one", { ms }) : T("rows", { n: count.toLocaleString(config.lang), ms })) + server;
      status.dataset.cached = again ? "1" : "0";
      status.dataset.rows = String(count);
    } catch (e) {
      showError(e instanceof TypeError && /fetch/i.test(String(e.message)) ? T("network") : String(e));
      status.textContent = "";
    } finally {
      $("run").disabled = false;
    }
  }

  form.addEventListener("submit", run);
  if (config.autorun) run(null, true);
  window.kgRunQuery = run;
  window.kgEditor = editor;
})();
