// Client-side navigation over the History API: the gateway answers every app path with the
// app's index.html, and the app picks the page from location.pathname.

import { Store, useStore } from "./store";

export interface Place {
  path: string;
  query: URLSearchParams;
}

function current(): Place {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

const place = new Store<Place>(current());
addEventListener("popstate", () => place.set(current()));

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const url = new URL(to, location.origin);
  if (url.origin !== location.origin) {
    location.assign(url);
    return;
  }
  if (options.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  place.set(current());
  scrollTo(0, 0);
}

export function usePlace(): Place {
  return useStore(place);
}

/** Matches "/trips/{trip_id}" against a path; the parameters, decoded, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return null;
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    try {
      params[name] = decodeURIComponent(found[i + 1]);
    } catch {
      params[name] = found[i + 1];
    }
  });
  return params;
}

/**
 * A document click handler for an app whose own paths match `ownPaths`: a click on a link to
 * one of them navigates without reloading; other links (the API, another app) load their page,
 * and modified clicks keep the browser's way.
 */
export function linkClickHandler(ownPaths: RegExp) {
  return (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !ownPaths.test(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
}
