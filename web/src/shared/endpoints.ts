// Every endpoint the browser apps call, in one table. tests/openapi.test.mjs checks each against
// the server's /openapi.json (method, path, and the request fields the apps send), so a route
// renamed on the server fails the tests rather than a traveller's checkout.

export interface Endpoint {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Top-level request body fields the apps send (checked against the request schema). */
  sends?: readonly string[];
}

export const endpoints = {
  guest: { method: "POST", path: "/v1/auth/guest" },
  login: { method: "POST", path: "/v1/auth/login", sends: ["email", "password"] },
  register: { method: "POST", path: "/v1/auth/register", sends: ["email", "password", "name", "phone"] },
  refresh: { method: "POST", path: "/v1/auth/refresh", sends: ["refresh_token"] },
  logout: { method: "POST", path: "/v1/auth/logout", sends: ["refresh_token"] },
  me: { method: "GET", path: "/v1/me" },
  stations: { method: "GET", path: "/v1/stations" },
  findStations: { method: "GET", path: "/v1/search/stations" },
  search: { method: "GET", path: "/v1/search" },
  seats: { method: "GET", path: "/v1/trips/{trip_id}/seats" },
  seatStream: { method: "GET", path: "/v1/trips/{trip_id}/seats/stream" },
  queueJoin: { method: "POST", path: "/v1/queue/rooms/{room_id}/join" },
  queueStatus: { method: "GET", path: "/v1/queue/rooms/{room_id}/status" },
  quote: { method: "POST", path: "/v1/pricing/quote", sends: ["trip_id", "from", "to", "seats"] },
  hold: { method: "POST", path: "/v1/inventory/lock", sends: ["trip_id", "seats", "from", "to"] },
  getHold: { method: "GET", path: "/v1/inventory/lock/{hold_id}" },
  createOrder: { method: "POST", path: "/v1/orders", sends: ["hold_id", "passengers", "contact"] },
  orders: { method: "GET", path: "/v1/orders" },
  order: { method: "GET", path: "/v1/orders/{order_id}" },
  pay: { method: "POST", path: "/v1/payments", sends: ["order_id", "method"] },
  cancelQuote: { method: "POST", path: "/v1/orders/{order_id}/cancel-quote", sends: ["seats"] },
  cancel: { method: "POST", path: "/v1/orders/{order_id}/cancel", sends: ["quote_id"] },
  ticket: { method: "GET", path: "/v1/tickets/{ticket_id}" },
  // The conductor's scanner (org-scoped: X-Org-Id).
  orgTrips: { method: "GET", path: "/v1/catalog/trips" },
  boardingPack: { method: "GET", path: "/v1/operator/trips/{trip_id}/boarding-pack" },
  boardingScan: { method: "POST", path: "/v1/boarding/scan", sends: ["qr", "number", "trip_id", "device_id"] },
  boardingSync: { method: "POST", path: "/v1/boarding/sync", sends: ["scans"] },
  // The operator console (org-scoped: X-Org-Id).
  createOrg: { method: "POST", path: "/v1/orgs", sends: ["name", "slug"] },
  acceptInvite: { method: "POST", path: "/v1/invites/accept", sends: ["token", "name", "password"] },
  invites: { method: "GET", path: "/v1/orgs/invites" },
  createInvite: { method: "POST", path: "/v1/orgs/invites", sends: ["email", "role"] },
  revokeInvite: { method: "DELETE", path: "/v1/orgs/invites/{invite_id}" },
  members: { method: "GET", path: "/v1/orgs/members" },
  changeMember: { method: "PATCH", path: "/v1/orgs/members/{user_id}", sends: ["role"] },
  removeMember: { method: "DELETE", path: "/v1/orgs/members/{user_id}" },
  buses: { method: "GET", path: "/v1/operator/buses" },
  bus: { method: "GET", path: "/v1/operator/buses/{bus_id}" },
  createBus: { method: "POST", path: "/v1/operator/buses", sends: ["plate", "name", "class", "ac", "amenities", "layout"] },
  changeBus: { method: "PATCH", path: "/v1/operator/buses/{bus_id}", sends: ["plate", "name", "class", "ac", "amenities", "layout"] },
  staff: { method: "GET", path: "/v1/operator/staff" },
  createStaff: { method: "POST", path: "/v1/operator/staff", sends: ["name", "role", "phone", "license_no"] },
  routes: { method: "GET", path: "/v1/catalog/routes" },
  route: { method: "GET", path: "/v1/catalog/routes/{route_id}" },
  createRoute: { method: "POST", path: "/v1/catalog/routes", sends: ["name", "stops"] },
  // prettier-ignore
  createSchedule: { method: "POST", path: "/v1/catalog/schedules", sends: ["route_id", "bus_id", "departure_time", "days", "start_date", "end_date", "except_dates", "fares"] },
  schedules: { method: "GET", path: "/v1/catalog/schedules" },
  schedule: { method: "GET", path: "/v1/catalog/schedules/{schedule_id}" },
  changeSchedule: { method: "PATCH", path: "/v1/catalog/schedules/{schedule_id}", sends: ["bus_id", "departure_time", "days", "start_date", "end_date", "except_dates", "fares"] },
  endSchedule: { method: "POST", path: "/v1/catalog/schedules/{schedule_id}/end", sends: ["last_date", "cancel_later_trips", "reason"] },
  generateTrips: { method: "POST", path: "/v1/catalog/schedules/{schedule_id}/generate", sends: ["until"] },
  manifest: { method: "GET", path: "/v1/operator/trips/{trip_id}/manifest" },
  revenueReport: { method: "GET", path: "/v1/reports/revenue" },
} as const satisfies Record<string, Endpoint>;
