import "../rooms.css";
import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { date, DEFAULT_ZONE, money, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { stationsByCode } from "../../shared/stations";
import type { List, Money, Station } from "../../shared/types";
import { FraudSettingsForm, signalName, type FraudSettings } from "../components/FraudSettingsForm";
import { ct } from "../i18n";
import { errorText, travellerText } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

interface RiskReason {
  signal: string;
  weight: number;
  detail: string;
}

/** An order held for review, as GET /v1/fraud/reviews answers it (the order with its risk). */
interface HeldOrder {
  id: string;
  status: string;
  trip_id: string;
  from: string;
  to: string;
  departs_at: string;
  items: { seat: string; passenger: { name: string }; price: Money; status: string }[];
  contact: { email: string; phone?: string };
  total: Money;
  created_at: string;
  payments: { status: string; amount: Money; method: { type: string; brand?: string; last4?: string } }[];
  risk: {
    decision: string;
    score: number;
    reasons: RiskReason[];
    fallback: boolean;
    review_deadline?: string;
    verdict?: string | null;
  } | null;
}

type Verdict = "approve" | "reject";

const PAGE = 50;

/** A card brand as the API names it ("visa") as people write it ("Visa"). */
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * Orders the risk checks held for review, oldest first, each with its score and the reasons
 * behind it; staff approve (the payment is captured, the order confirmed) or reject (the
 * payment voided, the seats released), told which before confirming. Below, for owners and
 * admins, the organization's fraud settings.
 */
export function FraudPage() {
  const { membership } = useWorkspace();
  const mayTune = can(membership, "fraud.settings");
  const [orders, setOrders] = useState<HeldOrder[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [stations, setStations] = useState<Map<string, Station>>(new Map());
  const [settings, setSettings] = useState<FraudSettings | null>(null);
  const [deciding, setDeciding] = useState<{ id: string; verdict: Verdict } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const readReviews = (after: string | null) =>
    orgCall<List<HeldOrder>>(endpoints.fraudReviews, { query: { limit: PAGE, cursor: after ?? undefined } }).then((a) => a.body);

  useEffect(() => {
    Promise.all([
      readReviews(null),
      // Names and zones of stations: without them the page still shows codes, in Dhaka's time.
      stationsByCode().catch(() => new Map<string, Station>()),
      mayTune ? orgCall<FraudSettings>(endpoints.fraudSettings).then((a) => a.body) : Promise.resolve(null),
    ])
      .then(([page, byCode, tuned]) => {
        setStations(byCode);
        setSettings(tuned);
        setCursor(page.next_cursor);
        setOrders(page.items);
      })
      .catch((error) => setProblem(errorText(error)));
  }, [membership?.org_id]);

  if (orders === null) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const zoneOf = (code: string) => stations.get(code)?.timezone ?? DEFAULT_ZONE;
  const place = (code: string) => stations.get(code)?.name ?? code;
  const when = (iso: string, zone: string) => `${date(iso, zone)}, ${time(iso, zone)}`;

  async function reload() {
    const page = await readReviews(null);
    setCursor(page.next_cursor);
    setOrders(page.items);
  }

  async function more() {
    if (!cursor) return;
    try {
      const page = await readReviews(cursor);
      setCursor(page.next_cursor);
      setOrders((before) => [...(before ?? []), ...page.items]);
    } catch (error) {
      setProblem(errorText(error));
    }
  }

  async function decide(order: HeldOrder, verdict: Verdict) {
    setBusy(true);
    setProblem(null);
    setNote(null);
    const words = { order: order.id.slice(0, 8), total: money(order.total.amount, order.total.currency) };
    try {
      await orgCall<HeldOrder>(verdict === "approve" ? endpoints.approveReview : endpoints.rejectReview, { params: { order_id: order.id } });
      await reload();
      setDeciding(null);
      setNote(ct(verdict === "approve" ? "fraud.approvedNote" : "fraud.rejectedNote", words));
    } catch (error) {
      if (error instanceof ApiError && error.code === "not_under_review") {
        setProblem(ct("fraud.notUnderReview", words));
        setDeciding(null);
        await reload().catch(() => undefined);
      } else if (error instanceof ApiError && error.status === 403 && /own order/.test(error.message)) {
        setProblem(ct("fraud.ownOrder"));
      } else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="fraud-page">
      <h1>{ct("fraud.title")}</h1>
      <p class="lead-text">{ct("fraud.lead")}</p>
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <Alert text={problem} />

      {orders.length === 0 ? (
        <p class="card">{ct("fraud.none")}</p>
      ) : (
        <ol class="reviews" aria-label={ct("fraud.listLabel", { n: orders.length })}>
          {orders.map((order) => {
            const zone = zoneOf(order.from);
            const trip = ct("fraud.trip", { from: place(order.from), to: place(order.to), when: when(order.departs_at, zone) });
            const payment = order.payments.find((p) => p.status === "authorized") ?? order.payments[0];
            const total = money(order.total.amount, order.total.currency);
            const active = order.items.filter((item) => item.status === "active");
            const items = active.length > 0 ? active : order.items;
            const seats = items.map((item) => item.seat);
            const risk = order.risk;
            const open = deciding?.id === order.id ? deciding.verdict : null;
            const headingId = `review-${order.id}`;
            return (
              <li key={order.id} class="card review" data-order={order.id} aria-labelledby={headingId}>
                <h2 id={headingId}>{trip}</h2>
                <div class="review-body">
                  <dl class="facts">
                    <dt>{ct("fraud.order")}</dt>
                    <dd>
                      <code>{order.id}</code>
                    </dd>
                    <dt>{ct("fraud.total")}</dt>
                    <dd>
                      <strong>{total}</strong>
                    </dd>
                    <dt>{ct("fraud.tripLabel")}</dt>
                    <dd>
                      <a href={`/console/trips/${order.trip_id}`}>{trip}</a>
                    </dd>
                    <dt>{ct("fraud.seats")}</dt>
                    <dd>
                      {items.map((item, i) => (
                        <span key={item.seat}>
                          {i > 0 ? ", " : ""}
                          <bdi>{ct("fraud.seatOf", { seat: item.seat, name: travellerText(item.passenger.name) })}</bdi>
                        </span>
                      ))}
                    </dd>
                    <dt>{ct("fraud.buyer")}</dt>
                    <dd>
                      <bdi>{travellerText(order.contact.email)}</bdi>
                      {order.contact.phone ? (
                        <>
                          {" · "}
                          <bdi>{travellerText(order.contact.phone)}</bdi>
                        </>
                      ) : null}
                    </dd>
                    {payment ? (
                      <>
                        <dt>{ct("fraud.paidWith")}</dt>
                        <dd>
                          {payment.method.last4
                            ? ct("fraud.card", { brand: capitalized(payment.method.brand ?? ""), last4: payment.method.last4 })
                            : payment.method.type}
                          {payment.status === "authorized" ? <span class="tag soft">{ct("fraud.authorized")}</span> : null}
                        </dd>
                      </>
                    ) : null}
                    <dt>{ct("fraud.placed")}</dt>
                    <dd>{when(order.created_at, zone)}</dd>
                    {risk?.review_deadline ? (
                      <>
                        <dt>{ct("fraud.decideBy")}</dt>
                        <dd>
                          <strong>{when(risk.review_deadline, zone)}</strong>
                        </dd>
                      </>
                    ) : null}
                  </dl>
                  <div class="risk">
                    <p class="risk-score">
                      {ct("fraud.score", { score: risk?.score ?? 0 })}
                      {risk?.fallback ? <span class="tag warn">{ct("fraud.fallback")}</span> : null}
                    </p>
                    <h3>{ct("fraud.why")}</h3>
                    {risk && risk.reasons.length > 0 ? (
                      <ul class="reasons">
                        {risk.reasons.map((reason, i) => (
                          <li key={i}>
                            <strong>{signalName(reason.signal)}</strong> <span class="tag warn">{ct("fraud.points", { n: reason.weight })}</span>
                            <br />
                            <span class="muted small" lang="en">
                              {reason.detail}
                            </span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p class="muted">{ct("fraud.noReasons")}</p>
                    )}
                  </div>
                </div>
                {open ? (
                  <div class="decision">
                    <div class="consequences" role="note">
                      {open === "approve" ? (
                        <p>{ct("fraud.approveSays", { total, seats: seats.join(", ") })}</p>
                      ) : (
                        <>
                          <p>{ct("fraud.rejectSays", { total })}</p>
                          <p>{ct("fraud.rejectSeats", { seats: seats.join(", ") })}</p>
                        </>
                      )}
                    </div>
                    <div class="actions">
                      <button type="button" class={open === "approve" ? "primary" : "danger"} disabled={busy} onClick={() => decide(order, open)}>
                        {open === "approve" ? ct("fraud.confirmApprove", { total }) : ct("fraud.confirmReject")}
                      </button>
                      <button type="button" class="link" onClick={() => setDeciding(null)}>
                        {ct("cancel")}
                      </button>
                    </div>
                  </div>
                ) : (
                  <div class="actions">
                    <button type="button" class="secondary" onClick={() => setDeciding({ id: order.id, verdict: "approve" })}>
                      {ct("fraud.approve")}
                    </button>
                    <button type="button" class="secondary danger-outline" onClick={() => setDeciding({ id: order.id, verdict: "reject" })}>
                      {ct("fraud.reject")}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {cursor ? (
        <button type="button" class="secondary" onClick={more}>
          {ct("fraud.more")}
        </button>
      ) : null}

      {mayTune && settings ? <FraudSettingsForm initial={settings} onSaved={setSettings} /> : null}
    </section>
  );
}
