/*
 * A hotspot's page: its point on a small map, its activity per week (map/data/weekly/), and from
 * the API its timeline (updates and operation reports merged, newest first, page by page) and the
 * training held there. What the API answers is what the reader may see.
 */

import { getJSON, withParams } from "../../portal/js/api.js";
import { barChart } from "../../portal/js/charts.js";
import { clear, el, readJSON } from "../../portal/js/dom.js";
import { fmt, formatDateTime, formatDay, formatNumber, gettext } from "../../portal/js/i18n.js";
import { markerStyle } from "./markers.js";

const L = window.L;
const config = readJSON("hotspot-config");
const labels = config.labels;
const $ = (id) => document.getElementById(id);
const PAGE = 20;

export const KIND_SERIES_COLOURS = {
  security_operation: "#1f5f8b",
  deployment: "#b86e00",
  training: "#007a5a",
  incident: "#b3261e",
  humanitarian: "#7a4fa0",
  statement: "#5f6b76",
};

function label(group, value) {
  return (labels[group] && labels[group][value]) || value;
}

// -- the small map -----------------------------------------------------------------------------------

window.addEventListener("map:init", (event) => {
  if (event.detail.id !== "hotspot-map" || !config.point) {
    return;
  }
  const map = event.detail.map;
  const row = { kind: config.kind, confidence: config.confidence, updates: 1, reports: 0 };
  L.circleMarker(config.point, { ...markerStyle(row, 1), radius: 10 })
    .bindTooltip(el("span", {}, config.name)) // an element: Leaflet reads a string as HTML
    .addTo(map);
  map.setView(config.point, config.confidence === "low" ? 12 : 14, { animate: false });
});

// -- activity per week -------------------------------------------------------------------------------

function weeklyTable(data) {
  const kinds = Object.keys(data.updates);
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, gettext("Week of")),
    kinds.map((k) => el("th", { scope: "col", class: "num" }, label("update_kind", k))),
    el("th", { scope: "col", class: "num" }, gettext("Reports")),
  );
  const body = data.weeks
    .map((week, i) => ({ week, i, total: kinds.reduce((s, k) => s + data.updates[k][i], 0) + data.reports[i] }))
    .filter((row) => row.total > 0)
    .map(({ week, i }) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, formatDay(week)),
        kinds.map((k) => el("td", { class: "num" }, formatNumber(data.updates[k][i]))),
        el("td", { class: "num" }, formatNumber(data.reports[i])),
      ),
    );
  return el("table", { class: "data" }, el("thead", {}, head), el("tbody", {}, body));
}

async function loadWeekly() {
  const since = new Date(Date.now() - 364 * 86400000);
  const url = withParams(config.urls.weekly, { hotspot: config.slug, published_after: since.toISOString() });
  try {
    const { data } = await getJSON(url);
    const chart = $("weekly-chart");
    if (!data.weeks.length) {
      chart.replaceChildren(el("p", { class: "muted" }, gettext("No updates or reports in the last 52 weeks.")));
      return;
    }
    const series = Object.entries(data.updates).map(([kind, values]) => ({
      name: label("update_kind", kind),
      color: KIND_SERIES_COLOURS[kind] || "#555555",
      values,
    }));
    series.push({ name: gettext("Operation reports"), color: "#2e2e2e", values: data.reports });
    barChart(chart, {
      categories: data.weeks,
      series,
      title: fmt(gettext("Activity per week at %(place)s"), { place: config.name }),
      description: gettext("Updates per week by kind, and operation reports, stacked."),
      labelOf: (w) => formatDay(w, { day: "numeric", month: "short" }),
      height: 220,
    });
    $("weekly-table").replaceChildren(weeklyTable(data));
  } catch (error) {
    $("weekly-chart").replaceChildren(el("p", { class: "error" }, gettext("The activity could not be loaded.")));
  }
}

// -- the timeline: updates and reports merged ------------------------------------------------------------

function updateEntry(update) {
  const post = update.post || {};
  return el(
    "li",
    { class: "timeline-entry is-update", dataset: { kind: update.kind } },
    el(
      "p",
      { class: "meta" },
      el("time", { datetime: update.published_at }, formatDateTime(update.published_at)),
      " · ",
      el("span", { class: "badge" }, label("update_kind", update.kind)),
      update.review_state !== "auto" ? " · " + label("review_state", update.review_state) : "",
    ),
    el("p", { class: "post-text" }, post.text || ""),
    el(
      "p",
      { class: "meta" },
      post.source || "",
      post.url ? " · " : "",
      post.url ? el("a", { href: post.url, target: "_blank", rel: "noopener noreferrer" }, gettext("Original post")) : null,
    ),
  );
}

function reportEntry(report) {
  const figures = [
    ["personnel_deployed", gettext("personnel deployed")],
    ["arrests", gettext("arrests")],
    ["weapons_seized", gettext("weapons seized")],
  ]
    .filter(([name]) => report[name])
    .map(([name, text]) => `${formatNumber(report[name])} ${text}`);
  return el(
    "li",
    { class: "timeline-entry is-report" },
    el(
      "p",
      { class: "meta" },
      el("time", { datetime: report.started_at }, formatDateTime(report.started_at)),
      " · ",
      el("span", { class: "badge badge-report" }, gettext("Operation report")),
      " · ",
      label("operation_kind", report.operation_kind),
      " · ",
      label("report_status", report.status),
    ),
    el("p", {}, el("strong", {}, report.reference || ""), " ", report.title || ""),
    report.summary ? el("p", { class: "post-text" }, report.summary) : null,
    figures.length ? el("p", { class: "meta" }, figures.join(" · ")) : null,
  );
}

const streams = [
  { url: withParams(config.urls.updates, { hotspot: config.slug, page_size: PAGE }), field: "published_at", render: updateEntry, buffer: [], done: false },
  { url: withParams(config.urls.reports, { hotspot: config.slug, page_size: PAGE }), field: "started_at", render: reportEntry, buffer: [], done: false },
];

async function fill(stream) {
  if (stream.done || stream.buffer.length >= PAGE) {
    return;
  }
  const { data } = await getJSON(stream.url);
  stream.buffer.push(...data.results);
  stream.url = data.next;
  stream.done = !data.next;
}

async function showMore(first) {
  const list = $("timeline");
  const button = $("timeline-more");
  button.disabled = true;
  try {
    await Promise.all(streams.map(fill));
    if (first) {
      clear(list);
    }
    let shown = 0;
    let firstNew = null;
    while (shown < PAGE) {
      // The newest head, once every stream that may still have newer entries has one loaded.
      if (streams.some((s) => !s.done && s.buffer.length === 0)) {
        break;
      }
      const live = streams.filter((s) => s.buffer.length);
      if (!live.length) {
        break;
      }
      const next = live.reduce((a, b) => ((a.buffer[0][a.field] || "") >= (b.buffer[0][b.field] || "") ? a : b));
      const item = next.render(next.buffer.shift());
      firstNew = firstNew || item;
      list.append(item);
      shown += 1;
    }
    if (first && !list.children.length) {
      list.append(el("li", { class: "muted" }, gettext("No updates or reports about this hotspot yet.")));
    }
    button.hidden = streams.every((s) => s.done && !s.buffer.length);
    if (!first && firstNew) {
      firstNew.setAttribute("tabindex", "-1");
      firstNew.focus();
    }
  } catch (error) {
    list.append(el("li", { class: "error" }, gettext("The timeline could not be loaded.")));
  } finally {
    button.disabled = false;
  }
}

// -- training ------------------------------------------------------------------------------------------

async function loadTraining() {
  const box = $("training");
  try {
    const { data } = await getJSON(withParams(config.urls.training, { hotspot: config.slug, page_size: 100 }));
    if (!data.results.length) {
      box.replaceChildren(el("p", { class: "muted" }, gettext("No training recorded here.")));
      return;
    }
    const rows = data.results.map((r) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, r.course),
        el("td", {}, label("training_topic", r.topic)),
        el("td", {}, formatDay(r.starts_on) + (r.ends_on ? " – " + formatDay(r.ends_on) : "")),
        el("td", { class: "num" }, formatNumber(r.trainees_total)),
        el("td", { class: "num" }, formatNumber(r.trainees_women)),
        el("td", {}, label("training_status", r.status)),
        el("td", {}, (r.providing_contingents || []).join(", ")),
      ),
    );
    const head = el(
      "tr",
      {},
      [gettext("Course"), gettext("Topic"), gettext("Dates"), gettext("Trainees"), gettext("Women"), gettext("Status"), gettext("Contingents")].map((text, i) =>
        el("th", { scope: "col", class: i === 3 || i === 4 ? "num" : null }, text),
      ),
    );
    box.replaceChildren(el("table", { class: "data", id: "training-table" }, el("thead", {}, head), el("tbody", {}, rows)));
  } catch (error) {
    box.replaceChildren(el("p", { class: "error" }, gettext("The training records could not be loaded.")));
  }
}

$("timeline-more").addEventListener("click", () => showMore(false));
loadWeekly();
showMore(true);
loadTraining();
