import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { stationsByCode } from "../../shared/stations";
import type { Station } from "../../shared/types";
import { CounterCashForm } from "../components/CounterCashForm";
import { SalesCancelPanel } from "../components/SalesCancelPanel";
import {
  activeItems,
  journey,
  moneyOf,
  paidWith,
  shortRef,
  statusWord,
  when,
  zoneOf,
  type StaffOrder,
} from "../components/SalesModel";
import { hasTickets, SalesTickets } from "../components/SalesTickets";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, travellerText } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";
import "../trips.css";
import "../sales.css";

const GENDERS = new Set(["female", "male", "other"]);
const PAYMENT_STATUSES = new Set(["pending", "authorized", "captured", "partially_refunded", "refunded", "voided", "failed"]);

/** Whether the order's tickets are still on their way (looked for again every few seconds). */
const ticketsComing = (order: StaffOrder) =>
  (order.status === "confirmed" || order.status === "partially_cancelled") &&
  (order.fulfillment?.status === "pending" || (order.tickets.length === 0 && activeItems(order).length > 0));

/**
 * One order as staff see it: the trip, the buyer, each seat with its passenger and ticket, what
 * was paid and refunded, and how. Roles that sell may cancel seats on the traveller's behalf
 * (told the refund and where it goes first) and take cash for an order still awaiting payment.
 */
export function OrderPage({ orderId }: { orderId: string }) {
  const { membership } = useWorkspace();
  const sells = can(membership, "sales.create");
  const [order, setOrder] = useState<StaffOrder | null>(null);
  const [stations, setStations] = useState<Map<string, Station>>(new Map());
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  // The owed cash refund being handed over: asked once, confirmed by a second click.
  const [handing, setHanding] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A second click lands before the first one's state is drawn: the ref stops it.
  const handingOver = useRef(false);
  const polls = useRef(0);

  const read = () => orgCall<StaffOrder>(endpoints.order, { params: { order_id: orderId } }).then((a) => a.body);

  useEffect(() => {
    Promise.all([read(), stationsByCode().catch(() => new Map<string, Station>())])
      .then(([found, byCode]) => {
        setStations(byCode);
        setOrder(found);
      })
      .catch((error) => {
        if (error instanceof ApiError && error.status === 404) setMissing(true);
        else setProblem(errorText(error));
      });
  }, [orderId, membership?.org_id]);

  // Tickets are issued a moment after the payment or a cancellation: look again for half a
  // minute, quietly.
  useEffect(() => {
    if (!order || !ticketsComing(order) || polls.current >= 15) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      read().then(setOrder, () => undefined);
    }, 2000);
    return () => clearTimeout(timer);
  }, [order]);

  if (missing) {
    return (
      <section class="card">
        <h1>{ct("order.notFound")}</h1>
        <p>
          <a href="/console/orders">{ct("order.backToOrders")}</a>
        </p>
      </section>
    );
  }
  if (!order) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const zone = zoneOf(stations, order.from);
  const trip = `${journey(stations, order)}, ${when(order.departs_at, zone)}`;
  // Cash owed at the counter is not back with the traveller yet: it is shown apart.
  const sumOf = (owed: boolean) =>
    order.refunds.filter((r) => (r.status === "owed") === owed).reduce((sum, r) => sum + r.amount.amount, 0);
  const refunded = sumOf(false);
  const owed = sumOf(true);
  const active = activeItems(order);
  const cancellable = sells && (order.status === "confirmed" || order.status === "partially_cancelled") && active.length > 0;
  const paymentOf = (id: string | undefined) => order.payments.find((p) => p.id === id) ?? order.payments[0];

  const reload = async () => {
    polls.current = 0;
    setOrder(await read());
  };

  const handOver = async (refundId: string) => {
    if (handingOver.current) return;
    handingOver.current = true;
    setBusy(true);
    setProblem(null);
    try {
      const paid = await orgCall<{ amount: { amount: number; currency: string } }>(endpoints.payOutRefund, { params: { refund_id: refundId } });
      setHanding(null);
      setNote(ct("order.handedOver", { amount: moneyOf(paid.body.amount) }));
      await reload();
    } catch (error) {
      setHanding(null);
      setProblem(errorText(error));
      await reload().catch(() => undefined);
    } finally {
      handingOver.current = false;
      setBusy(false);
    }
  };

  return (
    <section class="order-page">
      <p class="crumbs">
        <a href="/console/orders">{ct("orders.title")}</a>
      </p>
      <div class="page-head">
        <h1>{ct("order.heading", { ref: shortRef(order.id) })}</h1>
        <span class={`badge status-${order.status}`} data-status={order.status}>
          {statusWord(order.status)}
        </span>
      </div>
      <p class="lead-line">
        {can(membership, "catalog.read") ? <a href={`/console/trips/${encodeURIComponent(order.trip_id)}`}>{trip}</a> : trip}
      </p>
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <Alert text={problem} />

      <div class="order-grid">
        <section class="card" aria-labelledby="order-buyer">
          <h2 id="order-buyer">{ct("order.about")}</h2>
          <dl class="facts">
            <dt>{ct("order.number")}</dt>
            <dd>
              <code class="order-id">{order.id}</code>
            </dd>
            <dt>{ct("order.contact")}</dt>
            <dd>
              <bdi>{travellerText(order.contact.email)}</bdi>
              {order.contact.phone ? (
                <>
                  <br />
                  <bdi>{travellerText(order.contact.phone)}</bdi>
                </>
              ) : null}
            </dd>
            <dt>{ct("order.placed")}</dt>
            <dd>{when(order.created_at, zone)}</dd>
            {order.status === "pending_payment" ? (
              <>
                <dt>{ct("order.payBy")}</dt>
                <dd>
                  <strong>{when(order.expires_at, zone)}</strong>
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        <section class="card" aria-labelledby="order-money">
          <h2 id="order-money">{ct("order.money")}</h2>
          <dl class="facts">
            <dt>{ct("order.total")}</dt>
            <dd>
              <strong data-total={order.total.amount}>{moneyOf(order.total)}</strong>
            </dd>
            {order.payments.map((payment) => (
              <Fragment key={payment.id}>
                <dt>{ct("order.paidWith")}</dt>
                <dd data-payment={payment.id}>
                  {paidWith(payment)} · {moneyOf(payment.amount)}{" "}
                  <span class="tag soft">
                    {order.refunds.some((r) => r.payment_id === payment.id && r.status === "owed")
                      ? ct("order.payment.refundOwed")
                      : PAYMENT_STATUSES.has(payment.status)
                        ? ct(`order.payment.${payment.status}` as ConsoleKey)
                        : payment.status}
                  </span>
                </dd>
              </Fragment>
            ))}
            {order.payments.length === 0 ? (
              <>
                <dt>{ct("order.paidWith")}</dt>
                <dd>{ct("order.notPaid")}</dd>
              </>
            ) : null}
            {refunded > 0 ? (
              <>
                <dt>{ct("order.refunded")}</dt>
                <dd data-refunded={refunded}>{moneyOf({ amount: refunded, currency: order.total.currency })}</dd>
              </>
            ) : null}
            {owed > 0 ? (
              <>
                <dt>{ct("order.owed")}</dt>
                <dd data-owed={owed}>{moneyOf({ amount: owed, currency: order.total.currency })}</dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <div class="table-scroll">
        <table class="table order-items">
          <caption>{ct("order.seats")}</caption>
          <thead>
            <tr>
              <th scope="col">{ct("order.seat")}</th>
              <th scope="col">{ct("order.passenger")}</th>
              <th scope="col">{ct("order.phone")}</th>
              <th scope="col" class="num">
                {ct("order.price")}
              </th>
              <th scope="col">{ct("order.seatStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={item.seat} data-seat={item.seat} data-item-status={item.status}>
                <th scope="row">{item.seat}</th>
                <td>
                  <bdi>{travellerText(item.passenger.name)}</bdi>
                  <span class="muted small block">
                    {GENDERS.has(item.passenger.gender) ? ct(`sales.gender.${item.passenger.gender}` as ConsoleKey) : item.passenger.gender}
                    {item.passenger.age !== undefined ? ` · ${ct("order.age", { n: item.passenger.age })}` : ""}
                  </span>
                </td>
                <td>{item.passenger.phone ? <bdi>{travellerText(item.passenger.phone)}</bdi> : <span class="muted">—</span>}</td>
                <td class="num nowrap">{moneyOf(item.price)}</td>
                <td>
                  <span class={item.status === "cancelled" ? "badge status-cancelled" : "badge status-confirmed"}>
                    {item.status === "cancelled" ? ct("order.seatCancelled") : ct("order.seatActive")}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {hasTickets(order) ? (
        <div class="card">
          <SalesTickets order={order} />
        </div>
      ) : null}

      {order.refunds.length > 0 ? (
        <div class="table-scroll">
          <table class="table order-refunds">
            <caption>{ct("order.refunds")}</caption>
            <thead>
              <tr>
                <th scope="col">{ct("order.refundWhen")}</th>
                <th scope="col" class="num">
                  {ct("order.refundAmount")}
                </th>
                <th scope="col">{ct("order.refundTo")}</th>
                {sells ? <th scope="col">{ct("order.refundAction")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {order.refunds.map((refund) => {
                const payment = paymentOf(refund.payment_id);
                return (
                  <tr key={refund.id} data-refund={refund.id}>
                    <td>{when(refund.created_at, zone)}</td>
                    <td class="num nowrap">{moneyOf(refund.amount)}</td>
                    <td>
                      {refund.status === "owed" ? (
                        <span class="badge status-pending_payment">{ct("order.refundOwed")}</span>
                      ) : payment ? (
                        payment.method.type === "cash" ? (
                          ct("order.refundCash")
                        ) : (
                          paidWith(payment)
                        )
                      ) : (
                        "—"
                      )}
                    </td>
                    {sells ? (
                      <td>
                        {refund.status !== "owed" ? null : handing === refund.id ? (
                          <span class="actions">
                            <button type="button" class="button danger" disabled={busy} onClick={() => handOver(refund.id)}>
                              {ct("order.handOverConfirm", { amount: moneyOf(refund.amount) })}
                            </button>{" "}
                            <button type="button" class="link" disabled={busy} onClick={() => setHanding(null)}>
                              {ct("order.handOverKeep")}
                            </button>
                          </span>
                        ) : (
                          <button type="button" class="button secondary" disabled={busy} onClick={() => setHanding(refund.id)}>
                            {ct("order.handOver", { amount: moneyOf(refund.amount) })}
                          </button>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}

      {sells && order.channel === "counter" && order.status === "pending_payment" ? (
        <section class="card">
          <CounterCashForm
            order={order}
            onPaid={(paid) => {
              setProblem(null);
              setNote(ct("order.cashTaken", { total: moneyOf(paid.total) }));
              polls.current = 0;
              setOrder(paid);
            }}
            onGone={(message) => {
              setProblem(message);
              reload().catch(() => undefined);
            }}
          />
          <p class="hint">{ct("order.holdEnds", { time: time(order.expires_at, zone) })}</p>
        </section>
      ) : null}

      {cancellable ? (
        <SalesCancelPanel
          key={active.map((i) => i.seat).join(",")}
          order={order}
          zone={zone}
          onCancelled={async ({ order: cancelled, note: said }) => {
            setNote(said);
            setOrder(cancelled);
            await reload().catch(() => undefined);
          }}
        />
      ) : null}
      {!cancellable && note === null && sells && (order.status === "cancelled" || order.status === "expired") ? (
        <p class="muted">{ct(order.status === "cancelled" ? "order.nothingLeft" : "order.expiredText")}</p>
      ) : null}
    </section>
  );
}
