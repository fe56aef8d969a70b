// A waiting room as the queue API answers it (GET /v1/queue/rooms[/{room_id}]), and how its
// trips and status are put in words.

import { date, time } from "../../shared/i18n";
import { ct, type ConsoleKey } from "../i18n";
import type { Trip } from "../model";

export type RoomMode = "scheduled" | "on_demand";
export type RoomStatus = "scheduled" | "pre_queue" | "open" | "closed";

export interface Room {
  room_id: string;
  name: string;
  mode: RoomMode;
  trip_ids: string[];
  opens_at: string | null;
  pre_queue_minutes: number;
  admit_per_minute: number;
  max_active: number;
  session_minutes: number;
  status: RoomStatus;
  waiting: number;
  active: number;
  admitted_total: number;
  expired_total: number;
  shuffle: { commitment: string; seed?: string };
  opened_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The zone a trip departs in: its first stop's. */
export function tripZone(trip: Trip | undefined): string | undefined {
  return trip?.stops[0]?.zone;
}

/** "Tue 8 Dec, 06:30 · Chattogram - Teknaf · CHATTA METRO-BA 11-0007", in the station's zone. */
export function tripWords(trip: Trip, withDate = true): string {
  const zone = tripZone(trip);
  const when = withDate ? `${date(trip.departure, zone)}, ${time(trip.departure, zone)}` : time(trip.departure, zone);
  return `${when} · ${trip.route_name} · ${trip.bus.plate}`;
}

export function statusWords(status: RoomStatus): string {
  return ct(`rooms.status.${status}` as ConsoleKey);
}

/** When a room opens, in words ("Tue 8 Dec, 10:00"), in `zone`; on-demand rooms are always open. */
export function openingWords(room: Pick<Room, "mode" | "opens_at">, zone: string): string {
  if (room.mode === "on_demand" || !room.opens_at) return ct("rooms.mode.on_demand");
  return `${date(room.opens_at, zone)}, ${time(room.opens_at, zone)}`;
}
