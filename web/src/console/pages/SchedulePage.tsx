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
}

const OPEN = new Set(["draft", "published", "delayed"]);

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
  const [busy, setBusy] = useState(false);

  // Everything first, then drawn at once: the page never shows a schedule without its trips.
  const load = async () => {
    const [s, made] = await Promise.all([
      orgCall<Schedule>(endpoints.schedule, { params: { schedule_id: scheduleId } }),
      orgCall<List<Trip>>(endpoints.orgTrips, { query: { schedule_id: scheduleId, from_date: today, limit: 200 } }),
    ]);
    const r = await orgCall<Route>(endpoints.route, { params: { route_id: s.body.route_id } });
    setTrips(made.body.items);
    setRoute(r.body);
    setSchedule(s.body);
  };
  useEffect(() => {
    load().catch((error) => setProblem(errorText(error)));
  }, [scheduleId]);

  if (!schedule || !route) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const after = trips.filter((trip) => trip.local_date > lastDate);
  const cancellable = after.filter((trip) => OPEN.has(trip.status));
  const running = after.filter((trip) => !OPEN.has(trip.status) && trip.status !== "cancelled" && trip.status !== "completed");
  const days = schedule.days.length === 7 ? ct("schedule.daily") : schedule.days.map((d) => ct(`weekday.${d}` as ConsoleKey)).join(", ");

  async function end() {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await orgCall<Ending>(endpoints.endSchedule, {
        params: { schedule_id: scheduleId },
        body: { last_date: lastDate, cancel_later_trips: cancelLater, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      });
      await load();
      setEnding(answer.body);
      setConfirming(false);
    } catch (error) {
      setProblem(errorText(error));
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
            <Field id="end-last" label={ct("schedule.lastDay")} narrow>
              <input
                id="end-last"
                type="date"
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
            {ct("schedule.cancelLater", { n: cancellable.length })}
          </label>
          <div class="consequences" role="note" aria-live="polite">
            <p>{ct("schedule.endNoMore", { last: calendarDate(lastDate || today) })}</p>
            {cancellable.length === 0 ? (
              <p>{ct("schedule.endNoTrips")}</p>
            ) : cancelLater ? (
              <p>{ct("schedule.endCancels", { n: cancellable.length })}</p>
            ) : (
              <p>{ct("schedule.endKeeps", { n: cancellable.length })}</p>
            )}
            {running.length > 0 ? <p>{ct("schedule.endRunning", { n: running.length })}</p> : null}
          </div>
          {confirming ? (
            <div class="actions">
              <button type="button" class="danger" disabled={busy} onClick={end}>
                {ct(cancelLater && cancellable.length > 0 ? "schedule.confirmEndCancel" : "schedule.confirmEnd", { n: cancellable.length })}
              </button>
              <button type="button" class="link" onClick={() => setConfirming(false)}>
                {ct("cancel")}
              </button>
            </div>
          ) : (
            <button class="secondary">{ct("schedule.endButton")}</button>
          )}
        </form>
      ) : null}
    </section>
  );
}
