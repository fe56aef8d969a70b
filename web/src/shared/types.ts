// The shapes of the answers the apps read (../shared/api.md); fields the apps do not read are
// left out.

export interface Money {
  amount: number; // minor units
  currency: string;
}

export interface List<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Station {
  code: string;
  name: string;
  city: string;
  timezone?: string;
}

export interface TripHit {
  trip_id: string;
  operator: { id: string; name: string };
  from: { code: string; name: string };
  to: { code: string; name: string };
  departure: string;
  arrival: string;
  duration_min: number;
  fare: Money;
  seats_available: number;
  bus: { class: string; ac: boolean; amenities: string[] };
}

export type SeatStatus = "available" | "held" | "booked" | "blocked";
export type CellType = "seat" | "berth" | "aisle" | "driver" | "door" | "empty";

export interface SeatCell {
  row: number;
  col: number;
  type: CellType;
  label: string;
  category: string;
  status: SeatStatus;
}

export interface Deck {
  name: string;
  rows: number;
  cols: number;
  cells: SeatCell[];
}

export interface SeatMap {
  trip_id: string;
  from: string;
  to: string;
  available: number;
  decks: Deck[];
}

/** A price under the operator's pricing rules (POST /v1/pricing/quote). */
export interface PricedSeat {
  category: string;
  seat: string;
  available: boolean | number;
  currency: string;
  base: number;
  price: number;
  applied: { rule_id: string; name: string; before: number; after: number }[];
}

export interface Quote {
  trip_id: string;
  currency: string;
  at: string;
  categories: PricedSeat[];
  seats?: PricedSeat[];
}

export interface Hold {
  hold_id: string;
  trip_id: string;
  seats: string[];
  from: string;
  to: string;
  expires_at: string;
  total: Money;
}

export interface Passenger {
  seat: string;
  name: string;
  gender: "female" | "male" | "other" | "";
  age?: number;
  phone?: string;
}

export interface Payment {
  id: string;
  order_id: string;
  status: string;
  amount: Money;
  redirect_url?: string;
  method?: { type: string };
}

export interface Refund {
  id: string;
  status: string;
  amount: Money;
  created_at: string;
}

export interface Ticket {
  id: string;
  number: string;
  seat: string;
  passenger: string | { name: string };
  status: "issued" | "boarded" | "void";
  pdf_url?: string;
}

export interface OrderItem {
  seat: string;
  passenger: { name: string; gender: string };
  price: Money;
  status: string;
}

export interface Order {
  id: string;
  status: "pending_payment" | "under_review" | "confirmed" | "partially_cancelled" | "cancelled" | "expired" | string;
  trip_id: string;
  hold_id: string;
  from: string;
  to: string;
  departs_at: string;
  seats: string[];
  items: OrderItem[];
  contact: { email: string; phone?: string };
  total: Money;
  expires_at: string;
  created_at: string;
  payments: Payment[];
  refunds: Refund[];
  tickets: Ticket[];
  fulfillment?: { status: "pending" | "issued" | "failed" };
  pdf_url?: string;
}

export interface CancelQuote {
  quote_id: string;
  order_id: string;
  seats: string[];
  refund: Money;
  fee: Money;
  percent: number;
  tier: string;
  expires_at: string;
}

export interface TicketDetail {
  id: string;
  number: string;
  order_id: string;
  trip_id: string;
  seat: string;
  passenger: { name: string };
  from: string;
  to: string;
  departure: string;
  status: string;
  qr: string;
  pdf_url: string;
}
