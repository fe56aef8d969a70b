import { useEffect, useRef, useState } from "preact/hooks";
import { call, IdempotentRequest } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { date, money, t, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { signedInEmail } from "../../shared/session";
import type { Hold, Order, Passenger, Payment } from "../../shared/types";
import { Countdown } from "../components/Countdown";
import { rememberHold } from "../holds";
import { rememberedTrip } from "../tripSummary";
import { Alert, EMAIL_PATTERN, Field, focusFirstError } from "../../shared/components/Field";
import { PaymentForm } from "../components/PaymentForm";

type Errors = Record<string, string>;

const PHONE = /^\+?[0-9 ()-]{6,20}$/;

function orderKey(holdId: string) {
  return `travio.order.forHold.${holdId}`;
}

/** The server's field errors, keyed as the form's fields are ("passengers[0].name"). */
function serverErrors(error: ApiError): Errors {
  const out: Errors = {};
  for (const problem of error.problem.errors ?? []) out[problem.field] = problem.message;
  return out;
}

export function CheckoutPage({ holdId }: { holdId: string }) {
  const [hold, setHold] = useState<Hold | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  // Refused for good (fraud screening): no timer, no form, only the way back to the search.
  const [closed, setClosed] = useState(false);

  useEffect(() => {
    (async () => {
      const orderId = sessionStorage.getItem(orderKey(holdId));
      if (orderId) {
        try {
          const answer = await call<Order>(endpoints.order, { params: { order_id: orderId } });
          if (answer.body.status !== "pending_payment") {
            navigate(`/orders/${encodeURIComponent(orderId)}`, { replace: true });
            return;
          }
          setOrder(answer.body);
        } catch {
          sessionStorage.removeItem(orderKey(holdId));
        }
      }
      try {
        const answer = await call<Hold>(endpoints.getHold, { params: { hold_id: holdId } });
        rememberHold(answer.body);
        setHold(answer.body);
      } catch (error) {
        setFailed(error instanceof ApiError && error.status === 404 ? t("checkout.holdGone") : t("error.network"));
      }
    })();
  }, [holdId]);

  if (failed && !order) {
    return (
      <section class="card">
        <h1>{t("checkout.title")}</h1>
        <p class="problem" role="alert">
          {failed}
        </p>
        <a href="/">{t("trip.backToSearch")}</a>
      </section>
    );
  }
  if (!hold && !order) return <p aria-busy="true">{t("checkout.loading")}</p>;

  const trip = rememberedTrip(order?.trip_id ?? hold!.trip_id);
  const seats = order?.seats ?? hold!.seats;
  const total = order?.total ?? hold!.total;
  const deadline = order?.expires_at ?? hold!.expires_at;
  return (
    <>
      <section class="card summary">
        <h1>{t("checkout.title")}</h1>
        {trip ? (
          <p>
            <strong>
              {trip.from.name} → {trip.to.name}
            </strong>
            <br />
            <span class="muted">
              {date(trip.departure)} · {time(trip.departure)} · {trip.operator.name}
            </span>
          </p>
        ) : null}
        <p>
          {t("checkout.seats", { seats: seats.join(", ") })} · <strong>{money(total.amount, total.currency)}</strong>
        </p>
        {closed ? null : <Countdown until={deadline} onExpire={() => setFailed(t("checkout.expired"))} />}
        {failed ? (
          <p class="problem" role="alert">
            {failed} <a href="/">{t("trip.backToSearch")}</a>
          </p>
        ) : null}
      </section>
      {closed ? null : order ? (
        <PaymentForm
          order={order}
          onPaid={(paid: Payment) => navigate(`/orders/${encodeURIComponent(paid.order_id)}`)}
          onRefused={(message) => {
            setClosed(true);
            setFailed(message);
          }}
        />
      ) : (
        <PassengerForm
          hold={hold!}
          onOrdered={(created) => {
            sessionStorage.setItem(orderKey(holdId), created.id);
            setOrder(created);
          }}
        />
      )}
    </>
  );
}

function PassengerForm({ hold, onOrdered }: { hold: Hold; onOrdered: (order: Order) => void }) {
  const [passengers, setPassengers] = useState<Passenger[]>(
    hold.seats.map((seat) => ({ seat, name: "", gender: "", age: undefined, phone: "" })),
  );
  const [email, setEmail] = useState(signedInEmail() ?? "");
  const [phone, setPhone] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const request = useRef(new IdempotentRequest());

  // An error goes away as soon as its field is edited: it was about what was there before.
  const clearError = (field: string) =>
    setErrors((current) => {
      if (!(field in current)) return current;
      const next = { ...current };
      delete next[field];
      return next;
    });

  const update = (i: number, change: Partial<Passenger>) => {
    for (const key of Object.keys(change)) clearError(`passengers[${i}].${key}`);
    setPassengers((list) => list.map((p, j) => (j === i ? { ...p, ...change } : p)));
  };

  const validate = (): Errors => {
    const found: Errors = {};
    passengers.forEach((p, i) => {
      if (!p.name.trim()) found[`passengers[${i}].name`] = t("form.nameRequired");
      if (!p.gender) found[`passengers[${i}].gender`] = t("form.genderRequired");
      if (p.age !== undefined && (p.age < 0 || p.age > 120)) found[`passengers[${i}].age`] = t("form.ageRange");
      if (p.phone && !PHONE.test(p.phone)) found[`passengers[${i}].phone`] = t("form.phoneInvalid");
    });
    if (!EMAIL_PATTERN.test(email.trim())) found["contact.email"] = t("form.emailInvalid");
    if (phone && !PHONE.test(phone)) found["contact.phone"] = t("form.phoneInvalid");
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (inFlight.current) return;
    const found = validate();
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length) {
      focusFirstError();
      return;
    }
    const body = {
      hold_id: hold.hold_id,
      passengers: passengers.map((p) => ({
        seat: p.seat,
        name: p.name.trim(),
        gender: p.gender,
        ...(p.age !== undefined ? { age: p.age } : {}),
        ...(p.phone ? { phone: p.phone.trim() } : {}),
      })),
      contact: { email: email.trim(), ...(phone ? { phone: phone.trim() } : {}) },
    };
    inFlight.current = true;
    setBusy(true);
    try {
      const answer = await call<Order>(endpoints.createOrder, { body, idempotencyKey: request.current.keyFor(body) });
      onOrdered(answer.body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.problem.errors?.length) {
        setErrors(serverErrors(error));
        focusFirstError();
      }
      if (error.code === "hold_expired") setProblem(t("checkout.expired"));
      else if (error.isNetwork) setProblem(t("error.networkRetry"));
      else if (error.code === "request_in_progress") setProblem(t("error.inProgress"));
      else setProblem(error.message);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="passengers-title">
      <h2 id="passengers-title">{t("checkout.passengers")}</h2>
      {passengers.map((p, i) => (
        <fieldset class="passenger">
          <legend>{t("checkout.passengerFor", { seat: p.seat })}</legend>
          <Field id={`p${i}-name`} label={t("form.name")} error={errors[`passengers[${i}].name`]}>
            <input
              id={`p${i}-name`}
              autocomplete={i === 0 ? "name" : "off"}
              value={p.name}
              maxLength={100}
              onInput={(e) => update(i, { name: (e.target as HTMLInputElement).value })}
            />
          </Field>
          <div class="row">
            <Field id={`p${i}-gender`} label={t("form.gender")} error={errors[`passengers[${i}].gender`]}>
              <select
                id={`p${i}-gender`}
                value={p.gender}
                onChange={(e) => update(i, { gender: (e.target as HTMLSelectElement).value as Passenger["gender"] })}
              >
                <option value="">{t("form.choose")}</option>
                <option value="female">{t("form.gender.female")}</option>
                <option value="male">{t("form.gender.male")}</option>
                <option value="other">{t("form.gender.other")}</option>
              </select>
            </Field>
            <Field id={`p${i}-age`} label={t("form.ageOptional")} error={errors[`passengers[${i}].age`]} narrow>
              <input
                id={`p${i}-age`}
                type="number"
                inputMode="numeric"
                min={0}
                max={120}
                value={p.age ?? ""}
                onInput={(e) => {
                  const text = (e.target as HTMLInputElement).value;
                  update(i, { age: text === "" ? undefined : Math.trunc(Number(text)) });
                }}
              />
            </Field>
          </div>
          <Field id={`p${i}-phone`} label={t("form.phoneOptional")} error={errors[`passengers[${i}].phone`]}>
            <input
              id={`p${i}-phone`}
              type="tel"
              autocomplete={i === 0 ? "tel" : "off"}
              value={p.phone}
              onInput={(e) => update(i, { phone: (e.target as HTMLInputElement).value })}
            />
          </Field>
        </fieldset>
      ))}
      <fieldset class="contact">
        <legend>{t("checkout.contact")}</legend>
        <p class="muted">{t("checkout.contactWhy")}</p>
        <Field id="contact-email" label={t("form.email")} error={errors["contact.email"]}>
          <input
            id="contact-email"
            type="email"
            autocomplete="email"
            value={email}
            onInput={(e) => {
              clearError("contact.email");
              setEmail((e.target as HTMLInputElement).value);
            }}
          />
        </Field>
        <Field id="contact-phone" label={t("form.phoneOptional")} error={errors["contact.phone"]}>
          <input
            id="contact-phone"
            type="tel"
            autocomplete="tel"
            value={phone}
            onInput={(e) => {
              clearError("contact.phone");
              setPhone((e.target as HTMLInputElement).value);
            }}
          />
        </Field>
      </fieldset>
      <Alert text={problem} />
      <button type="submit" class="primary wide" disabled={busy}>
        {busy ? t("checkout.saving") : t("checkout.continue")}
      </button>
    </form>
  );
}
