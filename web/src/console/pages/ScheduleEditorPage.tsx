import { useEffect, useMemo, useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDayIn, DEFAULT_ZONE } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import type { List } from "../../shared/types";
import { CalendarPreview } from "../components/CalendarPreview";
import { FareGrid } from "../components/FareGrid";
import { ct, type ConsoleKey } from "../i18n";
import { categoriesOf } from "../layout";
import { errorText, type Bus, type Fare, type Route, type Schedule, type Trip } from "../model";
import { addDays, datesOf, WEEKDAYS, type Weekday } from "../schedule";
import { orgCall } from "../workspace";

interface Created {
  id: string;
}

/** Majors ("1,500" or "1500.50") as minor units, or null when it is not an amount. */
function minorUnits(text: string): number | null {
  const clean = text.replace(/[,\s]/g, "");
  if (!/^\d+(?:\.\d{1,2})?$/.test(clean)) return null;
  return Math.round(Number(clean) * 100);
}

/** The fare cells of a schedule's fares, in major units. */
function fareCells(fares: Fare[]): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const fare of fares) cells[`${fare.from}>${fare.to}|${fare.category ?? ""}`] = String(fare.amount / 100);
  return cells;
}

/**
 * A schedule for a route: the bus, the departure time, the days, the dates it runs between and
 * those it does not, the fares; a calendar shows the trips it will make before it is saved.
 * Saving creates it (or, with `scheduleId`, changes it) and generates its trips up to the
 * chosen date (again later: nothing twice).
 */
export function ScheduleEditorPage({ routeId, scheduleId }: { routeId?: string; scheduleId?: string }) {
  const today = calendarDayIn(DEFAULT_ZONE);
  const [route, setRoute] = useState<Route | null>(null);
  const [buses, setBuses] = useState<Bus[]>([]);
  const [busId, setBusId] = useState("");
  const [time, setTime] = useState("22:30");
  const [days, setDays] = useState<Weekday[]>([...WEEKDAYS]);
  const [start, setStart] = useState(addDays(today, 1));
  const [end, setEnd] = useState(addDays(today, 30));
  const [except, setExcept] = useState<string[]>([]);
  const [exceptDraft, setExceptDraft] = useState("");
  const [until, setUntil] = useState(addDays(today, 14));
  const [currency, setCurrency] = useState("BDT");
  const [fares, setFares] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [untilError, setUntilError] = useState<string | undefined>(undefined);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ id: string; made: number; existing: number } | null>(null);
  const [request] = useState(() => new IdempotentRequest());

  const [generatedUntil, setGeneratedUntil] = useState<{ count: number; last: string } | null>(null);

  useEffect(() => {
    (async () => {
      let schedule: Schedule | null = null;
      if (scheduleId) {
        schedule = (await orgCall<Schedule>(endpoints.schedule, { params: { schedule_id: scheduleId } })).body;
        // Every page of them (a schedule makes at most one trip a day for three years).
        const dates: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 10; page++) {
          const made: { body: List<Trip> } = await orgCall<List<Trip>>(endpoints.orgTrips, {
            query: { schedule_id: scheduleId, from_date: today, limit: 200, cursor: cursor ?? undefined },
          });
          dates.push(...made.body.items.map((trip) => trip.local_date));
          cursor = made.body.next_cursor;
          if (!cursor) break;
        }
        dates.sort();
        setGeneratedUntil({ count: dates.length, last: dates[dates.length - 1] ?? "" });
      }
      const [r, b] = await Promise.all([
        orgCall<Route>(endpoints.route, { params: { route_id: schedule?.route_id ?? routeId ?? "" } }),
        orgCall<List<Bus>>(endpoints.buses, { query: { limit: 200 } }),
      ]);
      setRoute(r.body);
      setBuses(b.body.items);
      if (schedule) {
        setBusId(schedule.bus_id);
        setTime(schedule.departure_time);
        setDays(schedule.days as Weekday[]);
        setStart(schedule.start_date);
        setEnd(schedule.end_date);
        setExcept(schedule.except_dates);
        setCurrency(schedule.fares[0]?.currency ?? "BDT");
        setFares(fareCells(schedule.fares));
      } else if (b.body.items[0]) setBusId(b.body.items[0].id);
    })().catch((error) => setProblem(errorText(error)));
  }, [routeId, scheduleId]);

  const bus = buses.find((b) => b.id === busId);
  const categories = useMemo(() => (bus ? categoriesOf(bus.layout.decks) : []), [bus]);
  const dates = datesOf(start, end, days, except);
  const generated = dates.filter((d) => d <= until).length;

  /**
   * Makes the saved schedule's trips up to `until`, then shows them made. A call makes what it
   * can in its time (a year of trips may take several, each at least one trip): the calls go on
   * until no date remains. Each call counts as existing what the ones before it made. Whatever
   * happens, the page moves on to the saved schedule with what was made (never back to a form
   * that would save it a second time), and says what stopped it.
   */
  async function generate(scheduleId: string) {
    let made = 0;
    let existing: number | null = null;
    try {
      let left = Infinity;
      for (;;) {
        const answer = await orgCall<{ created: number; existing: number; remaining: number }>(endpoints.generateTrips, {
          params: { schedule_id: scheduleId },
          body: { until },
        });
        made += answer.body.created;
        existing ??= answer.body.existing;
        if (!answer.body.remaining) break;
        // Each call leaves fewer dates; one that does not would only repeat itself.
        if (answer.body.remaining >= left) throw new Error(ct("schedule.generateUnfinished", { made }));
        left = answer.body.remaining;
      }
      setProblem(null);
      setUntilError(undefined);
    } catch (error) {
      // A date past what may be generated is said on the date itself.
      setUntilError(error instanceof ApiError ? error.fieldMessage("until") : undefined);
      // A refusal on the way (the plan's limit, the schedule changed) says how many trips its
      // call made before it.
      if (error instanceof ApiError && typeof error.problem.created === "number") made += error.problem.created;
      setProblem(errorText(error));
    } finally {
      setCreated({ id: scheduleId, made, existing: existing ?? 0 });
    }
  }

  async function save(event: Event) {
    event.preventDefault();
    if (!route) return;
    const found: Record<string, string> = {};
    if (!busId) found.bus_id = ct("schedule.busNeeded");
    if (days.length === 0) found.days = ct("schedule.daysNeeded");
    if (!start) found.start_date = ct("schedule.dateNeeded");
    if (!end || end < start) found.end_date = ct("schedule.endAfterStart");
    if (!/^[A-Z]{3}$/.test(currency)) found.currency = ct("schedule.currencyInvalid");
    const list: Fare[] = [];
    const keyOf: string[] = [];
    for (const [key, text] of Object.entries(fares)) {
      if (!text.trim()) continue;
      const amount = minorUnits(text);
      if (amount === null || amount <= 0) {
        found[key] = ct("fares.amountInvalid");
        continue;
      }
      const [pair, category] = key.split("|");
      const [from, to] = pair.split(">");
      list.push({ from, to, amount, currency, ...(category ? { category } : {}) });
      keyOf.push(key);
    }
    setErrors(found);
    setProblem(null);
    setProblems([]);
    if (Object.keys(found).length > 0) return focusFirstError();
    const body = {
      ...(scheduleId ? {} : { route_id: route.id }),
      bus_id: busId,
      departure_time: time,
      days: days.length === 7 ? "daily" : days,
      start_date: start,
      end_date: end,
      except_dates: except,
      fares: list,
    };
    setBusy(true);
    try {
      const answer = scheduleId
        ? await orgCall<Created>(endpoints.changeSchedule, { params: { schedule_id: scheduleId }, body })
        : await orgCall<Created>(endpoints.createSchedule, { body, idempotencyKey: request.keyFor(body) });
      await generate(answer.body.id);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) {
        const fields: Record<string, string> = {};
        const general: string[] = [];
        for (const e of error.problem.errors) {
          const fare = /^fares\[(\d+)\]/.exec(e.field);
          if (fare && keyOf[Number(fare[1])]) fields[keyOf[Number(fare[1])]] = e.message;
          else if (e.field === "fares") general.push(e.message);
          else fields[e.field] = e.message;
        }
        setErrors(fields);
        setProblems(general);
      }
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  if (!route) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  if (created) {
    return (
      <section class="card">
        <h1>{ct(scheduleId ? "schedule.changedTitle" : "schedule.createdTitle")}</h1>
        <p role="status">{ct("schedule.generated", { made: created.made, existing: created.existing })}</p>
        <form
          class="row wrap"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            try {
              await generate(created.id);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field id="generate-until" label={ct("schedule.until")} error={untilError} narrow>
            <input id="generate-until" type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
          </Field>
          <button class="secondary self-end" disabled={busy}>
            {ct("schedule.generateMore")}
          </button>
        </form>
        <Alert text={problem} />
        <p class="row wrap">
          <a href={`/console/schedules/${created.id}`}>{ct("schedule.open")}</a>
          <a href={`/console/trips?route_id=${route.id}`}>{ct("schedule.seeTrips")}</a>
        </p>
      </section>
    );
  }

  return (
    <section>
      <p class="crumbs">
        <a href="/console/routes">{ct("routes.title")}</a> › <a href={`/console/routes/${route.id}`}>{route.name}</a>
      </p>
      <h1>{ct(scheduleId ? "schedule.changeTitle" : "schedule.newTitle", { route: route.name })}</h1>
      {scheduleId && generatedUntil && generatedUntil.count > 0 ? (
        <p class="notice-box" role="note">
          {ct("schedule.changeKeeps", { n: generatedUntil.count, last: generatedUntil.last })}
        </p>
      ) : null}
      <form onSubmit={save} noValidate>
        <div class="row wrap">
          <Field id="schedule-bus" label={ct("schedule.bus")} error={errors.bus_id}>
            <select id="schedule-bus" value={busId} onChange={(e) => setBusId(e.currentTarget.value)}>
              {buses.length === 0 ? <option value="">{ct("schedule.noBuses")}</option> : null}
              {buses.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.plate} · {ct(`bus.class.${b.class}` as ConsoleKey)} · {ct("schedule.places", { n: b.capacity })}
                </option>
              ))}
            </select>
          </Field>
          <Field id="schedule-time" label={ct("schedule.time")} error={errors.departure_time} narrow>
            <input id="schedule-time" type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} />
          </Field>
        </div>
        <fieldset>
          <legend>{ct("schedule.days")}</legend>
          <div class="inline-checks">
            {WEEKDAYS.map((d) => (
              <label key={d} class="check">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) => setDays(e.currentTarget.checked ? WEEKDAYS.filter((w) => w === d || days.includes(w)) : days.filter((w) => w !== d))}
                />
                {ct(`weekday.${d}` as ConsoleKey)}
              </label>
            ))}
          </div>
          {errors.days ? <p class="error">{errors.days}</p> : null}
        </fieldset>
        <div class="row wrap">
          <Field id="schedule-start" label={ct("schedule.start")} error={errors.start_date}>
            <input id="schedule-start" type="date" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          </Field>
          <Field id="schedule-end" label={ct("schedule.end")} error={errors.end_date}>
            <input id="schedule-end" type="date" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </Field>
          <Field id="schedule-except" label={ct("schedule.except")} error={errors.except_dates}>
            <input id="schedule-except" type="date" value={exceptDraft} onInput={(e) => setExceptDraft(e.currentTarget.value)} />
          </Field>
          <button
            type="button"
            class="secondary self-end"
            onClick={() => {
              if (exceptDraft && !except.includes(exceptDraft)) setExcept([...except, exceptDraft].sort());
              setExceptDraft("");
            }}
          >
            {ct("schedule.addExcept")}
          </button>
        </div>
        {except.length > 0 ? (
          <ul class="chips">
            {except.map((d) => (
              <li key={d}>
                {d}{" "}
                <button type="button" class="link" onClick={() => setExcept(except.filter((x) => x !== d))}>
                  {ct("schedule.removeExcept", { date: d })}
                </button>
              </li>
            ))}
          </ul>
        ) : null}

        <h2>{ct("fares.title")}</h2>
        <Field id="schedule-currency" label={ct("fares.currency")} error={errors.currency} narrow>
          <input id="schedule-currency" value={currency} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())} />
        </Field>
        <FareGrid
          stops={route.stops}
          categories={categories}
          values={fares}
          errors={errors}
          currency={currency}
          onChange={(key, value) => {
            setFares({ ...fares, [key]: value });
            if (errors[key]) setErrors({ ...errors, [key]: "" });
          }}
        />
        <p class="hint">{ct("fares.hint", { from: route.stops[0].station, to: route.stops[route.stops.length - 1].station })}</p>

        <h2>{ct("schedule.preview")}</h2>
        <div class="row wrap">
          <Field id="schedule-until" label={ct("schedule.until")} narrow>
            <input id="schedule-until" type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
          </Field>
        </div>
        <p role="status" class="preview-count">
          {ct("schedule.previewCount", { n: dates.length, generated })}
        </p>
        <CalendarPreview start={start} end={end} dates={dates} until={until} />

        {problems.length > 0 ? (
          <ul class="problem">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <Alert text={problem} />
        <div class="actions">
          <button class="primary" disabled={busy}>
            {ct(scheduleId ? "schedule.save" : "schedule.create")}
          </button>
          <a href={scheduleId ? `/console/schedules/${scheduleId}` : `/console/routes/${route.id}`}>{ct("cancel")}</a>
        </div>
      </form>
    </section>
  );
}

