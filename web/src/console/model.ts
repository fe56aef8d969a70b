// The shapes of the operator API's answers the console reads (../../shared/api.md), and how an
// error is put in words.

import { t } from "../shared/i18n";
import { ApiError } from "../shared/problem";
import type { Money } from "../shared/types";
import type { ApiDeck } from "./layout";

export interface Bus {
  id: string;
  plate: string;
  name: string;
  class: "seater" | "semi_sleeper" | "sleeper";
  ac: boolean;
  amenities: string[];
  capacity: number;
  seats_for_sale: number;
  layout: { decks: ApiDeck[] };
}

export interface StaffMember {
  id: string;
  name: string;
  role: "driver" | "conductor" | "helper";
  phone: string;
  license_no?: string;
}

export interface RouteStop {
  station: string;
  arrive_offset_min: number;
  depart_offset_min: number;
  boarding: boolean;
  dropping: boolean;
}

export interface Route {
  id: string;
  name: string;
  stops: RouteStop[];
}

export interface Fare extends Money {
  from: string;
  to: string;
  category?: string;
}

export interface Schedule {
  id: string;
  route_id: string;
  bus_id: string;
  departure_time: string;
  days: string[];
  start_date: string;
  end_date: string;
  except_dates: string[];
  fares: Fare[];
  publish: boolean;
}

export interface Trip {
  id: string;
  route_id: string;
  route_name: string;
  bus: { id: string; plate: string; capacity: number; seats_for_sale: number };
  departure: string;
  arrival: string;
  scheduled_departure?: string;
  local_date: string;
  schedule_id: string | null;
  delay_minutes: number;
  stops: { station: string; depart_at: string; zone: string }[];
  status: "draft" | "published" | "delayed" | "boarding" | "departed" | "completed" | "cancelled";
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: string;
}

export interface Invite {
  id: string;
  email: string;
  role: string;
  status: string;
  expires_at: string;
}

// Marks that reorder the text around them (right-to-left overrides and isolates): a traveller
// could type them into a name or an email to make staff read something else.
const DIRECTION_MARKS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A traveller's text as staff should read it: direction marks shown, not obeyed. */
export function travellerText(text: string): string {
  return text.replace(DIRECTION_MARKS, "\uFFFD");
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.isNetwork ? t("error.network") : error.message;
  return String(error);
}
