/*
 * The map's filters and view, kept in the URL so that a view can be shared, and turned into the
 * API's filter parameters the way analysis/pages.py does it for the list page: relative periods
 * run until now, from their length before now rounded down to `config.periodStep` seconds (so that
 * every analyst asks the same question for a while, which the server answers from its cache);
 * custom ones are whole days in the mission's time zone.
 */

export const LAYERS = ["hotspots", "heat", "departments", "communes", "names"];
const DEFAULT_LAYERS = ["hotspots", "departments", "names"];
const PERIODS = ["24h", "7d", "30d", "90d", "1y", "custom"];

function day(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text || "") ? text : null;
}

export function readState(search) {
  const query = new URLSearchParams(search);
  const period = PERIODS.includes(query.get("period")) ? query.get("period") : "7d";
  let from = period === "custom" ? day(query.get("from")) : null;
  let to = period === "custom" ? day(query.get("to")) : null;
  if (from && to && to < from) {
    [from, to] = [to, from];
  }
  const layers = query.has("layers")
    ? query.get("layers").split(",").filter((name) => LAYERS.includes(name))
    : DEFAULT_LAYERS.slice();
  let at = null;
  const parts = (query.get("at") || "").split("/").map(Number);
  if (parts.length === 3 && parts.every(Number.isFinite)) {
    at = { zoom: parts[0], lat: parts[1], lng: parts[2] };
  }
  return {
    period,
    from,
    to,
    week: day(query.get("week")),
    kinds: query.getAll("kind").filter(Boolean),
    contingents: query.getAll("contingent").filter(Boolean),
    place: (query.get("place") || "").trim(),
    area: /^HT[0-9-]{2,14}$/.test(query.get("area") || "") ? query.get("area") : null,
    layers,
    at,
  };
}

export function toQuery(state) {
  const query = new URLSearchParams();
  query.set("period", state.period);
  if (state.period === "custom") {
    if (state.from) query.set("from", state.from);
    if (state.to) query.set("to", state.to);
  }
  if (state.week) query.set("week", state.week);
  for (const kind of state.kinds) query.append("kind", kind);
  for (const code of state.contingents) query.append("contingent", code);
  if (state.place) query.set("place", state.place);
  if (state.area) query.set("area", state.area);
  query.set("layers", state.layers.join(","));
  if (state.at) {
    query.set("at", `${state.at.zoom}/${state.at.lat.toFixed(4)}/${state.at.lng.toFixed(4)}`);
  }
  return query;
}

/* Filters only (no layers, no view): what the list page and the language switcher carry. */
export function filterQuery(state) {
  const query = toQuery({ ...state, at: null });
  query.delete("layers");
  return query;
}

/* Milliseconds by which the wall clock of `timeZone` is ahead of UTC at the instant `ms`. */
function zoneOffset(ms, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const v = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  return Date.UTC(+v.year, +v.month - 1, +v.day, +v.hour % 24, +v.minute, +v.second) - ms;
}

/* Midnight starting the day `isoDay` (plus `addDays`) in `timeZone`, as a Date. */
export function zonedMidnight(isoDay, timeZone, addDays = 0) {
  const [y, m, d] = isoDay.split("-").map(Number);
  const utc = Date.UTC(y, m - 1, d + addDays);
  let guess = utc - zoneOffset(utc, timeZone);
  guess = utc - zoneOffset(guess, timeZone); // once more, in case the offset changed (DST)
  return new Date(guess);
}

export function bounds(state, config, now = new Date()) {
  let after = null;
  let before = null;
  if (state.period === "custom") {
    after = state.from ? zonedMidnight(state.from, config.timeZone) : null;
    before = state.to ? zonedMidnight(state.to, config.timeZone, 1) : null;
  } else {
    // Rounded down as analysis/pages.py rounds it: every analyst asks the same question for a while.
    const step = (config.periodStep || 60) * 1000;
    const start = now.getTime() - config.periods[state.period] * 1000;
    after = new Date(Math.floor(start / step) * step);
  }
  if (state.week) {
    const start = zonedMidnight(state.week, config.timeZone);
    const end = zonedMidnight(state.week, config.timeZone, 7);
    after = after && after > start ? after : start;
    before = before && before < end ? before : end;
  }
  return { after, before };
}

/* The updates API's parameters (ingestion.filters.UpdateFilterSet) for these filters. */
export function updateParams(state, config, { withWeek = true } = {}) {
  const { after, before } = bounds(withWeek ? state : { ...state, week: null }, config);
  return {
    published_after: after ? after.toISOString() : null,
    published_before: before ? before.toISOString() : null,
    kind: state.kinds,
    contingent: state.contingents,
  };
}

/* The reports API's parameters (operations.filters.ReportFilterSet): same period and contingents. */
export function reportParams(state, config) {
  const { after, before } = bounds(state, config);
  return {
    started_after: after ? after.toISOString() : null,
    started_before: before ? before.toISOString() : null,
    contingent: state.contingents,
  };
}
