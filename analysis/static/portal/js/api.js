/*
 * Reading the portal's API from the pages (the browser session signs the requests).
 * Conditional requests: a resource read before is asked for again with its ETag, and a 304
 * answer returns null ("nothing changed") without a body.
 */

export class HttpError extends Error {
  constructor(status, body) {
    super("HTTP " + status);
    this.status = status;
    this.body = body;
  }
}

export function withParams(base, params) {
  const url = new URL(base, window.location.href);
  for (const [name, value] of Object.entries(params || {})) {
    if (value === null || value === undefined || value === "") {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(name, item);
    }
  }
  return url.href;
}

export async function getJSON(url, { etag = null, signal = undefined } = {}) {
  // JSON is every endpoint's first format, so no Accept header: the request then also matches a
  // <link rel="preload" as="fetch"> the page may have started for it.
  const headers = {};
  if (etag) {
    headers["If-None-Match"] = etag;
  }
  // With an ETag, no-store: our own If-None-Match decides, and a 304 reaches this code as it is.
  const cache = etag ? "no-store" : "default";
  const response = await fetch(url, { headers, credentials: "same-origin", cache, signal });
  if (response.status === 304) {
    return { data: null, etag, notModified: true };
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    throw new HttpError(response.status, body);
  }
  return { data: await response.json(), etag: response.headers.get("ETag"), notModified: false };
}

/*
 * Remembers the ETag and body of each named resource, so that a refresh asks "changed since?".
 * The API's ETag is a digest of the body, so the last one is sent even when the URL moved on
 * (a "last 7 days" period starts a minute later each minute): a 304 then means that the body
 * held here is exactly the answer to the new question.
 */
export class ConditionalReader {
  constructor() {
    this.last = new Map();
  }

  forget(name) {
    this.last.delete(name);
  }

  async read(name, url, options = {}) {
    const last = this.last.get(name);
    const result = await getJSON(url, { ...options, etag: last ? last.etag : null });
    if (result.notModified && last) {
      return { data: last.data, changed: false };
    }
    this.last.set(name, { etag: result.etag, data: result.data });
    return { data: result.data, changed: true };
  }
}
