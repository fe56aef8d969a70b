import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDayIn, date, DEFAULT_ZONE, duration, money, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { stationsByCode } from "../../shared/stations";
import type { Hold, List, SeatMap, Station, TripHit } from "../../shared/types";
import { CounterCashForm } from "../components/CounterCashForm";
import { CounterClock } from "../components/CounterClock";
import { CounterPassengers } from "../components/CounterPassengers";
import { fieldErrors, isDay, moneyOf, type StaffOrder, zoneOf } from "../components/SalesModel";
import { SalesTickets } from "../components/SalesTickets";
import { StationSelect } from "../components/StationSelect";
import { TripSeatMap } from "../components/TripSeatMap";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, travellerText } from "../model";
import { orgCall, useWorkspace } from "../workspace";
import "../trips.css";
import "../sales.css";

/** The server's limit on the seats of one hold. */
const MAX_SEATS = 6;

type Stage =
  | { step: "trips" }
  | { step: "seats"; trip: TripHit; map: SeatMap }
  | { step: "details"; trip: TripHit; hold: Hold }
  | { step: "cash"; trip: TripHit; hold: Hold; order: StaffOrder }
  | { step: "done"; trip: TripHit; order: StaffOrder };

const STEPS = ["trips", "seats", "details", "cash"] as const;

interface Search {
  from: string;
  to: string;
  date: string;
  passengers: string;
}

/**
 * A sale at the counter, for cash: the agent finds one of the organization's trips, picks seats
 * on its map and holds them, types the travellers and a contact, creates the order and records
 * the cash counted against its total. The hold's deadline is on the screen throughout, and the
 * seats can be released to start over; once paid, the order and its tickets.
 */
export function CounterSalePage() {
  const { membership } = useWorkspace();
  const [search, setSearch] = useState<Search>({ from: "", to: "", date: calendarDayIn(DEFAULT_ZONE), passengers: "1" });
  const [trips, setTrips] = useState<TripHit[] | null>(null);
  const [others, setOthers] = useState(0);
  const [stations, setStations] = useState<Map<string, Station>>(new Map());
  const [stage, setStage] = useState<Stage>({ step: "trips" });
  const [selected, setSelected] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const polls = useRef(0);

  useEffect(() => {
    stationsByCode().then(setStations, () => undefined);
  }, []);

  const orgId = membership?.org_id ?? "";

  const validate = (s: Search) => {
    const found: Record<string, string> = {};
    if (!s.from) found.from = ct("counter.fromNeeded");
    if (!s.to) found.to = ct("counter.toNeeded");
    else if (s.to === s.from) found.to = ct("counter.sameStation");
    if (!isDay(s.date)) found.date = ct("counter.dateNeeded");
    else if (s.date < calendarDayIn(DEFAULT_ZONE)) found.date = ct("counter.datePast");
    const n = Number(s.passengers);
    if (!Number.isInteger(n) || n < 1 || n > MAX_SEATS) found.passengers = ct("counter.passengersRange", { n: MAX_SEATS });
    return found;
  };

  const findTrips = async (s: Search) => {
    const answer = await orgCall<List<TripHit>>(endpoints.search, {
      query: { from: s.from, to: s.to, date: s.date, passengers: Number(s.passengers), limit: 50 },
    });
    // Only this organization's trips are sold at its counter.
    const mine = answer.body.items.filter((hit) => hit.operator.id === orgId);
    setOthers(answer.body.items.length - mine.length);
    setTrips(mine);
  };

  const runSearch = async (event?: Event) => {
    event?.preventDefault();
    if (inFlight.current) return;
    const found = validate(search);
    setErrors(found);
    setProblem(null);
    setNotice(null);
    if (Object.keys(found).length > 0) {
      focusFirstError();
      return;
    }
    inFlight.current = true;
    setBusy(true);
    try {
      await findTrips(search);
    } catch (error) {
      const named = error instanceof ApiError ? fieldErrors(error.problem) : {};
      if (Object.keys(named).length > 0) {
        setErrors(named);
        focusFirstError();
      } else setProblem(errorText(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const loadMap = (trip: TripHit) =>
    orgCall<SeatMap>(endpoints.seats, { params: { trip_id: trip.trip_id }, query: { from: trip.from.code, to: trip.to.code } }).then((a) => a.body);

  const chooseTrip = async (trip: TripHit) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      const map = await loadMap(trip);
      setSelected([]);
      setStage({ step: "seats", trip, map });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const toggle = (label: string) => {
    setNotice(null);
    if (selected.includes(label)) setSelected(selected.filter((s) => s !== label));
    else if (selected.length >= MAX_SEATS) setNotice(ct("counter.tooMany", { n: MAX_SEATS }));
    else setSelected([...selected, label]);
  };

  const hold = async () => {
    if (stage.step !== "seats" || inFlight.current || selected.length === 0) return;
    const { trip } = stage;
    inFlight.current = true;
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      const answer = await orgCall<Hold>(endpoints.counterHold, { body: { trip_id: trip.trip_id, seats: selected, from: trip.from.code, to: trip.to.code } });
      setExpired(false);
      setStage({ step: "details", trip, hold: answer.body });
    } catch (error) {
      if (error instanceof ApiError && error.code === "seats_unavailable") {
        const taken = Array.isArray(error.problem.unavailable) ? (error.problem.unavailable as string[]) : [];
        const map = await loadMap(trip).catch(() => stage.map);
        setSelected(selected.filter((s) => !taken.includes(s)));
        setStage({ step: "seats", trip, map });
        setNotice(ct("counter.seatsTaken", { seats: taken.join(", ") }));
      } else if (error instanceof ApiError && error.code === "hold_limit") {
        setProblem(ct("counter.holdLimit"));
      } else if (error instanceof ApiError && error.code === "queue_token_required") {
        setProblem(ct("counter.queueRoom"));
      } else setProblem(errorText(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  /** Back to the trips: the held seats released first (best effort: a hold ends by itself). */
  const startOver = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    const heldId = stage.step === "details" || stage.step === "cash" ? stage.hold.hold_id : null;
    let released = false;
    if (heldId && !expired) {
      released = await orgCall(endpoints.counterRelease, { params: { hold_id: heldId } }).then(
        () => true,
        () => false,
      );
    }
    try {
      if (trips !== null && Object.keys(validate(search)).length === 0) await findTrips(search).catch(() => undefined);
    } finally {
      setSelected([]);
      setExpired(false);
      setProblem(null);
      setErrors({});
      setNotice(released ? ct("counter.released") : null);
      setStage({ step: "trips" });
      inFlight.current = false;
      setBusy(false);
    }
  };

  const sellAnother = () => {
    setSelected([]);
    setTrips(null);
    setProblem(null);
    setNotice(null);
    setStage({ step: "trips" });
  };

  // Tickets are issued a moment after the cash is recorded: look again for half a minute.
  useEffect(() => {
    if (stage.step !== "done") return;
    const { order } = stage;
    const coming = order.fulfillment?.status === "pending" || order.tickets.length === 0;
    if (!coming || polls.current >= 15) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      orgCall<StaffOrder>(endpoints.order, { params: { order_id: order.id } }).then(
        (a) => setStage((now) => (now.step === "done" && now.order.id === a.body.id ? { ...now, order: a.body } : now)),
        () => undefined,
      );
    }, 1500);
    return () => clearTimeout(timer);
  }, [stage]);

  const current = stage.step === "done" ? STEPS.length : STEPS.indexOf(stage.step);
  const tripOf = stage.step === "trips" ? null : stage.trip;
  const zone = tripOf ? zoneOf(stations, tripOf.from.code) : DEFAULT_ZONE;
  const tripLine = (trip: TripHit) => ct("counter.tripLine", { from: trip.from.name, to: trip.to.name, when: `${date(trip.departure)}, ${time(trip.departure)}` });
  const set = (change: Partial<Search>) => {
    for (const key of Object.keys(change)) if (errors[key]) setErrors({ ...errors, [key]: "" });
    setSearch({ ...search, ...change });
  };

  return (
    <section class="counter-page">
      <div class="page-head">
        <h1>{ct("counter.title")}</h1>
        {stage.step !== "trips" && stage.step !== "done" ? (
          <button type="button" class="secondary" disabled={busy} onClick={startOver}>
            {stage.step === "seats" ? ct("counter.otherTrip") : ct("counter.startOver")}
          </button>
        ) : null}
      </div>
      <ol class="steps" aria-label={ct("counter.stepsLabel")}>
        {STEPS.map((step, i) => (
          <li key={step} class={i < current ? "done" : i === current ? "now" : undefined} aria-current={i === current ? "step" : undefined}>
            <span class="step-number" aria-hidden="true">
              {i + 1}
            </span>{" "}
            {ct(`counter.step.${step}` as ConsoleKey)}
          </li>
        ))}
      </ol>

      {notice ? (
        <p class="note" role="status">
          {notice}
        </p>
      ) : null}
      <Alert text={problem} />

      {tripOf ? (
        <div class="card counter-trip">
          <p>
            <strong>{tripLine(tripOf)}</strong>
            <br />
            <span class="muted">
              {ct("counter.fare", { fare: money(tripOf.fare.amount, tripOf.fare.currency) })} · {ct(`bus.class.${tripOf.bus.class}` as ConsoleKey)}
              {tripOf.bus.ac ? ` · ${ct("bus.ac")}` : ""}
            </span>
          </p>
          {stage.step === "details" ? (
            <p>{ct("counter.heldSeats", { seats: stage.hold.seats.join(", "), total: moneyOf(stage.hold.total) })}</p>
          ) : null}
          {stage.step === "details" || stage.step === "cash" ? (
            expired ? (
              <p class="problem" role="alert">
                {ct("counter.expired")}
              </p>
            ) : (
              <CounterClock until={stage.step === "cash" ? stage.order.expires_at : stage.hold.expires_at} zone={zone} onExpire={() => setExpired(true)} />
            )
          ) : null}
        </div>
      ) : null}

      {stage.step === "trips" ? (
        <>
          <form class="card counter-search" onSubmit={runSearch} noValidate aria-labelledby="counter-search-title">
            <h2 id="counter-search-title">{ct("counter.findTrip")}</h2>
            <div class="row wrap">
              <Field id="counter-from" label={ct("counter.from")} error={errors.from || undefined}>
                <StationSelect id="counter-from" value={search.from} invalid={Boolean(errors.from)} describedBy={errors.from ? "counter-from-error" : undefined} onChange={(from) => set({ from })} />
              </Field>
              <Field id="counter-to" label={ct("counter.to")} error={errors.to || undefined}>
                <StationSelect id="counter-to" value={search.to} invalid={Boolean(errors.to)} describedBy={errors.to ? "counter-to-error" : undefined} onChange={(to) => set({ to })} />
              </Field>
              <Field id="counter-date" label={ct("counter.date")} error={errors.date || undefined} narrow>
                <input id="counter-date" type="date" value={search.date} min={calendarDayIn(DEFAULT_ZONE)} onInput={(e) => set({ date: e.currentTarget.value })} />
              </Field>
              <Field id="counter-passengers" label={ct("counter.passengers")} error={errors.passengers || undefined} narrow>
                <input
                  id="counter-passengers"
                  type="number"
                  min={1}
                  max={MAX_SEATS}
                  value={search.passengers}
                  onInput={(e) => set({ passengers: e.currentTarget.value })}
                />
              </Field>
              <button type="submit" class="primary filter-button" disabled={busy}>
                {ct("counter.search")}
              </button>
            </div>
          </form>
          {trips !== null && trips.length === 0 ? (
            <p class="card">{others > 0 ? ct("counter.onlyOthers") : ct("counter.noTrips")}</p>
          ) : null}
          {trips !== null && trips.length > 0 ? (
            <div class="table-scroll">
              <table class="table counter-trips">
                <caption>{ct("counter.tripsOn", { date: date(trips[0].departure), from: trips[0].from.name, to: trips[0].to.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{ct("counter.departs")}</th>
                    <th scope="col">{ct("counter.arrives")}</th>
                    <th scope="col">{ct("counter.bus")}</th>
                    <th scope="col" class="num">
                      {ct("counter.farePerSeat")}
                    </th>
                    <th scope="col" class="num">
                      {ct("counter.seatsFree")}
                    </th>
                    <th scope="col">
                      <span class="sr-only">{ct("counter.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {trips.map((trip) => (
                    <tr key={trip.trip_id} data-trip={trip.trip_id}>
                      <th scope="row" id={`trip-${trip.trip_id}`}>
                        {time(trip.departure)}
                      </th>
                      <td>
                        {time(trip.arrival)} <span class="muted small">({duration(trip.duration_min)})</span>
                      </td>
                      <td>
                        {ct(`bus.class.${trip.bus.class}` as ConsoleKey)}
                        {trip.bus.ac ? ` · ${ct("bus.ac")}` : ""}
                      </td>
                      <td class="num">{money(trip.fare.amount, trip.fare.currency)}</td>
                      <td class="num">{trip.seats_available}</td>
                      <td>
                        <button
                          type="button"
                          class="secondary compact"
                          disabled={busy || trip.seats_available === 0}
                          aria-describedby={`trip-${trip.trip_id}`}
                          onClick={() => chooseTrip(trip)}
                        >
                          {ct("counter.chooseSeats")}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}

      {stage.step === "seats" ? (
        <section class="card counter-seats" aria-labelledby="counter-seats-title">
          <h2 id="counter-seats-title">{ct("counter.seatsTitle")}</h2>
          <p class="hint">{ct("counter.seatsHint", { n: Number(search.passengers) || 1 })}</p>
          <ul class="legend trip-legend">
            {(["available", "held", "booked", "blocked"] as const).map((s) => (
              <li key={s}>
                <span class={`swatch seat-${s}`} aria-hidden="true" /> {ct(`trip.seat.${s}` as ConsoleKey)}
              </li>
            ))}
          </ul>
          <TripSeatMap map={stage.map} selected={selected} onToggle={toggle} />
          <div class="actions">
            <button type="button" class="primary" disabled={busy || selected.length === 0} onClick={hold}>
              {selected.length === 0 ? ct("counter.holdNone") : ct("counter.hold", { n: selected.length })}
            </button>
            <span class="muted" aria-live="polite">
              {selected.length > 0
                ? ct("counter.chosen", {
                    seats: selected.join(", "),
                    total: money(selected.length * stage.trip.fare.amount, stage.trip.fare.currency),
                  })
                : ""}
            </span>
          </div>
        </section>
      ) : null}

      {stage.step === "details" && !expired ? (
        <section class="card">
          <CounterPassengers
            hold={stage.hold}
            onOrdered={(order) => setStage({ step: "cash", trip: stage.trip, hold: stage.hold, order })}
            onExpired={() => setExpired(true)}
          />
        </section>
      ) : null}

      {stage.step === "cash" && !expired ? (
        <section class="card counter-cash">
          <OrderSummary order={stage.order} withTotal={false} />
          <CounterCashForm
            order={stage.order}
            onPaid={(order) => {
              polls.current = 0;
              setStage({ step: "done", trip: stage.trip, order });
            }}
            onGone={(message) => {
              setExpired(true);
              setProblem(message);
            }}
          />
        </section>
      ) : null}

      {expired && (stage.step === "details" || stage.step === "cash") ? (
        <p>
          <button type="button" class="primary" disabled={busy} onClick={startOver}>
            {ct("counter.startAgain")}
          </button>
        </p>
      ) : null}

      {stage.step === "done" ? (
        <section class="card counter-done" aria-labelledby="counter-done-title">
          <h2 id="counter-done-title">{ct("counter.doneTitle")}</h2>
          <p class="note" role="status">
            {ct("counter.doneText", { total: moneyOf(stage.order.total), email: travellerText(stage.order.contact.email) })}
          </p>
          <OrderSummary order={stage.order} />
          <SalesTickets order={stage.order} headingLevel={3} />
          <div class="actions">
            <a class="button secondary" href={`/console/orders/${encodeURIComponent(stage.order.id)}`}>
              {ct("counter.openOrder")}
            </a>
            <button type="button" class="primary" onClick={sellAnother}>
              {ct("counter.sellAnother")}
            </button>
          </div>
        </section>
      ) : null}
    </section>
  );
}

/** The order's seats, travellers and total, as the agent reads them back to the buyer. */
function OrderSummary({ order, withTotal = true }: { order: StaffOrder; withTotal?: boolean }) {
  return (
    <dl class="facts counter-summary">
      <dt>{ct("counter.orderSeats")}</dt>
      <dd>
        {order.items.map((item, i) => (
          <span key={item.seat}>
            {i > 0 ? ", " : ""}
            <bdi>{ct("sales.seatOf", { seat: item.seat, name: travellerText(item.passenger.name) })}</bdi>
          </span>
        ))}
      </dd>
      <dt>{ct("counter.orderContact")}</dt>
      <dd>
        <bdi>{travellerText(order.contact.email)}</bdi>
      </dd>
      {withTotal ? (
        <>
          <dt>{ct("counter.orderTotal")}</dt>
          <dd>
            <strong class="big-money" data-total={order.total.amount}>
              {moneyOf(order.total)}
            </strong>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
