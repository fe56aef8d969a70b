// Checks a ticket code offline: a PASETO v4.public token (Ed25519) signed by one of the keys of
// the boarding pack, with the implicit assertion "travio-ticket". The signature is checked by
// the browser's WebCrypto; this file only assembles the signed message as the PASETO
// specification defines it (PAE, pre-authentication encoding). WebCrypto exists only in secure
// contexts (https, localhost): elsewhere nothing is verified here and the server decides when
// the scans are synced.

export interface TicketClaims {
  tid: string;
  trip: string;
  seat: string;
  from?: string;
  to?: string;
  dep?: string;
  exp?: string;
}

export interface PackKey {
  kid: string;
  public_key: string; // hex, 32 bytes
}

type Bytes = Uint8Array<ArrayBuffer>;

const HEADER = "v4.public.";
const IMPLICIT = "travio-ticket";
const text = new TextEncoder();

function base64UrlDecode(input: string): Bytes | null {
  if (!/^[A-Za-z0-9_-]*$/.test(input)) return null;
  const padded = input.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((input.length + 3) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function hexDecode(hex: string): Bytes | null {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16));
}

/** PAE: the count of pieces, then each piece's length and bytes, lengths as 64-bit LE. */
function pae(pieces: Bytes[]): Bytes {
  const le64 = (n: number) => {
    const out = new Uint8Array(8);
    let value = n;
    for (let i = 0; i < 8; i++) {
      out[i] = value & 0xff;
      value = Math.floor(value / 256);
    }
    out[7] &= 0x7f;
    return out;
  };
  const parts = [le64(pieces.length)];
  for (const piece of pieces) parts.push(le64(piece.length), piece);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The claims when the token is well formed, without checking its signature. */
export function unverifiedClaims(token: string): TicketClaims | null {
  if (!token.startsWith(HEADER)) return null;
  const [body] = token.slice(HEADER.length).split(".");
  const bytes = base64UrlDecode(body ?? "");
  if (!bytes || bytes.length <= 64) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(bytes.slice(0, -64))) as TicketClaims;
    return typeof claims.tid === "string" && typeof claims.trip === "string" ? claims : null;
  } catch {
    return null;
  }
}

export function canVerify(): boolean {
  return typeof crypto !== "undefined" && crypto.subtle !== undefined;
}

/** The claims of a token one of `keys` signed, or null (forged, altered, unknown key). */
export async function verifyTicket(token: string, keys: PackKey[]): Promise<TicketClaims | null> {
  if (!canVerify() || !token.startsWith(HEADER)) return null;
  const [body, footerPart, extra] = token.slice(HEADER.length).split(".");
  if (extra !== undefined) return null;
  const payload = base64UrlDecode(body ?? "");
  const footer: Bytes | null = footerPart === undefined ? new Uint8Array() : base64UrlDecode(footerPart);
  if (!payload || !footer || payload.length <= 64) return null;
  const message = payload.slice(0, -64);
  const signature = payload.slice(-64);
  let kid = "";
  try {
    kid = footer.length ? String(JSON.parse(new TextDecoder().decode(footer)).kid ?? "") : "";
  } catch {
    return null;
  }
  const signed = pae([text.encode(HEADER), message, footer, text.encode(IMPLICIT)]);
  for (const key of keys.filter((k) => !kid || k.kid === kid)) {
    const raw = hexDecode(key.public_key);
    if (!raw || raw.length !== 32) continue;
    try {
      const publicKey = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
      if (await crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, signed)) {
        return unverifiedClaims(token);
      }
    } catch {
      // A browser without Ed25519 in WebCrypto: the server decides at sync.
      return null;
    }
  }
  return null;
}
