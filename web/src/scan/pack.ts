// The boarding pack of a trip and the scans made without a connection, kept in this device's
// localStorage so that a conductor can board with no network and sync when it comes back.

export interface PackTicket {
  id: string;
  number: string;
  seat: string;
  passenger: string;
  from: string;
  to: string;
  status: "issued" | "boarded" | "void";
  boarded_at?: string;
}

export interface Pack {
  trip: { id: string };
  keys: { kid: string; public_key: string }[];
  tickets: PackTicket[];
  fetched_at: string;
}

export interface PendingScan {
  qr?: string;
  number?: string;
  trip_id?: string;
  scanned_at: string;
  device_id: string;
}

const packKey = (org: string, trip: string) => `travio.scan.pack.${org}.${trip}`;
const queueKey = (org: string) => `travio.scan.queue.${org}`;

export function savePack(org: string, pack: Pack) {
  localStorage.setItem(packKey(org, pack.trip.id), JSON.stringify(pack));
}

export function loadPack(org: string, trip: string): Pack | null {
  try {
    return JSON.parse(localStorage.getItem(packKey(org, trip)) || "null") as Pack | null;
  } catch {
    return null;
  }
}

export function pending(org: string): PendingScan[] {
  try {
    return JSON.parse(localStorage.getItem(queueKey(org)) || "[]") as PendingScan[];
  } catch {
    return [];
  }
}

export function setPending(org: string, scans: PendingScan[]) {
  localStorage.setItem(queueKey(org), JSON.stringify(scans));
}

/** This device's name in the boarding record ("conductor@device"), made once. */
export function deviceId(): string {
  let id = localStorage.getItem("travio.scan.device");
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    id = `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    localStorage.setItem("travio.scan.device", id);
  }
  return id;
}

/** "k7q2m 9xd3f" and "K7Q2M-9XD3F" are the same ticket number. */
export function normalNumber(text: string): string {
  return text.replace(/[^0-9a-z]/gi, "").toUpperCase();
}

/** Scans the server refused as a whole, kept apart (for a manager to look at), never retried. */
export function setAside(org: string, scans: PendingScan[], reason: string) {
  const key = `travio.scan.setAside.${org}`;
  let kept: unknown[] = [];
  try {
    kept = JSON.parse(localStorage.getItem(key) || "[]") as unknown[];
  } catch {
    kept = [];
  }
  localStorage.setItem(key, JSON.stringify([...kept, ...scans.map((scan) => ({ ...scan, reason }))].slice(-1000)));
}

/** Everything the scanner keeps on this device: packs (passenger names) and scans. */
export function forgetScanData() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("travio.scan.") && key !== "travio.scan.device") localStorage.removeItem(key);
  }
}
