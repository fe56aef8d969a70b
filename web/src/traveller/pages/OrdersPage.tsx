import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { call, isSignedIn } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { date, money, t, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { storedGuestToken } from "../../shared/session";
import type { List, Order } from "../../shared/types";

export function OrdersPage() {
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const signedIn = isSignedIn();
  const hasGuest = storedGuestToken() !== null;

  useEffect(() => {
    if (!signedIn && !hasGuest) {
      setOrders([]);
      return;
    }
    call<List<Order>>(endpoints.orders, { query: { limit: 50 } })
      .then((answer) => setOrders(answer.body.items))
      .catch((error) => setFailed(error instanceof ApiError && !error.isNetwork ? error.message : t("error.network")));
  }, []);

  return (
    <section class="card" aria-labelledby="orders-title">
      <h1 id="orders-title">{t("orders.title")}</h1>
      {!signedIn ? (
        <p class="muted">
          {t("orders.guestNote")} <a href="/signin?next=/orders">{t("nav.signIn")}</a>
        </p>
      ) : null}
      <Alert text={failed} />
      {orders === null && !failed ? <p aria-busy="true">{t("order.loading")}</p> : null}
      {orders && orders.length === 0 ? <p>{t("orders.none")}</p> : null}
      <ul class="order-list">
        {(orders ?? []).map((order) => (
          <li>
            <a href={`/orders/${encodeURIComponent(order.id)}`}>
              <strong>
                {order.from} → {order.to}
              </strong>{" "}
              <span class="muted">
                {date(order.departs_at)} · {time(order.departs_at)}
              </span>
              <span class={`badge status-${order.status}`}>{t(`order.status.${order.status}` as "order.status.confirmed")}</span>
              <span class="right">{money(order.total.amount, order.total.currency)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
