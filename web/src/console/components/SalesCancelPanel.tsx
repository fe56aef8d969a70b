import { useRef, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { time } from "../../shared/i18n";
import { ct } from "../i18n";
import { errorText, travellerText } from "../model";
import { orgCall } from "../workspace";
import { activeItems, moneyOf, paidWith, takingPayment, type StaffCancelQuote, type StaffOrder } from "./SalesModel";

/** What the cancellation did, for the page to say once it has the order again. */
export interface Cancelled {
  order: StaffOrder;
  note: string;
}

/**
 * Cancelling seats of an order on the traveller's behalf: the seats are chosen, the server
 * quotes the refund under the operator's policy, the page says where that money goes (back to
 * the card, or cash the agent hands back now), and only a second, separate click cancels.
 */
export function SalesCancelPanel({ order, zone, onCancelled }: { order: StaffOrder; zone: string; onCancelled: (done: Cancelled) => Promise<void> }) {
  const active = activeItems(order);
  const [chosen, setChosen] = useState<string[]>(() => active.map((item) => item.seat));
  const [quote, setQuote] = useState<StaffCancelQuote | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);

  const payment = takingPayment(order);
  const cash = payment?.method.type === "cash";
  const nameOf = (seat: string) => travellerText(order.items.find((item) => item.seat === seat)?.passenger.name ?? "");
  const seatsInWords = (seats: string[]) => seats.map((seat) => ct("sales.seatOf", { seat, name: nameOf(seat) })).join(", ");

  const toggle = (seat: string, on: boolean) => {
    setQuote(null);
    setProblem(null);
    setChosen((now) => (on ? [...now.filter((s) => s !== seat), seat] : now.filter((s) => s !== seat)));
  };

  const ask = async () => {
    if (inFlight.current || chosen.length === 0) return;
    inFlight.current = true;
    setBusy(true);
    setProblem(null);
    setQuote(null);
    try {
      // Every active seat: no list, so the server cancels the whole order.
      const body = chosen.length === active.length ? {} : { seats: active.map((i) => i.seat).filter((s) => chosen.includes(s)) };
      const answer = await orgCall<StaffCancelQuote>(endpoints.staffCancelQuote, { params: { order_id: order.id }, body });
      setQuote(answer.body);
    } catch (error) {
      if (error instanceof ApiError && error.code === "not_cancellable") setProblem(ct("cancel.notCancellable"));
      else if (error instanceof ApiError && error.fieldMessage("seats")) setProblem(error.fieldMessage("seats") ?? null);
      else setProblem(errorText(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!quote || inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await orgCall<StaffOrder>(endpoints.staffCancel, { params: { order_id: order.id }, body: { quote_id: quote.quote_id } });
      const words = { seats: quote.seats.join(", "), refund: moneyOf(quote.refund), n: quote.seats.length };
      const note =
        quote.refund.amount === 0
          ? ct("cancel.doneNoRefund", words)
          : cash
            ? ct("cancel.doneCash", words)
            : ct("cancel.doneCard", { ...words, method: payment ? paidWith(payment) : "" });
      await onCancelled({ order: answer.body, note });
      setQuote(null);
    } catch (error) {
      if (error instanceof ApiError && (error.code === "quote_expired" || error.status === 410)) {
        setQuote(null);
        setProblem(ct("cancel.quoteExpired"));
      } else if (error instanceof ApiError && error.code === "not_cancellable") {
        setQuote(null);
        setProblem(ct("cancel.notCancellable"));
      } else setProblem(errorText(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const refund = quote ? moneyOf(quote.refund) : "";
  const paidFor = quote ? order.items.filter((i) => quote.seats.includes(i.seat)).reduce((sum, i) => sum + i.price.amount, 0) : 0;

  return (
    <section class="card sales-cancel" aria-labelledby="cancel-title">
      <h2 id="cancel-title">{ct("cancel.title")}</h2>
      <p class="hint">{ct("cancel.lead")}</p>
      <fieldset>
        <legend>{ct("cancel.which")}</legend>
        {active.map((item) => (
          <label class="check" key={item.seat}>
            <input type="checkbox" name="cancel-seat" value={item.seat} checked={chosen.includes(item.seat)} onChange={(e) => toggle(item.seat, e.currentTarget.checked)} />
            <span>
              {ct("sales.seat", { seat: item.seat })} · <bdi>{travellerText(item.passenger.name)}</bdi> · {moneyOf(item.price)}
            </span>
          </label>
        ))}
      </fieldset>
      {/* The trigger stays where it is while the confirmation opens below it: a double click
          asks for one quote and never lands on the confirmation. */}
      <button type="button" class="secondary" disabled={busy || chosen.length === 0 || quote !== null} onClick={ask}>
        {ct("cancel.ask")}
      </button>
      {quote ? (
        <div class="decision">
          <div class="consequences" role="note" data-refund={quote.refund.amount}>
            <p>
              {quote.fee.amount === 0
                ? ct("cancel.refundFull", { seats: seatsInWords(quote.seats), refund, n: quote.seats.length })
                : ct("cancel.refundPart", {
                    seats: seatsInWords(quote.seats),
                    n: quote.seats.length,
                    refund,
                    paid: moneyOf({ amount: paidFor, currency: quote.refund.currency }),
                    fee: moneyOf(quote.fee),
                  })}
            </p>
            {quote.refund.amount === 0 ? (
              <p>{ct("cancel.nothingBack")}</p>
            ) : cash ? (
              <p>
                <strong>{ct("cancel.handBack", { refund })}</strong>
              </p>
            ) : (
              <p>{payment ? ct("cancel.toCard", { refund, method: paidWith(payment) }) : ct("cancel.toPayment", { refund })}</p>
            )}
            <p>{ct("cancel.seatsFreed", { n: quote.seats.length })}</p>
            <p class="muted small">{ct("cancel.quoteUntil", { time: time(quote.expires_at, zone) })}</p>
          </div>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={(event) => {
                // The second click of a double click is not a second answer.
                if (event.detail > 1) return;
                void confirm();
              }}
            >
              {quote.refund.amount === 0 ? ct("cancel.confirmNoRefund") : cash ? ct("cancel.confirmCash", { refund }) : ct("cancel.confirmCard", { refund })}
            </button>
            <button type="button" class="link" onClick={() => setQuote(null)}>
              {ct("cancel.keep")}
            </button>
          </div>
        </div>
      ) : null}
      <Alert text={problem} />
    </section>
  );
}
