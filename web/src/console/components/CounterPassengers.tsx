import { useRef, useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, EMAIL_PATTERN, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import type { Hold } from "../../shared/types";
import { ct } from "../i18n";
import { errorText } from "../model";
import { orgCall } from "../workspace";
import { fieldErrors, type StaffOrder } from "./SalesModel";

type Gender = "female" | "male" | "other" | "";

interface Traveller {
  seat: string;
  name: string;
  gender: Gender;
  age: string;
  phone: string;
}

const PHONE = /^\+?[0-9 ()-]{6,20}$/;

/**
 * The travellers on the held seats and whom to send the tickets to; the order is created with
 * one Idempotency-Key per distinct form, so a retry after a lost answer creates it once.
 */
export function CounterPassengers({ hold, onOrdered, onExpired }: { hold: Hold; onOrdered: (order: StaffOrder) => void; onExpired: () => void }) {
  const [people, setPeople] = useState<Traveller[]>(hold.seats.map((seat) => ({ seat, name: "", gender: "", age: "", phone: "" })));
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const request = useRef(new IdempotentRequest());

  const clear = (field: string) =>
    setErrors((now) => {
      if (!(field in now)) return now;
      const next = { ...now };
      delete next[field];
      return next;
    });

  const update = (i: number, change: Partial<Traveller>) => {
    for (const key of Object.keys(change)) clear(`passengers[${i}].${key}`);
    setPeople((list) => list.map((p, j) => (j === i ? { ...p, ...change } : p)));
  };

  const validate = () => {
    const found: Record<string, string> = {};
    people.forEach((p, i) => {
      if (!p.name.trim()) found[`passengers[${i}].name`] = ct("counter.nameNeeded");
      if (!p.gender) found[`passengers[${i}].gender`] = ct("counter.genderNeeded");
      if (p.age !== "" && !(/^\d{1,3}$/.test(p.age) && Number(p.age) <= 120)) found[`passengers[${i}].age`] = ct("counter.ageInvalid");
      if (p.phone.trim() && !PHONE.test(p.phone.trim())) found[`passengers[${i}].phone`] = ct("counter.phoneInvalid");
    });
    if (!EMAIL_PATTERN.test(email.trim())) found["contact.email"] = ct("counter.emailInvalid");
    if (phone.trim() && !PHONE.test(phone.trim())) found["contact.phone"] = ct("counter.phoneInvalid");
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (inFlight.current) return;
    setProblem(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError();
      return;
    }
    const body = {
      hold_id: hold.hold_id,
      passengers: people.map((p) => ({
        seat: p.seat,
        name: p.name.trim(),
        gender: p.gender,
        ...(p.age !== "" ? { age: Number(p.age) } : {}),
        ...(p.phone.trim() ? { phone: p.phone.trim() } : {}),
      })),
      contact: { email: email.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) },
    };
    inFlight.current = true;
    setBusy(true);
    try {
      const answer = await orgCall<StaffOrder>(endpoints.counterOrder, { body, idempotencyKey: request.current.keyFor(body) });
      onOrdered(answer.body);
    } catch (error) {
      if (error instanceof ApiError && error.code === "hold_expired") onExpired();
      else if (error instanceof ApiError && error.problem.errors?.length) {
        setErrors(fieldErrors(error.problem));
        setProblem(error.message);
        focusFirstError();
      } else setProblem(errorText(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <form class="counter-passengers" onSubmit={submit} noValidate aria-labelledby="counter-passengers-title">
      <h2 id="counter-passengers-title">{ct("counter.passengersTitle")}</h2>
      <div class="passenger-grid">
        {people.map((p, i) => (
          <fieldset key={p.seat} class="passenger">
            <legend>{ct("counter.passengerFor", { seat: p.seat })}</legend>
            <Field id={`p${i}-name`} label={ct("counter.name")} error={errors[`passengers[${i}].name`]}>
              <input id={`p${i}-name`} autocomplete="off" maxLength={100} value={p.name} onInput={(e) => update(i, { name: e.currentTarget.value })} />
            </Field>
            <div class="row wrap">
              <Field id={`p${i}-gender`} label={ct("counter.gender")} error={errors[`passengers[${i}].gender`]}>
                <select id={`p${i}-gender`} value={p.gender} onChange={(e) => update(i, { gender: e.currentTarget.value as Gender })}>
                  <option value="">{ct("counter.choose")}</option>
                  <option value="female">{ct("sales.gender.female")}</option>
                  <option value="male">{ct("sales.gender.male")}</option>
                  <option value="other">{ct("sales.gender.other")}</option>
                </select>
              </Field>
              <Field id={`p${i}-age`} label={ct("counter.age")} error={errors[`passengers[${i}].age`]} narrow>
                <input id={`p${i}-age`} inputMode="numeric" maxLength={3} value={p.age} onInput={(e) => update(i, { age: e.currentTarget.value.trim() })} />
              </Field>
            </div>
            <Field id={`p${i}-phone`} label={ct("counter.phone")} error={errors[`passengers[${i}].phone`]}>
              <input id={`p${i}-phone`} type="tel" autocomplete="off" value={p.phone} onInput={(e) => update(i, { phone: e.currentTarget.value })} />
            </Field>
          </fieldset>
        ))}
      </div>
      <fieldset class="contact">
        <legend>{ct("counter.contact")}</legend>
        <p class="hint">{ct("counter.contactWhy")}</p>
        <div class="row wrap">
          <Field id="contact-email" label={ct("counter.email")} error={errors["contact.email"]}>
            <input
              id="contact-email"
              type="email"
              autocomplete="off"
              value={email}
              onInput={(e) => {
                clear("contact.email");
                setEmail(e.currentTarget.value);
              }}
            />
          </Field>
          <Field id="contact-phone" label={ct("counter.contactPhone")} error={errors["contact.phone"]}>
            <input
              id="contact-phone"
              type="tel"
              autocomplete="off"
              value={phone}
              onInput={(e) => {
                clear("contact.phone");
                setPhone(e.currentTarget.value);
              }}
            />
          </Field>
        </div>
      </fieldset>
      <Alert text={problem} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? ct("counter.creating") : ct("counter.createOrder")}
      </button>
    </form>
  );
}
