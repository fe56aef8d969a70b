// A booking's manage link (the email's "see or change your booking"): /orders/{id}?expires=
// &signature=. It stands in for the buyer, so a guest whose browser token is gone can still
// see and cancel. Kept for this tab only, and taken out of the address bar once read, so it
// is neither in the history nor shared by copying the address.

export interface LinkQuery {
  expires: string;
  signature: string;
}

const key = (orderId: string) => `travio.orderLink.${orderId}`;

/** The link's parameters for this order: from the address (saved), else from this tab. */
export function orderLink(orderId: string, query: URLSearchParams): LinkQuery | undefined {
  const expires = query.get("expires");
  const signature = query.get("signature");
  if (expires && signature && /^\d{1,12}$/.test(expires) && /^[0-9a-f]{64}$/.test(signature)) {
    sessionStorage.setItem(key(orderId), JSON.stringify({ expires, signature }));
    history.replaceState(null, "", location.pathname);
    return { expires, signature };
  }
  try {
    return (JSON.parse(sessionStorage.getItem(key(orderId)) || "null") as LinkQuery | null) ?? undefined;
  } catch {
    return undefined;
  }
}
