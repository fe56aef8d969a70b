import { useRef, useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { ct } from "../i18n";
import { errorText } from "../model";
import { orgCall } from "../workspace";
import { cashToMinor, moneyOf, type StaffOrder } from "./SalesModel";

interface CashPayment {
  id: string;
  status: string;
  order: StaffOrder;
}

/**
 * Cash taken at the counter for a pending order: the agent types what they counted, which must
 * be the order's total; the server confirms the order as a card payment would. One key per
 * amount sent, so a retry after a lost answer records the cash once.
 */
export function CounterCashForm(props: {
  order: StaffOrder;
  /** The order, confirmed. */
  onPaid: (order: StaffOrder) => void;
  /** The order can no longer be paid (its hold ran out, or it was settled meanwhile). */
  onGone: (message: string) => void;
  headingLevel?: 2 | 3;
}) {
  const { order } = props;
  const [text, setText] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const request = useRef(new IdempotentRequest());
  const total = moneyOf(order.total);
  const Heading = props.headingLevel === 3 ? "h3" : "h2";

  const submit = async (event: Event) => {
    event.preventDefault();
    if (inFlight.current) return;
    setProblem(null);
    const amount = cashToMinor(text, order.total.currency);
    if (amount === null || amount <= 0) {
      setError(ct("cash.amountInvalid"));
      focusFirstError();
      return;
    }
    setError(undefined);
    const body = { amount };
    inFlight.current = true;
    setBusy(true);
    try {
      const answer = await orgCall<CashPayment>(endpoints.cashPayment, {
        params: { order_id: order.id },
        body,
        idempotencyKey: request.current.keyFor({ order_id: order.id, ...body }),
      });
      props.onPaid(answer.body.order);
    } catch (failure) {
      if (failure instanceof ApiError && failure.fieldMessage("amount")) {
        // The server says it in minor units; the agent counted notes: the total in money.
        setError(ct("cash.notTotal", { total, typed: moneyOf({ amount, currency: order.total.currency }) }));
        focusFirstError();
      } else if (failure instanceof ApiError && (failure.status === 410 || failure.code === "hold_expired")) {
        props.onGone(ct("cash.holdExpired"));
      } else if (failure instanceof ApiError && failure.status === 409) {
        props.onGone(ct("cash.notPayable", { reason: failure.message }));
      } else if (failure instanceof ApiError && failure.isNetwork) {
        setProblem(ct("cash.networkRetry"));
      } else {
        setProblem(errorText(failure));
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <form class="cash-form" onSubmit={submit} noValidate aria-labelledby={`cash-title-${order.id}`}>
      <Heading id={`cash-title-${order.id}`}>{ct("cash.title")}</Heading>
      <p class="cash-total">
        <span>{ct("cash.totalLabel")}</span> <strong data-total={order.total.amount}>{total}</strong>
      </p>
      <div class="row wrap">
        <Field id={`cash-amount-${order.id}`} label={ct("cash.amount", { currency: order.total.currency })} error={error}>
          <input
            id={`cash-amount-${order.id}`}
            class="money-input"
            inputMode="decimal"
            autocomplete="off"
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setError(undefined);
            }}
          />
        </Field>
        <button type="submit" class="primary filter-button" disabled={busy}>
          {busy ? ct("cash.recording") : ct("cash.record")}
        </button>
      </div>
      <p class="hint">{ct("cash.hint")}</p>
      <Alert text={problem} />
    </form>
  );
}
