// Who the browser is to the API: a signed-in traveller (access and refresh tokens) or a guest
// (a guest access token, renewed when it runs out). Kept in localStorage so a reload or a
// second tab is the same person; the tokens never leave this origin.

const USER_KEY = "travio.user";
const GUEST_KEY = "travio.guest";
const MARGIN_MS = 30_000;

interface StoredToken {
  token: string;
  expires: number; // epoch ms
}

interface StoredUser extends StoredToken {
  refresh: string;
  email: string;
}

function read<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) || "null") as T | null;
  } catch {
    return null;
  }
}

export function signedInEmail(): string | null {
  return read<StoredUser>(USER_KEY)?.email ?? null;
}

export function saveUser(access: string, refresh: string, expiresIn: number, email: string) {
  const user: StoredUser = { token: access, refresh, expires: Date.now() + expiresIn * 1000, email };
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function forgetUser(): string | null {
  const user = read<StoredUser>(USER_KEY);
  localStorage.removeItem(USER_KEY);
  return user?.refresh ?? null;
}

export function userRefreshToken(): string | null {
  return read<StoredUser>(USER_KEY)?.refresh ?? null;
}

/** A usable signed-in access token, or null when there is none (or it has run out). */
export function userToken(): string | null {
  const user = read<StoredUser>(USER_KEY);
  return user && user.expires > Date.now() + MARGIN_MS ? user.token : null;
}

export function guestToken(): string | null {
  const guest = read<StoredToken>(GUEST_KEY);
  return guest && guest.expires > Date.now() + MARGIN_MS ? guest.token : null;
}

/** The guest token as stored, even when close to expiry: it still names the same guest. */
export function storedGuestToken(): string | null {
  return read<StoredToken>(GUEST_KEY)?.token ?? null;
}

export function saveGuest(access: string, expiresIn: number) {
  const guest: StoredToken = { token: access, expires: Date.now() + expiresIn * 1000 };
  localStorage.setItem(GUEST_KEY, JSON.stringify(guest));
}
