// The hold a traveller is checking out with, and the queue tokens a waiting room gave this tab.

import type { Hold } from "../shared/types";

export function rememberHold(hold: Hold) {
  sessionStorage.setItem(`travio.hold.${hold.hold_id}`, JSON.stringify(hold));
}

export function queueToken(tripId: string): string | null {
  return sessionStorage.getItem(`travio.queue.token.${tripId}`);
}

export function rememberQueueToken(tripId: string, token: string) {
  sessionStorage.setItem(`travio.queue.token.${tripId}`, token);
}

export function forgetQueueToken(tripId: string) {
  sessionStorage.removeItem(`travio.queue.token.${tripId}`);
}
