import { useRef, useState } from "preact/hooks";
import { call, IdempotentRequest } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { money, t } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import type { Order, Payment } from "../../shared/types";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";

type Method = "card" | "redirect";

/** Luhn's check: catches a mistyped digit before the card goes anywhere. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

/** "12/27", "12 / 2027" or "1227" as month and four-digit year, or null. */
function parseExpiry(text: string): { month: number; year: number } | null {
  const found = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!found) return null;
  const month = Number(found[1]);
  let year = Number(found[2]);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) return null;
  return { month, year };
}

export function PaymentForm({
  order,
  onPaid,
  onRefused,
}: {
  order: Order;
  onPaid: (payment: Payment) => void;
  /** The order can no longer be paid (fraud screening refused it): says why. */
  onRefused: (message: string) => void;
}) {
  const [method, setMethod] = useState<Method>("card");
  const [number, setNumber] = useState("");
  const [expiry, setExpiry] = useState("");
  const [cvc, setCvc] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const request = useRef(new IdempotentRequest());

  const submit = async (event: Event) => {
    event.preventDefault();
    // A second click while the first is on its way does nothing here; were it to go out, the
    // same Idempotency-Key would make the server answer it with the first one's result.
    if (inFlight.current) return;
    setProblem(null);
    let body: { order_id: string; method: Record<string, unknown> };
    if (method === "card") {
      const digits = number.replace(/[\s-]/g, "");
      const found: Record<string, string> = {};
      const parsed = parseExpiry(expiry);
      if (!/^\d+$/.test(digits) || !luhn(digits)) found["method.number"] = t("pay.numberInvalid");
      if (!parsed) found["method.exp"] = t("pay.expiryInvalid");
      else {
        const now = new Date();
        if (parsed.year < now.getFullYear() || (parsed.year === now.getFullYear() && parsed.month < now.getMonth() + 1)) {
          found["method.exp"] = t("pay.expiryPast");
        }
      }
      if (!/^\d{3,4}$/.test(cvc)) found["method.cvc"] = t("pay.cvcInvalid");
      setErrors(found);
      if (Object.keys(found).length) {
        focusFirstError();
        return;
      }
      body = {
        order_id: order.id,
        method: { type: "card", number: digits, exp_month: parsed!.month, exp_year: parsed!.year, cvc },
      };
    } else {
      setErrors({});
      body = { order_id: order.id, method: { type: "redirect" } };
    }
    inFlight.current = true;
    setBusy(true);
    try {
      const answer = await call<Payment>(endpoints.pay, { body, idempotencyKey: request.current.keyFor(body) });
      const payment = answer.body;
      if (payment.redirect_url && payment.status === "pending") {
        location.assign(payment.redirect_url);
        return;
      }
      if (payment.status === "failed") {
        setErrors({ "method.number": t("pay.declined") });
        focusFirstError();
      } else {
        onPaid(payment);
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === "payment_declined") {
        setErrors({ "method.number": declineText(error) });
        focusFirstError();
      } else if (error.problem.errors?.length) {
        const found: Record<string, string> = {};
        for (const problem of error.problem.errors) {
          const field = problem.field === "method.exp_month" || problem.field === "method.exp_year" ? "method.exp" : problem.field;
          found[field] = problem.message;
        }
        setErrors(found);
        focusFirstError();
      } else if (error.isNetwork) {
        setProblem(t("error.networkRetry"));
      } else if (error.code === "risk_declined") {
        onRefused(t("pay.riskDeclined"));
      } else if (error.code === "request_in_progress") {
        setProblem(t("error.inProgress"));
      } else {
        setProblem(error.message);
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="pay-title">
      <h2 id="pay-title">{t("pay.title")}</h2>
      <div class="methods" role="radiogroup" aria-label={t("pay.method")}>
        <label class={method === "card" ? "method on" : "method"}>
          <input type="radio" name="method" value="card" checked={method === "card"} onChange={() => setMethod("card")} />
          {t("pay.card")}
        </label>
        <label class={method === "redirect" ? "method on" : "method"}>
          <input
            type="radio"
            name="method"
            value="redirect"
            checked={method === "redirect"}
            onChange={() => setMethod("redirect")}
          />
          {t("pay.redirect")}
        </label>
      </div>
      {method === "card" ? (
        <>
          <Field id="card-number" label={t("pay.number")} error={errors["method.number"]}>
            <input
              id="card-number"
              inputMode="numeric"
              autocomplete="cc-number"
              placeholder="4242 4242 4242 4242"
              value={number}
              maxLength={23}
              onInput={(e) => {
                setErrors(({ "method.number": _, ...rest }) => rest);
                setNumber((e.target as HTMLInputElement).value);
              }}
            />
          </Field>
          <div class="row">
            <Field id="card-exp" label={t("pay.expiry")} error={errors["method.exp"]}>
              <input
                id="card-exp"
                inputMode="numeric"
                autocomplete="cc-exp"
                placeholder={t("pay.expiryPlaceholder")}
                value={expiry}
                maxLength={7}
                onInput={(e) => {
                  setErrors(({ "method.exp": _, ...rest }) => rest);
                  setExpiry((e.target as HTMLInputElement).value);
                }}
              />
            </Field>
            <Field id="card-cvc" label={t("pay.cvc")} error={errors["method.cvc"]} narrow>
              <input
                id="card-cvc"
                inputMode="numeric"
                autocomplete="cc-csc"
                value={cvc}
                maxLength={4}
                onInput={(e) => {
                  setErrors(({ "method.cvc": _, ...rest }) => rest);
                  setCvc((e.target as HTMLInputElement).value);
                }}
              />
            </Field>
          </div>
          <p class="muted small">{t("pay.sandboxCards")}</p>
        </>
      ) : (
        <p class="muted">{t("pay.redirectExplain")}</p>
      )}
      <Alert text={problem} />
      <button type="submit" class="primary wide" id="pay" disabled={busy}>
        {busy ? t("pay.paying") : t("pay.submit", { amount: money(order.total.amount, order.total.currency) })}
      </button>
    </form>
  );
}

function declineText(error: ApiError): string {
  const reason = String(error.problem.decline_reason ?? error.problem.reason ?? "");
  if (reason.includes("insufficient") || error.message.toLowerCase().includes("insufficient")) return t("pay.insufficient");
  return t("pay.declined");
}
