/*
 * The map's first data request, sent as soon as the page starts: this module is loaded `async`
 * from the page's head, so it runs while Leaflet and the rest of the page still load. The map
 * (map.js) imports the answer from here, with the reader that remembers its ETag.
 */

import { ConditionalReader, withParams } from "../../portal/js/api.js";
import { readJSON } from "../../portal/js/dom.js";
import { readState, updateParams } from "./state.js";

export const config = readJSON("map-config");
export const reader = new ConditionalReader();
export const initialState = readState(window.location.search);

export function activityUrl(state) {
  return withParams(config.urls.activity, updateParams(state, config));
}

// The page started this very request already (<link rel="preload">): this read takes its answer.
export const firstActivity = reader.read("activity", config.urls.firstActivity || activityUrl(initialState));
firstActivity.catch(() => null); // reported where it is awaited
