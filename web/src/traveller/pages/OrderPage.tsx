import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { call } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { date, money, t, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { stationsByCode } from "../../shared/stations";
import type { CancelQuote, Order, Station, Ticket, TicketDetail } from "../../shared/types";
import { TicketQr } from "../components/TicketQr";
import { orderLink, type LinkQuery } from "../orderLink";

/** A signed link of the server, made relative: it is served by this same origin. */
function sameOrigin(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.origin);
    return parsed.pathname.startsWith("/v1/") ? parsed.pathname + parsed.search : null;
  } catch {
    return null;
  }
}

const ACTIVE_ITEM = new Set(["active"]);

export function OrderPage({ orderId, query }: { orderId: string; query: URLSearchParams }) {
  const [link] = useState(() => orderLink(orderId, query));
  const [order, setOrder] = useState<Order | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [stations, setStations] = useState<Map<string, Station>>(new Map());

  const load = async () => {
    try {
      const answer = await call<Order>(endpoints.order, { params: { order_id: orderId }, query: { ...link } });
      setOrder(answer.body);
      setFailed(null);
      return answer.body;
    } catch (error) {
      setFailed(error instanceof ApiError && error.status === 404 ? t("order.notFound") : t("error.network"));
      return null;
    }
  };

  useEffect(() => {
    stationsByCode().then(setStations).catch(() => undefined);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const started = Date.now();
    // While payment, a review or the tickets are on their way, look again every few seconds.
    const poll = async () => {
      const current = await load();
      const waiting =
        current &&
        (current.status === "pending_payment" ||
          current.status === "under_review" ||
          (current.status !== "cancelled" && current.status !== "expired" && current.fulfillment?.status === "pending"));
      // A review takes minutes to hours: look less often, and stop after a day of it.
      const reviewing = current?.status === "under_review";
      if (reviewing && Date.now() - started > 86_400_000) return;
      if (!stopped && waiting) timer = setTimeout(poll, reviewing ? 15_000 : 2500);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [orderId]);

  if (failed && !order) {
    return (
      <section class="card">
        <h1>{t("order.title")}</h1>
        <p class="problem" role="alert">
          {failed}
        </p>
        <a href="/orders">{t("orders.title")}</a>
      </section>
    );
  }
  if (!order) return <p aria-busy="true">{t("order.loading")}</p>;

  const from = stations.get(order.from);
  const to = stations.get(order.to);
  const zone = from?.timezone;
  const pdf = sameOrigin(order.pdf_url);
  return (
    <>
      <section class="card">
        <p class={`badge status-${order.status}`} data-status={order.status}>
          {t(`order.status.${order.status}` as "order.status.confirmed")}
        </p>
        <h1>
          {from?.name ?? order.from} → {to?.name ?? order.to}
        </h1>
        <p class="muted">
          {date(order.departs_at, zone)} · {time(order.departs_at, zone)}
        </p>
        {order.status === "confirmed" || order.status === "partially_cancelled" ? (
          <p>{t("order.sentTo", { email: order.contact.email })}</p>
        ) : null}
        {order.status === "under_review" ? (
          <p class="note" role="status">
            {t("order.underReview")}
          </p>
        ) : null}
        {order.status === "pending_payment" ? (
          <p>
            {t("order.awaitingPayment")}{" "}
            <a href={`/checkout/${encodeURIComponent(order.hold_id)}`}>
              {t("order.payNow")}
            </a>
          </p>
        ) : null}
        <dl class="facts">
          <dt>{t("order.number")}</dt>
          <dd>
            <code>{order.id}</code>
          </dd>
          <dt>{t(totalLabel(order.status))}</dt>
          <dd>{money(order.total.amount, order.total.currency)}</dd>
          {order.refunds.length ? (
            <>
              <dt>{t("order.refunded")}</dt>
              <dd>
                {money(
                  order.refunds.reduce((sum, r) => sum + r.amount.amount, 0),
                  order.total.currency,
                )}
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <Tickets order={order} pdf={pdf} link={link} />
      <Cancellation order={order} onCancelled={load} link={link} />
    </>
  );
}

/** Paid, only authorised (a review), or neither yet. */
function totalLabel(status: Order["status"]): "order.total" | "order.totalAuthorised" | "order.totalPlain" {
  if (status === "confirmed" || status === "partially_cancelled" || status === "cancelled") return "order.total";
  return status === "under_review" ? "order.totalAuthorised" : "order.totalPlain";
}

function Tickets({ order, pdf, link }: { order: Order; pdf: string | null; link?: LinkQuery }) {
  const fulfillment = order.fulfillment?.status;
  const byseat = new Map<string, Ticket>();
  for (const ticket of order.tickets) if (ticket.status !== "void" || !byseat.has(ticket.seat)) byseat.set(ticket.seat, ticket);
  if (order.status === "pending_payment" || order.status === "under_review" || order.status === "expired") {
    return null;
  }
  return (
    <section class="card" aria-labelledby="tickets-title">
      <h2 id="tickets-title">{t("tickets.title")}</h2>
      {fulfillment === "pending" ? <p aria-busy="true">{t("tickets.pending")}</p> : null}
      {fulfillment === "failed" ? <p class="problem">{t("tickets.failed")}</p> : null}
      {pdf ? (
        <p>
          <a class="button primary" href={pdf} download>
            {t("tickets.download")}
          </a>
        </p>
      ) : null}
      <ul class="tickets">
        {order.items.map((item) => {
          const ticket = byseat.get(item.seat);
          return (
            <li class="ticket" data-seat={item.seat}>
              <div>
                <strong>{t("tickets.seat", { seat: item.seat })}</strong> · {item.passenger.name}
                <br />
                <span class="muted">
                  {ticket ? `${t("tickets.number")} ${ticket.number} · ` : ""}
                  {t(`tickets.status.${ticket?.status ?? (item.status === "cancelled" ? "void" : "pending")}` as "tickets.status.issued")}
                </span>
              </div>
              {ticket && ticket.status === "issued" ? <ShowQr ticket={ticket} link={link} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ShowQr({ ticket, link }: { ticket: Ticket; link?: LinkQuery }) {
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = async () => {
    setOpen(!open);
    if (!detail) {
      try {
        setDetail((await call<TicketDetail>(endpoints.ticket, { params: { ticket_id: ticket.id }, query: { ...link } })).body);
      } catch {
        setOpen(false);
      }
    }
  };
  return (
    <div class="show-qr">
      <button type="button" class="secondary" aria-expanded={open} onClick={toggle}>
        {open ? t("tickets.hideQr") : t("tickets.showQr")}
      </button>
      {open && detail ? <TicketQr text={detail.qr} label={t("tickets.qrLabel", { seat: ticket.seat })} /> : null}
    </div>
  );
}

function Cancellation({
  order,
  onCancelled,
  link,
}: {
  order: Order;
  onCancelled: () => Promise<Order | null>;
  link?: LinkQuery;
}) {
  const active = order.items.filter((item) => ACTIVE_ITEM.has(item.status));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [quote, setQuote] = useState<CancelQuote | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  if (!(order.status === "confirmed" || order.status === "partially_cancelled") || active.length === 0) {
    return done ? (
      <p class="card note" role="status">
        {done}
      </p>
    ) : null;
  }

  const ask = async () => {
    setBusy(true);
    setProblem(null);
    setQuote(null);
    try {
      const seats = [...chosen];
      const answer = await call<CancelQuote>(endpoints.cancelQuote, {
        params: { order_id: order.id },
        query: { ...link },
        body: seats.length === active.length ? {} : { seats },
      });
      setQuote(answer.body);
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === "not_cancellable" ? t("cancel.notCancellable") : error instanceof ApiError ? error.message : t("error.network"));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!quote || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await call<Order>(endpoints.cancel, {
        params: { order_id: order.id },
        query: { ...link },
        body: { quote_id: quote.quote_id },
      });
      setDone(t("cancel.done", { amount: money(quote.refund.amount, quote.refund.currency) }));
      setQuote(null);
      setChosen(new Set());
      await onCancelled();
    } catch (error) {
      if (error instanceof ApiError && error.code === "quote_expired") {
        setQuote(null);
        setProblem(t("cancel.quoteExpired"));
      } else setProblem(error instanceof ApiError ? error.message : t("error.network"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t("cancel.title")}</h2>
      {done ? (
        <p class="note" role="status">
          {done}
        </p>
      ) : null}
      <fieldset>
        <legend>{t("cancel.which")}</legend>
        {active.map((item) => (
          <label class="check">
            <input
              type="checkbox"
              name="cancel-seat"
              value={item.seat}
              checked={chosen.has(item.seat)}
              onChange={(e) => {
                const next = new Set(chosen);
                if ((e.target as HTMLInputElement).checked) next.add(item.seat);
                else next.delete(item.seat);
                setChosen(next);
                setQuote(null);
              }}
            />
            {t("tickets.seat", { seat: item.seat })} · {item.passenger.name}
          </label>
        ))}
      </fieldset>
      <button type="button" class="secondary" disabled={chosen.size === 0 || busy} onClick={ask}>
        {t("cancel.quote")}
      </button>
      {quote ? (
        <div class="quote" role="region" aria-label={t("cancel.quoteTitle")}>
          <h3>{t("cancel.quoteTitle")}</h3>
          <dl class="facts">
            <dt>{t("cancel.seats")}</dt>
            <dd>{quote.seats.join(", ")}</dd>
            <dt>{t("cancel.refund")}</dt>
            <dd data-field="refund">{money(quote.refund.amount, quote.refund.currency)}</dd>
            <dt>{t("cancel.fee")}</dt>
            <dd>{money(quote.fee.amount, quote.fee.currency)}</dd>
            <dt>{t("cancel.tier")}</dt>
            <dd>{t("cancel.tierText", { tier: quote.tier, percent: quote.percent })}</dd>
            <dt>{t("cancel.validUntil")}</dt>
            <dd>{time(quote.expires_at, Intl.DateTimeFormat().resolvedOptions().timeZone)}</dd>
          </dl>
          <button type="button" class="danger" disabled={busy} onClick={confirm}>
            {t("cancel.confirm", { seats: quote.seats.map((seat) => t("tickets.seat", { seat })).join(", ") })}
          </button>
        </div>
      ) : null}
      <Alert text={problem} />
    </section>
  );
}
