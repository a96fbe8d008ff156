/*
 * Strings, dates and numbers in the page's language. Strings come from Django's JavaScript
 * catalog (/jsi18n/, loaded before the modules); dates and numbers from Intl. Intl has no
 * Haitian Creole in most browsers, so Kreyòl falls back to Haitian French, then French.
 */

const catalog = window.django || {};

export function gettext(text) {
  return catalog.gettext ? catalog.gettext(text) : text;
}

export function ngettext(singular, plural, count) {
  if (catalog.ngettext) {
    return catalog.ngettext(singular, plural, count);
  }
  return count === 1 ? singular : plural;
}

/* "%(count)s updates" with named values, as Django's interpolate does. */
export function fmt(text, values) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function language() {
  return document.documentElement.lang || "en";
}

export function locales() {
  const lang = language();
  if (lang === "ht") {
    return ["ht", "fr-HT", "fr"];
  }
  return [lang];
}

const cache = new Map();

function formatter(kind, options) {
  const key = kind + JSON.stringify(options);
  if (!cache.has(key)) {
    const Ctor = kind === "number" ? Intl.NumberFormat : Intl.DateTimeFormat;
    cache.set(key, new Ctor(locales(), options));
  }
  return cache.get(key);
}

export function formatNumber(value) {
  return formatter("number", {}).format(value);
}

/* The mission's time zone (the page says which): times read the same for every analyst. */
export function timeZone() {
  return document.documentElement.dataset.timeZone || undefined;
}

export function formatDateTime(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    return "";
  }
  const options = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
  return formatter("date", { ...options, timeZone: timeZone(), timeZoneName: "short" }).format(date);
}

export function formatDate(value, options) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    return "";
  }
  return formatter("date", { timeZone: timeZone(), ...(options || { dateStyle: "medium" }) }).format(date);
}

/* A calendar day given as YYYY-MM-DD (no time zone shift). */
export function formatDay(isoDay, options) {
  const [y, m, d] = isoDay.split("-").map(Number);
  return formatDate(new Date(Date.UTC(y, m - 1, d || 1)), { timeZone: "UTC", ...(options || { dateStyle: "medium" }) });
}

export function formatMonth(isoMonth) {
  return formatDay(isoMonth + "-01", { year: "numeric", month: "short" });
}
