/*
 * The analysts' map (/): hotspots as canvas markers styled by kind and activity, switchable
 * layers (hotspots, activity heat, departments, communes), popups, and the side panel (period,
 * weekly slider, kinds, contingents, place search, the updates in view).
 *
 * Data: the first request is the map's own aggregate, one row per hotspot (map/data/activity/);
 * the updates, reports and hotspot details come from the API, page by page, when asked for.
 * Every minute the aggregate and the first page of updates are asked for again with their ETag:
 * a 304 costs nothing, a change redraws the markers and adds the new updates to the list.
 */

import { getJSON, withParams } from "../../portal/js/api.js";
import { barChart } from "../../portal/js/charts.js";
import { clear, el } from "../../portal/js/dom.js";
import { fmt, formatDateTime, formatDay, formatNumber, gettext, ngettext } from "../../portal/js/i18n.js";
import { HeatLayer } from "./heat.js";
import { PlaceNames } from "./labels.js";
import { activityOf, fillLegend, markerStyle } from "./markers.js";
import { activityUrl, config, firstActivity, initialState, reader } from "./data.js";
import { bounds, filterQuery, reportParams, toQuery, updateParams } from "./state.js";

const L = window.L;
const labels = config.labels;
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const $ = (id) => document.getElementById(id);
// Phones: the panel is a bottom sheet and a hotspot's details open in a sheet of their own.
const phone = window.matchMedia("(max-width: 800px)");
const IN_VIEW_MAX = 30;

const app = {
  map: null,
  state: initialState,
  rows: [],
  bySlug: new Map(),
  markers: new Map(),
  maxActivity: 1,
  placeSlugs: null,
  area: null, // the area chosen in the search: { pcode, name, slugs, layer }
  weeks: [],
  updatesUrl: null,
  nextUpdates: null,
  shownUpdates: new Set(),
  generation: { activity: 0, updates: 0, weekly: 0, places: 0, area: 0 },
};

// -- helpers ---------------------------------------------------------------------------------------

function label(group, value) {
  return (labels[group] && labels[group][value]) || value;
}

function pageUrl(slug) {
  return config.urls.hotspotPage.replace("__slug__", encodeURIComponent(slug));
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), ms);
  };
}

function showError(error) {
  const node = $("map-error");
  node.hidden = false;
  node.textContent = gettext("The map's data could not be loaded. It will be tried again in a minute.");
  window.console.warn(error);
}

function clearError() {
  $("map-error").hidden = true;
}

function syncUrl() {
  const query = toQuery(app.state).toString();
  window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  $("list-link").setAttribute("href", config.urls.list + "?" + filterQuery(app.state).toString());
  syncExports();
  // The header's Map, List and Dashboard links carry the filters (portal/js/portal.js).
  window.dispatchEvent(new CustomEvent("portal:filters"));
}

/* The download links: the updates API's exports of exactly the updates the list shows (filters,
   place or area, and the map's view). No hotspot kept means nothing to download. */
function syncExports() {
  const none = app.placeSlugs !== null && app.placeSlugs.size === 0;
  $("exports").hidden = none;
  if (none || !app.map) {
    return;
  }
  const { page_size: _ignored, ...params } = updateListParams();
  for (const format of ["csv", "geojson", "hxl"]) {
    // Without a page size each format is streamed whole by the API.
    $("export-" + format).setAttribute("href", withParams(config.urls.updates, { ...params, format }));
  }
}

function bboxParam() {
  const b = app.map.getBounds();
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const box = [
    clamp(b.getWest(), -180, 180),
    clamp(b.getSouth(), -90, 90),
    clamp(b.getEast(), -180, 180),
    clamp(b.getNorth(), -90, 90),
  ].map((v) => v.toFixed(4));
  return box[0] < box[2] && box[1] < box[3] ? box.join(",") : null;
}

// -- the side panel's form ---------------------------------------------------------------------------

function readForm() {
  const form = $("filters");
  const data = new FormData(form);
  const period = data.get("period") || "7d";
  const periodChanged = period !== app.state.period;
  app.state.period = period;
  app.state.from = period === "custom" ? data.get("from") || null : null;
  app.state.to = period === "custom" ? data.get("to") || null : null;
  if (app.state.from && app.state.to && app.state.to < app.state.from) {
    [app.state.from, app.state.to] = [app.state.to, app.state.from];
  }
  app.state.kinds = data.getAll("kind");
  app.state.contingents = data.getAll("contingent");
  $("custom-range").hidden = period !== "custom";
  return periodChanged;
}

function wireForm() {
  const form = $("filters");
  $("custom-range").hidden = app.state.period !== "custom";
  const apply = (event) => {
    if (event && event.target && event.target.name === "place") {
      return; // the place search has its own handler
    }
    const periodChanged = readForm();
    if (periodChanged || (event && ["from", "to"].includes(event.target.name))) {
      app.state.week = null;
    }
    reload({ weekly: true });
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    readForm();
    if (!app.area) {
      searchPlaces($("place").value);
    }
    reload({ weekly: true });
  });
  const place = $("place");
  const search = debounce(() => searchPlaces(place.value), 300);
  place.addEventListener("input", () => {
    clearArea();
    search();
  });
  place.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && place.value) {
      place.value = "";
      clearArea();
      searchPlaces("");
    }
  });
}

function reload({ weekly = false } = {}) {
  syncUrl();
  loadActivity();
  loadUpdates();
  if (weekly) {
    loadWeekly();
  }
}

// -- markers -----------------------------------------------------------------------------------------

function toRows(data) {
  const columns = data.columns;
  return data.hotspots.map((values) => {
    const row = {};
    columns.forEach((name, i) => {
      row[name] = values[i];
    });
    row.placed = row.lon !== null && row.lat !== null;
    return row;
  });
}

function isDimmed(row) {
  return app.placeSlugs !== null && !app.placeSlugs.has(row.slug);
}

function drawMarkers() {
  const seen = new Set();
  for (const row of app.rows) {
    if (!row.placed) {
      continue;
    }
    seen.add(row.slug);
    const style = markerStyle(row, app.maxActivity, { dimmed: isDimmed(row) });
    let marker = app.markers.get(row.slug);
    if (!marker) {
      marker = L.circleMarker([row.lat, row.lon], { renderer: app.renderer, ...style });
      marker.slug = row.slug;
      // An element, not a string: Leaflet would read a string as HTML.
      marker.bindTooltip(el("span", {}, row.name), { direction: "top", offset: [0, -6] });
      marker.on("click", () => openHotspot(row.slug, { fly: false }));
      marker.addTo(app.layers.hotspots);
      app.markers.set(row.slug, marker);
    } else {
      marker.setLatLng([row.lat, row.lon]);
      marker.setStyle(style);
      marker.setRadius(style.radius);
      marker.setTooltipContent(el("span", {}, row.name));
    }
  }
  for (const [slug, marker] of app.markers) {
    if (!seen.has(slug)) {
      app.layers.hotspots.removeLayer(marker);
      app.markers.delete(slug);
    }
  }
  app.layers.heat.setPoints(
    app.rows.filter((r) => r.placed && !isDimmed(r)).map((r) => ({ latlng: [r.lat, r.lon], weight: activityOf(r) })),
  );
  drawInView();
  const node = $("map");
  node.dataset.markers = String(app.markers.size);
  // The canvas paints on the next animation frame: then the markers are on screen.
  window.requestAnimationFrame(() =>
    window.requestAnimationFrame(() => {
      node.dataset.state = "ready";
      if (!app.firstDrawn) {
        app.firstDrawn = true;
        window.performance.mark("mss:markers-drawn");
      }
    }),
  );
}

function drawSummary(totals) {
  const placed = totals.placed;
  const unplaced = totals.hotspots - totals.placed;
  const parts = [
    fmt(ngettext("%(count)s hotspot on the map", "%(count)s hotspots on the map", placed), { count: formatNumber(placed) }),
  ];
  if (unplaced) {
    parts.push(fmt(ngettext("%(count)s not placed", "%(count)s not placed", unplaced), { count: formatNumber(unplaced) }));
  }
  parts.push(fmt(ngettext("%(count)s update", "%(count)s updates", totals.updates), { count: formatNumber(totals.updates) }));
  parts.push(fmt(ngettext("%(count)s report", "%(count)s reports", totals.reports), { count: formatNumber(totals.reports) }));
  const summary = $("summary");
  summary.textContent = parts.join(" · ");
  summary.dataset.updates = String(totals.updates);
  summary.dataset.reports = String(totals.reports);
  summary.dataset.hotspots = String(totals.hotspots);
  drawNoneState();
}

/* "Nothing matches", where the reader looks (above the filters): no record in the period, or none
   at the hotspots the search or the area keeps. */
function drawNoneState() {
  const node = $("none-state");
  const summary = $("summary");
  let empty = Number(summary.dataset.updates || 0) + Number(summary.dataset.reports || 0) === 0;
  if (app.placeSlugs !== null) {
    empty = empty || !app.rows.some((r) => app.placeSlugs.has(r.slug) && (r.updates || r.reports));
  }
  node.hidden = !(empty && app.rows.length);
}

function drawUnplaced() {
  const list = clear($("unplaced-list"));
  const rows = app.rows.filter((r) => !r.placed);
  $("unplaced").hidden = rows.length === 0;
  for (const row of rows) {
    list.append(
      el(
        "li",
        { dataset: { slug: row.slug } },
        el("a", { href: pageUrl(row.slug) }, row.name),
        " ",
        el("span", { class: "muted" }, activityText(row)),
      ),
    );
  }
}

function activityText(row) {
  const updates = fmt(ngettext("%(count)s update", "%(count)s updates", row.updates), { count: formatNumber(row.updates) });
  const reports = fmt(ngettext("%(count)s report", "%(count)s reports", row.reports), { count: formatNumber(row.reports) });
  return `${updates}, ${reports}`;
}

function readActivity() {
  return reader.read("activity", activityUrl(app.state));
}

async function loadActivity({ refresh = false, pending = null } = {}) {
  const generation = ++app.generation.activity;
  try {
    const { data, changed } = await (pending || readActivity());
    if (generation !== app.generation.activity) {
      return;
    }
    clearError();
    if (!changed && app.rows.length) {
      drawSummary(data.totals);
      return;
    }
    if (!app.firstDrawn) {
      window.performance.mark("mss:data-ready");
    }
    app.rows = toRows(data);
    app.bySlug = new Map(app.rows.map((r) => [r.slug, r]));
    app.maxActivity = Math.max(1, ...app.rows.map(activityOf));
    drawMarkers();
    drawSummary(data.totals);
    drawUnplaced();
    const kinds = [...new Set(app.rows.map((r) => r.kind))].sort((a, b) =>
      label("hotspot_kind", a).localeCompare(label("hotspot_kind", b)),
    );
    fillLegend($("legend-items"), kinds, labels.hotspot_kind);
    if (refresh) {
      noteRefresh(true);
    }
  } catch (error) {
    showError(error);
  }
}

// -- popups ------------------------------------------------------------------------------------------

function confidenceNote(row) {
  if (row.confidence === "low") {
    return el(
      "p",
      { class: "popup-warning" },
      el("strong", {}, gettext("Low-confidence location.")),
      " ",
      gettext("This point is a fallback (the commune or section), not the site itself."),
    );
  }
  return el("p", { class: "muted" }, gettext("Location:"), " ", label("confidence", row.confidence));
}

function updateItem(update) {
  const post = update.post || {};
  return el(
    "li",
    { class: "popup-update" },
    el(
      "p",
      { class: "meta" },
      el("time", { datetime: update.published_at }, formatDateTime(update.published_at)),
      " · ",
      el("span", { class: "badge" }, label("update_kind", update.kind)),
    ),
    el("p", { class: "post-text" }, post.text || ""),
    post.url
      ? el("p", { class: "meta" }, el("a", { href: post.url, target: "_blank", rel: "noopener noreferrer" }, gettext("Original post")), post.source ? " · " + post.source : "")
      : null,
  );
}

function reportItem(report) {
  return el(
    "li",
    { class: "popup-report" },
    el(
      "p",
      { class: "meta" },
      el("time", { datetime: report.started_at }, formatDateTime(report.started_at)),
      " · ",
      el("span", { class: "badge" }, label("operation_kind", report.operation_kind)),
      " · ",
      label("report_status", report.status),
    ),
    el("p", {}, el("strong", {}, report.reference || ""), " ", report.title || ""),
  );
}

function fillList(list, items, render, emptyText) {
  clear(list);
  if (!items.length) {
    list.append(el("li", { class: "muted" }, emptyText));
    return;
  }
  for (const item of items) {
    list.append(render(item));
  }
}

function popupContent(row, relayout) {
  const aliases = el("p", { class: "popup-aliases muted" }, gettext("Loading…"));
  const updates = el("ol", { class: "popup-list" }, el("li", { class: "muted" }, gettext("Loading…")));
  const reports = el("ol", { class: "popup-list" }, el("li", { class: "muted" }, gettext("Loading…")));
  const title = el("h2", { class: "popup-title", tabindex: "-1" }, row.name);
  const node = el(
    "div",
    { class: "popup", dataset: { slug: row.slug } },
    title,
    el("p", { class: "meta" }, label("hotspot_kind", row.kind)),
    confidenceNote(row),
    aliases,
    el("p", { class: "popup-counts" }, gettext("In the period:"), " ", activityText(row)),
    el("h3", {}, gettext("Latest updates")),
    updates,
    el("h3", {}, gettext("Latest reports")),
    reports,
    el("p", { class: "popup-more" }, el("a", { href: pageUrl(row.slug) }, gettext("Open the hotspot page"))),
  );
  const slugParam = { hotspot: row.slug };
  getJSON(config.urls.hotspot.replace("__slug__", encodeURIComponent(row.slug)))
    .then(({ data }) => {
      const p = data.properties || {};
      const names = p.aliases || [];
      aliases.textContent = names.length ? gettext("Also called:") + " " + names.join(" · ") : gettext("No other names recorded.");
      if (p.commune || p.department) {
        aliases.after(el("p", { class: "muted" }, [p.commune, p.department].filter(Boolean).join(", ")));
      }
    })
    .catch(() => {
      aliases.textContent = "";
    })
    .finally(relayout);
  getJSON(withParams(config.urls.updates, { ...updateParams(app.state, config), ...slugParam, page_size: 5 }))
    .then(({ data }) => fillList(updates, data.results, updateItem, gettext("No updates in this period.")))
    .catch(() => fillList(updates, [], updateItem, gettext("The updates could not be loaded.")))
    .finally(relayout);
  getJSON(withParams(config.urls.reports, { ...reportParams(app.state, config), ...slugParam, page_size: 3 }))
    .then(({ data }) => fillList(reports, data.results, reportItem, gettext("No reports in this period.")))
    .catch(() => fillList(reports, [], reportItem, gettext("The reports could not be loaded.")))
    .finally(relayout);
  node.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      app.map.closePopup();
      closeSheet();
    }
  });
  return { node, title };
}

function openSheet(row, returnTo) {
  const sheet = $("details-sheet");
  const body = clear($("details-body"));
  const { node, title } = popupContent(row, () => {});
  body.append(node);
  $("details-title").textContent = row.name;
  sheet.hidden = false;
  sheet.dataset.slug = row.slug;
  app.returnFocus = returnTo;
  title.focus();
}

function closeSheet() {
  const sheet = $("details-sheet");
  if (sheet.hidden) {
    return;
  }
  sheet.hidden = true;
  clear($("details-body"));
  const target = app.returnFocus;
  app.returnFocus = null;
  if (target && document.body.contains(target)) {
    target.focus();
  }
}

function openHotspot(slug, { fly = true, returnTo = null } = {}) {
  const row = app.bySlug.get(slug);
  if (!row || !row.placed) {
    if (row) {
      window.location.assign(pageUrl(slug));
    }
    return;
  }
  const latlng = L.latLng(row.lat, row.lon);
  if (phone.matches) {
    // A popup does not fit a phone: the details open in a sheet at the bottom, the place above it.
    openSheet(row, returnTo);
    if (fly) {
      app.map.setView(latlng, Math.max(app.map.getZoom(), 12), { animate: !reducedMotion });
    }
    return;
  }
  const open = () => {
    const popup = L.popup({
      maxWidth: 380,
      minWidth: 260,
      maxHeight: Math.max(220, app.map.getSize().y - 120),
      autoPanPadding: [24, 24],
      className: "hotspot-popup",
    });
    // The content grows as its parts arrive: lay the popup out again (and pan to it) each time.
    const relayout = () => {
      if (app.map.hasLayer(popup)) {
        // update() puts the content in again, which drops the focus: give it back.
        const active = document.activeElement;
        popup.update();
        if (active && node.contains(active)) {
          active.focus();
        }
      }
    };
    const { node, title } = popupContent(row, relayout);
    app.returnFocus = returnTo;
    popup.setLatLng(latlng).setContent(node).openOn(app.map);
    if (returnTo) {
      title.focus();
    }
  };
  const zoom = Math.max(app.map.getZoom(), 12);
  if (!fly || (app.map.getBounds().pad(-0.1).contains(latlng) && app.map.getZoom() >= 12)) {
    open();
    return;
  }
  app.map.once("moveend", open);
  if (reducedMotion) {
    app.map.setView(latlng, zoom);
  } else {
    app.map.flyTo(latlng, zoom, { duration: 0.8 });
  }
}

// -- the list of updates -----------------------------------------------------------------------------

function firstPlaced(update) {
  for (const slug of update.hotspots || []) {
    const row = app.bySlug.get(slug);
    if (row && row.placed) {
      return row;
    }
  }
  return null;
}

function listItem(update, { isNew = false } = {}) {
  const post = update.post || {};
  const places = (update.hotspots || []).map((slug) => (app.bySlug.get(slug) || { name: slug }).name);
  const target = firstPlaced(update);
  const when = el("time", { datetime: update.published_at }, formatDateTime(update.published_at));
  const heading = [when, " · ", label("update_kind", update.kind), places.length ? " · " + places.join(", ") : ""];
  const go = target
    ? el("button", { type: "button", class: "update-go", dataset: { slug: target.slug, update: String(update.id) } }, ...heading)
    : el("p", { class: "update-go is-static" }, ...heading);
  if (target) {
    go.setAttribute("aria-label", fmt(gettext("Show %(place)s on the map"), { place: target.name }) + " — " + go.textContent);
    go.addEventListener("click", () => openHotspot(target.slug, { returnTo: go }));
  }
  return el(
    "li",
    { class: "update" + (isNew ? " is-new" : ""), dataset: { id: String(update.id), kind: update.kind } },
    go,
    el("p", { class: "post-text" }, post.text || ""),
    el(
      "p",
      { class: "meta" },
      post.source || "",
      post.url ? " · " : "",
      post.url ? el("a", { href: post.url, target: "_blank", rel: "noopener noreferrer" }, gettext("Original post")) : null,
      update.review_state && update.review_state !== "auto" ? " · " + label("review_state", update.review_state) : "",
    ),
  );
}

function updateListParams() {
  const params = { ...updateParams(app.state, config), in_bbox: bboxParam(), page_size: 20 };
  if (app.placeSlugs !== null) {
    params.hotspot = [...app.placeSlugs];
  }
  return params;
}

async function loadUpdates({ refresh = false } = {}) {
  const list = $("update-list");
  if (app.placeSlugs !== null && app.placeSlugs.size === 0) {
    clear(list);
    app.shownUpdates = new Set();
    $("update-empty").hidden = false;
    $("update-more").hidden = true;
    return;
  }
  const generation = ++app.generation.updates;
  // A refresh asks the very question of the last load again, so that "nothing new" is a 304.
  const url = refresh && app.updatesUrl ? app.updatesUrl : withParams(config.urls.updates, updateListParams());
  try {
    const { data, changed } = await reader.read("updates", url);
    if (generation !== app.generation.updates) {
      return;
    }
    app.updatesUrl = url;
    if (refresh) {
      if (changed) {
        const fresh = data.results.filter((u) => !app.shownUpdates.has(u.id));
        for (const update of fresh.reverse()) {
          list.prepend(listItem(update, { isNew: true }));
          app.shownUpdates.add(update.id);
        }
        $("update-empty").hidden = list.children.length > 0;
      }
      return;
    }
    // Drawn anew (the view or the filters changed): a keyboard user keeps their place if it is still listed.
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.update : null;
    clear(list);
    app.shownUpdates = new Set();
    for (const update of data.results) {
      list.append(listItem(update));
      app.shownUpdates.add(update.id);
    }
    const again = focused && list.querySelector(`button[data-update="${focused}"]`);
    if (again) {
      again.focus();
      if (app.returnFocus && app.returnFocus.dataset.update === focused) {
        app.returnFocus = again;
      }
    } else if (app.returnFocus && app.returnFocus.dataset.update) {
      app.returnFocus = list.querySelector(`button[data-update="${app.returnFocus.dataset.update}"]`) || app.returnFocus;
    }
    app.nextUpdates = data.next;
    $("update-more").hidden = !data.next;
    $("update-empty").hidden = data.results.length > 0;
    list.dataset.count = String(data.results.length);
  } catch (error) {
    showError(error);
  }
}

async function loadMoreUpdates() {
  if (!app.nextUpdates) {
    return;
  }
  const button = $("update-more");
  button.disabled = true;
  try {
    const { data } = await getJSON(app.nextUpdates);
    const list = $("update-list");
    let first = null;
    for (const update of data.results) {
      if (app.shownUpdates.has(update.id)) {
        continue;
      }
      const item = listItem(update);
      first = first || item;
      list.append(item);
      app.shownUpdates.add(update.id);
    }
    app.nextUpdates = data.next;
    button.hidden = !data.next;
    list.dataset.count = String(list.children.length);
    // Keyboard users carry on from the first new item.
    const focusable = first && first.querySelector("button");
    if (focusable) {
      focusable.focus();
    }
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

// -- the weekly slider ---------------------------------------------------------------------------------

function localDay(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  const v = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  return `${v.year}-${v.month}-${v.day}`;
}

function mondayOf(isoDay) {
  const [y, m, d] = isoDay.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

function weeksBetween(first, last) {
  const weeks = [];
  const date = new Date(first + "T00:00:00Z");
  while (date.toISOString().slice(0, 10) <= last) {
    weeks.push(date.toISOString().slice(0, 10));
    date.setUTCDate(date.getUTCDate() + 7);
  }
  return weeks;
}

async function loadWeekly() {
  const generation = ++app.generation.weekly;
  const params = updateParams(app.state, config, { withWeek: false });
  try {
    const { data } = await getJSON(withParams(config.urls.weekly, params));
    if (generation !== app.generation.weekly) {
      return;
    }
    const { after, before } = bounds({ ...app.state, week: null }, config);
    let weeks = data.weeks;
    if (after) {
      const last = localDay(before ? new Date(before.getTime() - 1) : new Date(), config.timeZone);
      weeks = weeksBetween(mondayOf(localDay(after, config.timeZone)), mondayOf(last));
    }
    const index = new Map(data.weeks.map((w, i) => [w, i]));
    const totals = weeks.map((w) => {
      const i = index.get(w);
      if (i === undefined) {
        return 0;
      }
      return Object.values(data.updates).reduce((sum, values) => sum + values[i], 0) + data.reports[i];
    });
    app.weeks = weeks;
    app.weekTotals = totals;
    if (app.state.week && !weeks.includes(app.state.week)) {
      app.state.week = null;
      reload();
    }
    drawSlider();
  } catch (error) {
    showError(error);
  }
}

function drawSlider() {
  const slider = $("week");
  const weeks = app.weeks;
  slider.max = String(weeks.length);
  slider.disabled = weeks.length === 0;
  $("week-play").disabled = weeks.length < 2;
  const position = app.state.week ? weeks.indexOf(app.state.week) + 1 : 0;
  slider.value = String(position);
  const text =
    position === 0
      ? gettext("Whole period")
      : fmt(gettext("Week of %(day)s"), { day: formatDay(weeks[position - 1]) }) +
        " — " +
        fmt(ngettext("%(count)s record", "%(count)s records", app.weekTotals[position - 1]), {
          count: formatNumber(app.weekTotals[position - 1]),
        });
  $("week-label").textContent = text;
  slider.setAttribute("aria-valuetext", text);
  barChart($("week-chart"), {
    categories: weeks,
    series: [{ name: gettext("Updates and reports"), color: "#1f5f8b", values: app.weekTotals }],
    title: gettext("Activity per week in the period"),
    description: gettext("Updates and reports per week; choose a week to show it alone."),
    labelOf: (w) => formatDay(w, { day: "numeric", month: "short" }),
    height: 110,
    width: 340,
    selected: position - 1,
    onSelect: (i) => setWeek(i + 1),
  });
}

function setWeek(position) {
  const week = position > 0 ? app.weeks[position - 1] : null;
  if (week === app.state.week) {
    return;
  }
  app.state.week = week;
  drawSlider();
  reloadForWeek();
}

const reloadForWeek = debounce(() => reload(), 150);

function wireSlider() {
  const slider = $("week");
  slider.addEventListener("input", () => setWeek(Number(slider.value)));
  const play = $("week-play");
  let timer = null;
  const stop = () => {
    window.clearInterval(timer);
    timer = null;
    play.setAttribute("aria-pressed", "false");
    play.textContent = gettext("Replay week by week");
  };
  play.addEventListener("click", () => {
    if (timer) {
      stop();
      return;
    }
    play.setAttribute("aria-pressed", "true");
    play.textContent = gettext("Stop");
    setWeek(1);
    timer = window.setInterval(() => {
      const next = Number(slider.value) + 1;
      if (next > app.weeks.length) {
        stop();
        return;
      }
      setWeek(next);
    }, 1500);
  });
  $("week-all").addEventListener("click", () => {
    stop();
    setWeek(0);
  });
}

// -- place search ------------------------------------------------------------------------------------

const KIND_LABELS = {
  hotspot: () => gettext("Hotspot"),
  alias: () => gettext("Hotspot"),
  department: () => gettext("Department"),
  commune: () => gettext("Commune"),
  section: () => gettext("Communal section"),
  place: () => gettext("Town or village"),
};

/* Searches hotspots, aliases and the gazetteer (analysis/search.py). The hotspots that match keep
   the markers and the list to themselves, as before; choosing a result flies there, and an area
   also draws its outline and keeps the hotspots inside it. */
async function searchPlaces(text) {
  const query = (text || "").trim();
  const results = clear($("place-results"));
  const generation = ++app.generation.places;
  app.state.place = query;
  if (query.length < 2) {
    const had = app.placeSlugs !== null;
    app.placeSlugs = null;
    syncUrl();
    if (had) {
      drawMarkers();
      drawNoneState();
      loadUpdates();
    }
    return;
  }
  try {
    const { data } = await getJSON(withParams(config.urls.search, { q: query }));
    if (generation !== app.generation.places) {
      return;
    }
    const found = data.results || [];
    const hotspots = found.filter((r) => r.kind === "hotspot" || r.kind === "alias");
    // Only hotspots filter the map: a search for a commune keeps every marker until one is chosen.
    app.placeSlugs = found.length === 0 ? new Set() : hotspots.length ? new Set(hotspots.map((r) => r.id)) : null;
    if (!found.length) {
      results.append(el("p", { class: "warning none-found", role: "status" }, fmt(gettext("No place found for “%(text)s”."), { text: query })));
    } else {
      results.append(
        el("p", { class: "muted", role: "status" }, fmt(ngettext("%(count)s place found", "%(count)s places found", found.length), { count: formatNumber(found.length) })),
      );
      const list = el("ul", { class: "place-list" });
      for (const result of found) {
        list.append(el("li", {}, resultButton(result)));
      }
      results.append(list);
    }
    syncUrl();
    drawMarkers();
    drawNoneState();
    loadUpdates();
  } catch (error) {
    showError(error);
  }
}

function resultButton(result) {
  const where = [KIND_LABELS[result.kind] ? KIND_LABELS[result.kind]() : result.kind];
  if (result.department) {
    where.push(result.department);
  }
  if (result.lat === null) {
    where.push(gettext("not placed"));
  }
  const button = el(
    "button",
    { type: "button", class: "place-result", dataset: { kind: result.kind, id: result.id } },
    el("span", { class: "place-name-text" }, result.name),
    result.matched ? el("span", { class: "muted" }, " (" + result.matched + ")") : null,
    el("span", { class: "place-kind muted" }, " · " + where.join(" · ")),
  );
  button.addEventListener("click", () => chooseResult(result, button));
  return button;
}

function chooseResult(result, button) {
  if (result.kind === "hotspot" || result.kind === "alias") {
    clearArea();
    openHotspot(result.id, { returnTo: button });
    return;
  }
  if (["department", "commune", "section"].includes(result.kind)) {
    chooseArea(result.id, result.name);
    return;
  }
  clearArea();
  app.map.setView([result.lat, result.lon], Math.max(app.map.getZoom(), 14), { animate: !reducedMotion });
}

/* An area: its outline drawn, the map fitted to it, the markers and the list kept to the hotspots inside. */
async function chooseArea(pcode, name, { fit = true } = {}) {
  const generation = ++app.generation.area;
  try {
    const { data } = await getJSON(config.urls.area.replace("__pcode__", encodeURIComponent(pcode)));
    if (generation !== app.generation.area) {
      return;
    }
    clearArea();
    const layer = L.geoJSON(data, { style: { color: "#b3261e", weight: 3, fill: true, fillOpacity: 0.04 }, interactive: false, pane: "boundaries" });
    layer.addTo(app.map);
    app.area = { pcode, name: data.properties.name || name, layer };
    app.state.area = pcode;
    app.state.place = "";
    $("place").value = app.area.name;
    app.placeSlugs = new Set(data.properties.hotspots);
    clear($("place-results")).append(areaNote());
    if (fit && layer.getBounds().isValid()) {
      app.map.fitBounds(layer.getBounds(), { padding: [16, 16], animate: !reducedMotion });
    }
    syncUrl();
    drawMarkers();
    drawNoneState();
    loadUpdates();
  } catch (error) {
    showError(error);
  }
}

function areaNote() {
  const count = app.placeSlugs.size;
  const clearButton = el("button", { type: "button", class: "link-button", id: "area-clear" }, gettext("Show every area again"));
  clearButton.addEventListener("click", () => {
    clearArea();
    $("place").value = "";
    searchPlaces("");
    $("place").focus();
  });
  return el(
    "p",
    { class: count ? "muted" : "warning none-found", role: "status", id: "area-note" },
    fmt(ngettext("%(area)s: %(count)s hotspot inside.", "%(area)s: %(count)s hotspots inside.", count), {
      area: app.area.name,
      count: formatNumber(count),
    }),
    " ",
    clearButton,
  );
}

function clearArea() {
  if (app.area) {
    app.area.layer.remove();
  }
  app.area = null;
  app.state.area = null;
}

// -- hotspots in view (the keyboard's and screen readers' way to the markers) -------------------------

function drawInView() {
  if (!app.map) {
    return;
  }
  const view = app.map.getBounds();
  const rows = app.rows
    .filter((r) => r.placed && !isDimmed(r) && view.contains([r.lat, r.lon]))
    .sort((a, b) => activityOf(b) - activityOf(a) || a.name.localeCompare(b.name));
  const list = $("in-view-list");
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.slug : null;
  clear(list);
  for (const row of rows.slice(0, IN_VIEW_MAX)) {
    const button = el(
      "button",
      { type: "button", class: "link-button in-view-item", dataset: { slug: row.slug } },
      row.name,
      el("span", { class: "muted" }, " · " + activityText(row)),
    );
    button.addEventListener("click", () => openHotspot(row.slug, { fly: false, returnTo: button }));
    list.append(el("li", {}, button));
  }
  const again = focused && list.querySelector(`button[data-slug="${CSS.escape(focused)}"]`);
  if (again) {
    again.focus();
  }
  const more = $("in-view-more");
  more.hidden = rows.length <= IN_VIEW_MAX;
  more.textContent = fmt(gettext("%(count)s more: zoom in to list them."), { count: formatNumber(rows.length - IN_VIEW_MAX) });
  if (!rows.length) {
    list.append(el("li", { class: "muted" }, gettext("No hotspot in this part of the map.")));
  }
}

// -- the bottom sheet on phones ------------------------------------------------------------------------

function setPanelOpen(open) {
  const panel = $("panel");
  panel.dataset.open = String(open);
  $("sheet-toggle").setAttribute("aria-expanded", String(open));
}

function wireSheets() {
  $("sheet-toggle").addEventListener("click", () => setPanelOpen($("panel").dataset.open !== "true"));
  $("details-close").addEventListener("click", closeSheet);
  $("details-sheet").addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      closeSheet();
    }
  });
  // Typing in the search opens the sheet, so the results under the box can be seen.
  $("place").addEventListener("focus", () => phone.matches && setPanelOpen(true));
}

// -- layers ------------------------------------------------------------------------------------------

function boundaryLayer(url, style) {
  const layer = L.geoJSON(null, { style, interactive: false, pane: "boundaries" });
  let loaded = false;
  layer.on("add", () => {
    if (loaded) {
      return;
    }
    loaded = true;
    fetch(url, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => layer.addData(data))
      .catch((error) => window.console.warn(error));
  });
  return layer;
}

function setUpLayers(map) {
  map.createPane("boundaries").style.zIndex = 390;
  map.getPane("boundaries").style.pointerEvents = "none";
  map.createPane("hotspots").style.zIndex = 450;
  app.renderer = L.canvas({ pane: "hotspots", padding: 0.3, tolerance: 4 });
  app.layers = {
    hotspots: L.layerGroup(),
    heat: new HeatLayer(),
    departments: boundaryLayer(config.urls.departments, { color: "#2f3b46", weight: 1.6, fill: false }),
    communes: boundaryLayer(config.urls.communes, { color: "#6b7785", weight: 0.8, dashArray: "3 3", fill: false }),
    names: new PlaceNames(config.urls),
  };
  const names = {
    hotspots: gettext("Hotspots"),
    heat: gettext("Activity (heat)"),
    departments: gettext("Departments"),
    communes: gettext("Communes"),
    names: gettext("Place names"),
  };
  const overlays = {};
  for (const [key, layer] of Object.entries(app.layers)) {
    overlays[names[key]] = layer;
    layer.layerKey = key;
    if (app.state.layers.includes(key)) {
      layer.addTo(map);
    }
  }
  L.control.layers(null, overlays, { collapsed: phone.matches, position: "topright" }).addTo(map);
  map.on("overlayadd overlayremove", () => {
    app.state.layers = Object.keys(app.layers).filter((key) => map.hasLayer(app.layers[key]));
    syncUrl();
  });
}

// -- refresh -----------------------------------------------------------------------------------------

function noteRefresh(changed) {
  const node = $("refresh-status");
  const time = formatDateTime(new Date());
  node.textContent = changed ? fmt(gettext("Updated at %(time)s"), { time }) : fmt(gettext("Checked at %(time)s: no change"), { time });
}

function startRefresh() {
  window.setInterval(async () => {
    if (document.hidden) {
      return;
    }
    const before = app.rows;
    await Promise.all([loadActivity({ refresh: true }), loadUpdates({ refresh: true })]);
    if (app.rows === before) {
      noteRefresh(false);
    }
  }, config.refreshSeconds * 1000);
}

// -- start -------------------------------------------------------------------------------------------

function start(map) {
  window.performance.mark("mss:map-created");
  app.map = map;
  setUpLayers(map);
  if (app.state.at) {
    map.setView([app.state.at.lat, app.state.at.lng], app.state.at.zoom, { animate: false });
  }
  const onMove = debounce(() => {
    const c = map.getCenter();
    app.state.at = { zoom: map.getZoom(), lat: c.lat, lng: c.lng };
    syncUrl();
    drawInView();
    loadUpdates();
  }, 350);
  map.on("moveend", onMove);
  map.on("popupclose", () => {
    let target = app.returnFocus;
    if (target && !document.body.contains(target) && target.dataset.update) {
      // The list was drawn again meanwhile (it follows the view): the same update's new button.
      target = document.querySelector(`#update-list button[data-update="${target.dataset.update}"]`);
    }
    if (target && document.body.contains(target)) {
      target.focus();
    }
    app.returnFocus = null;
  });
  wireForm();
  wireSlider();
  wireSheets();
  $("update-more").addEventListener("click", loadMoreUpdates);
  syncUrl();
  loadActivity({ pending: firstActivity }).then(() => loadUpdates());
  loadWeekly();
  if (app.state.area) {
    chooseArea(app.state.area, "", { fit: !app.state.at });
  } else if (app.state.place) {
    searchPlaces(app.state.place);
  }
  startRefresh();
}

window.addEventListener("map:init", (event) => {
  if (event.detail.id === "map") {
    start(event.detail.map);
  }
});

