// Station names and time zones, looked up once per page load: the public station list is
// short (a country's bus stations), and every departure is shown in its station's zone.

import { call } from "./api";
import { endpoints } from "./endpoints";
import type { List, Station } from "./types";

let all: Promise<Map<string, Station>> | null = null;

export function stationsByCode(): Promise<Map<string, Station>> {
  all ??= (async () => {
    const byCode = new Map<string, Station>();
    let cursor: string | null = null;
    // Bounded: a list that never ends must not keep a phone busy.
    for (let page = 0; page < 20; page++) {
      const answer: { body: List<Station> } = await call<List<Station>>(endpoints.stations, {
        auth: "none",
        query: { limit: 200, cursor: cursor ?? undefined },
      });
      for (const station of answer.body.items) byCode.set(station.code, station);
      cursor = answer.body.next_cursor;
      if (!cursor) break;
    }
    return byCode;
  })().catch((error) => {
    all = null;
    throw error;
  });
  return all;
}
