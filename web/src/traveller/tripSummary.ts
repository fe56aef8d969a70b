// The search hit a traveller picked, remembered for the trip and checkout pages of this tab
// (there is no public "get trip" endpoint; a reload finds it again with the same search).

import { call } from "../shared/api";
import { endpoints } from "../shared/endpoints";
import type { List, TripHit } from "../shared/types";

const key = (tripId: string) => `travio.trip.${tripId}`;

export function rememberTrip(hit: TripHit) {
  sessionStorage.setItem(key(hit.trip_id), JSON.stringify(hit));
}

export function rememberedTrip(tripId: string): TripHit | null {
  try {
    return JSON.parse(sessionStorage.getItem(key(tripId)) || "null") as TripHit | null;
  } catch {
    return null;
  }
}

/** The trip as search shows it for a journey on a date, or null when it is not on sale. */
export async function findTrip(tripId: string, from: string, to: string, date: string): Promise<TripHit | null> {
  const known = rememberedTrip(tripId);
  if (known && known.from.code === from && known.to.code === to) return known;
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const answer = await call<List<TripHit>>(endpoints.search, {
      auth: "none",
      query: { from, to, date, passengers: 1, limit: 200, cursor },
    });
    const hit = answer.body.items.find((item) => item.trip_id === tripId);
    if (hit) {
      rememberTrip(hit);
      return hit;
    }
    if (!answer.body.next_cursor) break;
    cursor = answer.body.next_cursor;
  }
  return null;
}
