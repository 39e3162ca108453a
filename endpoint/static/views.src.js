// Entry point of the result-views bundle (npm run build → endpoint/static/vendor/views.js, global
// KGViews), loaded by the query page only when a chart or the map is first shown.
// Charts: Chart.js (bar, line, pie from a column of names and a column of numbers).
// Map: Leaflet without any tile server (nothing is fetched from elsewhere): the geometries of the
// answer (geo:wktLiteral values, and the outlines of municipality IRIs) are drawn over today's
// municipality outlines, served by this app (/gemeenten?format=geojson), as the base map.
import { Chart, BarController, LineController, PieController, BarElement, LineElement, PointElement, ArcElement,
  CategoryScale, LinearScale, Tooltip, Legend } from "chart.js";
import L from "leaflet";

Chart.register(BarController, LineController, PieController, BarElement, LineElement, PointElement, ArcElement,
  CategoryScale, LinearScale, Tooltip, Legend);

const COLOURS = ["#00735c", "#e07b00", "#3b6fb6", "#a1262b", "#7a5195", "#5c8a00", "#c2185b", "#00838f", "#8d6e63", "#546e7a"];

export function chart(canvas, type, labels, values, name) {
  const existing = Chart.getChart(canvas);
  if (existing) existing.destroy();
  return new Chart(canvas, {
    type,
    data: { labels, datasets: [{ label: name, data: values,
      backgroundColor: type === "pie" ? labels.map((_, i) => COLOURS[i % COLOURS.length]) : COLOURS[0],
      borderColor: type === "line" ? COLOURS[0] : "#fff" }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: type === "pie" } } },
  });
}

// --- WKT (Simple Features) → GeoJSON geometry: POINT, LINESTRING, POLYGON and their MULTI forms ---
function parseWkt(text) {
  let s = text.trim().replace(/^<[^>]*>\s*/, ""); // an optional CRS IRI first (GeoSPARQL)
  const m = /^(MULTIPOLYGON|POLYGON|MULTILINESTRING|LINESTRING|MULTIPOINT|POINT)\s*(?:Z|M|ZM)?\s*(\(.*\))\s*$/is.exec(s);
  if (!m) return null;
  const json = m[2].replace(/\(/g, "[").replace(/\)/g, "]")
    .replace(/(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)(?:\s+-?[\d.eE+-]+)*/g, "[$1,$2]");
  let coords;
  try { coords = JSON.parse(json); } catch (e) { return null; }
  const kind = m[1].toUpperCase();
  const types = { POINT: "Point", LINESTRING: "LineString", POLYGON: "Polygon", MULTIPOINT: "MultiPoint",
    MULTILINESTRING: "MultiLineString", MULTIPOLYGON: "MultiPolygon" };
  if (kind === "POINT") coords = coords[0];
  if (kind === "MULTIPOINT") coords = coords.map((c) => (Array.isArray(c[0]) ? c[0] : c));
  return { type: types[kind], coordinates: coords };
}

// The features of the answer (a WKT literal, or the GeoJSON geometry of a municipality IRI) over the
// outlines of today's municipalities as the base map. With a column of numbers the shapes are shaded
// by it (darker is more); a click on a municipality opens its page.
export function map(element, features, base, open) {
  const values = features.map((f) => f.value).filter((v) => typeof v === "number" && !Number.isNaN(v));
  const top = values.length ? Math.max(...values) : 0;
  const shade = (v) => (top > 0 && typeof v === "number" ? 0.2 + 0.65 * (v / top) : 0.35);
  const outlines = L.geoJSON(base || [], {
    style: () => ({ color: "#9aa5a0", weight: 0.6, fillColor: "#f4f6f5", fillOpacity: 1 }),
    interactive: false,
  });
  const layer = L.geoJSON(null, {
    style: (feature) => ({ color: "#00735c", weight: 1.2, fillColor: "#00735c", fillOpacity: shade(feature.properties.value) }),
    pointToLayer: (_, latlng) => L.circleMarker(latlng, { radius: 6, color: "#00735c", fillOpacity: 0.7 }),
    onEachFeature: (feature, l) => {
      if (feature.properties.label) l.bindTooltip(feature.properties.label);
      if (feature.properties.href && open) l.on("click", () => open(feature.properties.href));
    },
  });
  for (const f of features) {
    const geometry = f.geometry || parseWkt(f.wkt);
    if (geometry) layer.addData({ type: "Feature", geometry, properties: { label: f.label, value: f.value, href: f.href } });
  }
  // The view first (Leaflet draws layers relative to it), then the layers: outlines under the answer.
  const m = L.map(element, { attributionControl: false, preferCanvas: false });
  const bounds = layer.getBounds();
  if (bounds.isValid()) m.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
  else m.setView([51.0, 4.4], 8);
  outlines.addTo(m);
  layer.addTo(m);
  return m;
}
