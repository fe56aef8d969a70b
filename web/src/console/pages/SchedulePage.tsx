import { useEffect, useState } from "preact/hooks";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, calendarDayIn, DEFAULT_ZONE, money, time } from "../../shared/i18n";
import type { List } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Route, type Schedule, type Trip } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

interface Ending {
  schedule: Schedule;
  cancelled: number;
  kept: number;
  remaining: number;
}

/**
 * One schedule: what it runs, the trips it has made from today on, and ending it, with what
 * happens to those trips said before it is done.
 */
export function SchedulePage({ scheduleId }: { scheduleId: string }) {
  const { membership } = useWorkspace();
  const manage = can(membership, "catalog.manage");
  const today = calendarDayIn(DEFAULT_ZONE);
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [route, setRoute] = useState<Route | null>(null);
  const [trips, setTrips] = useState<Trip[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [lastDate, setLastDate] = useState(today);
  const [cancelLater, setCancelLater] = useState(false);
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [ending, setEnding] = useState<Ending | null>(null);
  const [preview, setPreview] = useState<Ending | null>(null);
  const [busy, setBusy] = useState(false);

  // Everything first, then drawn at once: the page never shows a schedule without its trips.
  const load = async () => {
    const s = await orgCall<Schedule>(endpoints.schedule, { params: { schedule_id: scheduleId } });
    const r = await orgCall<Route>(endpoints.route, { params: { route_id: s.body.route_id } });
    // Every page (a schedule makes at most one trip a day for three years).
    const made: Trip[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer: { body: List<Trip> } = await orgCall<List<Trip>>(endpoints.orgTrips, {
        query: { schedule_id: scheduleId, from_date: today, limit: 200, cursor: cursor ?? undefined },
      });
      made.push(...answer.body.items);
      cursor = answer.body.next_cursor;
      if (!cursor) break;
    }
    setTrips(made);
    setRoute(r.body);
    setSchedule(s.body);
  };
  useEffect(() => {
    load().catch((error) => setProblem(errorText(error)));
  }, [scheduleId]);

  // What ending on the chosen day would do, counted by the server with the same selection it
  // would cancel from (every trip after that day, not only those listed here).
  useEffect(() => {
    if (!schedule || !can(membership, "catalog.manage") || !/^\d{4}-\d{2}-\d{2}$/.test(lastDate) || lastDate < schedule.start_date) {
      setPreview(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      orgCall<Ending>(endpoints.endSchedule, {
        params: { schedule_id: scheduleId },
        body: { last_date: lastDate, cancel_later_trips: true, dry_run: true },
      })
        .then((answer) => current && setPreview(answer.body))
        .catch(() => current && setPreview(null));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [scheduleId, lastDate, schedule?.end_date, trips]);

  if (!schedule || !route) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const cancellable = preview?.cancelled ?? 0;
  const running = preview?.kept ?? 0;
  const beforeStart = lastDate !== "" && lastDate < schedule.start_date;
  const days = schedule.days.length === 7 ? ct("schedule.daily") : schedule.days.map((d) => ct(`weekday.${d}` as ConsoleKey)).join(", ");

  async function end() {
    setBusy(true);
    setProblem(null);
    let total = { cancelled: 0, kept: 0 };
    try {
      // A hundred trips a call at most, fewer when a call runs out of time (at least one): the
      // calls go on while fewer remain after each.
      let left = Infinity;
      for (;;) {
        const answer = await orgCall<Ending>(endpoints.endSchedule, {
          params: { schedule_id: scheduleId },
          body: { last_date: lastDate, cancel_later_trips: cancelLater, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        });
        total = { cancelled: total.cancelled + answer.body.cancelled, kept: answer.body.kept };
        if (answer.body.remaining === 0) {
          await load();
          setEnding({ ...answer.body, cancelled: total.cancelled });
          setConfirming(false);
          return;
        }
        // One that leaves as many would only repeat itself.
        if (answer.body.remaining >= left) throw new Error(ct("schedule.endUnfinished"));
        left = answer.body.remaining;
      }
    } catch (error) {
      setProblem(errorText(error));
      // Part of it may be done: show the schedule and its trips as they are now.
      await load().catch(() => undefined);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <p class="crumbs">
        <a href="/console/routes">{ct("routes.title")}</a> › <a href={`/console/routes/${route.id}`}>{route.name}</a>
      </p>
      <div class="page-head">
        <h1>{ct("schedule.title", { time: schedule.departure_time, route: route.name })}</h1>
        {manage ? (
          <a class="button secondary" href={`/console/schedules/${schedule.id}/edit`}>
            {ct("schedule.change")}
          </a>
        ) : null}
      </div>
      <dl class="facts card">
        <dt>{ct("schedule.days")}</dt>
        <dd>{days}</dd>
        <dt>{ct("schedule.runs")}</dt>
        <dd>{ct("schedule.between", { start: calendarDate(schedule.start_date), end: calendarDate(schedule.end_date) })}</dd>
        <dt>{ct("schedule.except")}</dt>
        <dd>{schedule.except_dates.map(calendarDate).join(", ") || "—"}</dd>
        <dt>{ct("fares.title")}</dt>
        <dd>
          {schedule.fares
            .map((f) => `${f.from} → ${f.to}${f.category ? ` (${f.category})` : ""}: ${money(f.amount, f.currency)}`)
            .join(" · ")}
        </dd>
      </dl>

      {ending ? (
        <p class="note" role="status">
          {ct("schedule.ended", { last: calendarDate(ending.schedule.end_date), cancelled: ending.cancelled, kept: ending.kept })}
        </p>
      ) : null}
      <Alert text={problem} />

      <h2>{ct("schedule.upcoming", { n: trips.length })}</h2>
      {trips.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("trips.date")}</th>
              <th scope="col">{ct("trips.departs")}</th>
              <th scope="col">{ct("trips.bus")}</th>
              <th scope="col">{ct("trips.status")}</th>
            </tr>
          </thead>
          <tbody>
            {trips.map((trip) => (
              <tr key={trip.id} data-trip={trip.id}>
                <td>{calendarDate(trip.local_date)}</td>
                <td>{time(trip.departure, trip.stops[0]?.zone)}</td>
                <td>{trip.bus.plate}</td>
                <td>
                  <span class={`badge trip-${trip.status}`}>{ct(`trip.status.${trip.status}` as ConsoleKey)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{ct("schedule.noUpcoming")}</p>
      )}

      {manage ? (
        <form
          class="card"
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming(true);
          }}
        >
          <h2>{ct("schedule.endTitle")}</h2>
          <div class="row wrap">
            <Field id="end-last" label={ct("schedule.lastDay")} error={beforeStart ? ct("schedule.endBeforeStart", { first: calendarDate(schedule.start_date) }) : undefined} narrow>
              <input
                id="end-last"
                type="date"
                min={schedule.start_date}
                value={lastDate}
                onInput={(e) => {
                  setLastDate(e.currentTarget.value);
                  setConfirming(false);
                }}
              />
            </Field>
            <Field id="end-reason" label={ct("schedule.endReason")}>
              <input id="end-reason" value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
            </Field>
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={cancelLater}
              onChange={(e) => {
                setCancelLater(e.currentTarget.checked);
                setConfirming(false);
              }}
            />
            {ct("schedule.cancelLater", { n: cancellable })}
          </label>
          {preview ? (
            <div class="consequences" role="note" aria-live="polite">
              <p>{ct("schedule.endNoMore", { last: calendarDate(lastDate) })}</p>
              {cancellable === 0 ? (
                <p>{ct("schedule.endNoTrips")}</p>
              ) : cancelLater ? (
                <p>{ct("schedule.endCancels", { n: cancellable })}</p>
              ) : (
                <p>{ct("schedule.endKeeps", { n: cancellable })}</p>
              )}
              {running > 0 ? <p>{ct("schedule.endRunning", { n: running })}</p> : null}
            </div>
          ) : null}
          {/* The trigger stays where it is while the confirmation opens below it. */}
          <button class="secondary" disabled={!preview || confirming}>
            {ct("schedule.endButton")}
          </button>
          {confirming && preview ? (
            <div class="actions">
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={(event) => {
                  if (event.detail > 1) return;
                  void end();
                }}
              >
                {ct(cancelLater && cancellable > 0 ? "schedule.confirmEndCancel" : "schedule.confirmEnd", { n: cancellable })}
              </button>
              <button type="button" class="link" onClick={() => setConfirming(false)}>
                {ct("cancel")}
              </button>
            </div>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
