// The one way the apps talk to the gateway: same origin, JSON, problem+json errors turned into
// ApiError, the caller's bearer attached, and an Idempotency-Key on every request that creates
// something. Every path used here is declared in endpoints.ts, which the browser tests check
// against the server's /openapi.json.

import { endpoints, type Endpoint } from "./endpoints";
import { ApiError, type ProblemBody } from "./problem";
import * as session from "./session";

/** none: anonymous; caller: the signed-in user, else a guest; user: the signed-in user only. */
export type Auth = "none" | "caller" | "user";

export interface CallOptions {
  params?: Record<string, string>; // path parameters
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  auth?: Auth;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

let guestRequest: Promise<string> | null = null;

/** A guest bearer for checkout without an account; one request even when many ask at once. */
async function guestBearer(renew: boolean): Promise<string> {
  const saved = renew ? null : session.guestToken();
  if (saved) return saved;
  guestRequest ??= (async () => {
    try {
      const answer = await send<{ access_token: string; expires_in: number }>(
        endpoints.guest,
        { auth: "none" },
      );
      session.saveGuest(answer.body.access_token, answer.body.expires_in);
      return answer.body.access_token;
    } finally {
      guestRequest = null;
    }
  })();
  return guestRequest;
}

let refreshRequest: Promise<string | null> | null = null;

async function userBearer(): Promise<string | null> {
  const current = session.userToken();
  if (current) return current;
  const refresh = session.userRefreshToken();
  if (!refresh) return null;
  refreshRequest ??= (async () => {
    try {
      const answer = await send<{ access_token: string; refresh_token: string; expires_in: number }>(
        endpoints.refresh,
        { auth: "none", body: { refresh_token: refresh } },
      );
      const email = session.signedInEmail() ?? "";
      session.saveUser(answer.body.access_token, answer.body.refresh_token, answer.body.expires_in, email);
      return answer.body.access_token;
    } catch (error) {
      // A spent or revoked refresh token: the traveller signs in again.
      if (error instanceof ApiError && error.status === 401) session.forgetUser();
      return null;
    } finally {
      refreshRequest = null;
    }
  })();
  return refreshRequest;
}

/** The bearer of whoever uses this browser: the signed-in traveller, else a guest. */
export async function callerBearer(renewGuest = false): Promise<string> {
  return (await userBearer()) ?? guestBearer(renewGuest);
}

export function isSignedIn(): boolean {
  return session.signedInEmail() !== null;
}

async function send<T>(endpoint: Endpoint, options: CallOptions, bearer?: string): Promise<Answer<T>> {
  const url = new URL(fillPath(endpoint.path, options.params), location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(url, {
      method: endpoint.method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, { detail: String(error) });
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text };
    }
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("Retry-After"));
    throw new ApiError(response.status, (body ?? {}) as ProblemBody, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** Calls an endpoint as the browser's caller (or anonymously), renewing a guest token once. */
export async function call<T>(endpoint: Endpoint, options: CallOptions = {}): Promise<Answer<T>> {
  if ((options.auth ?? "caller") === "none") return send<T>(endpoint, options);
  if (options.auth === "user") {
    // Staff never fall back to a guest: without a session the answer is "sign in again".
    const bearer = await userBearer();
    if (!bearer) throw new ApiError(401, { code: "signed_out", detail: "Sign in again." });
    try {
      return await send<T>(endpoint, options, bearer);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) session.forgetUser();
      throw error;
    }
  }
  try {
    return await send<T>(endpoint, options, await callerBearer());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && !isSignedIn()) {
      return send<T>(endpoint, options, await callerBearer(true));
    }
    throw error;
  }
}

/**
 * A fresh Idempotency-Key: a random UUID from the browser's CSPRNG. Built from
 * getRandomValues because randomUUID exists only in secure contexts, and a phone on the
 * operator's LAN may reach the gateway over plain http.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One key per distinct request: a double click or a retry after a network error sends the
 * same body with the same key (the server books once and replays its answer); a changed body,
 * after the traveller corrected a field, gets a new key, since the server refuses a key reused
 * for another body.
 */
export class IdempotentRequest {
  private lastBody = "";
  private key = "";

  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (text !== this.lastBody || !this.key) {
      this.lastBody = text;
      this.key = newIdempotencyKey();
    }
    return this.key;
  }
}

/** Signs in with email and password; the tokens are kept for this browser. */
export async function signIn(email: string, password: string): Promise<void> {
  const answer = await send<{ access_token: string; refresh_token: string; expires_in: number }>(
    endpoints.login,
    { body: { email, password } },
  );
  session.saveUser(answer.body.access_token, answer.body.refresh_token, answer.body.expires_in, email);
}

/** Forgets the signed-in traveller here and revokes the refresh token (best effort). */
export function signOut(): void {
  const refresh = session.forgetUser();
  if (refresh) send(endpoints.logout, { body: { refresh_token: refresh } }).catch(() => undefined);
}
