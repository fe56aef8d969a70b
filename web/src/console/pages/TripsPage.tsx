import { useEffect, useState } from "preact/hooks";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDayIn, date, DEFAULT_ZONE, time } from "../../shared/i18n";
import { navigate, usePlace } from "../../shared/router";
import type { List } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Trip } from "../model";
import { addDays } from "../schedule";
import { can, orgCall, useWorkspace } from "../workspace";
import { TripCalendar } from "../components/TripCalendar";

const STATUSES = ["", "draft", "published", "delayed", "boarding", "departed", "completed", "cancelled"] as const;

/** The organization's trips between two dates, by route and status; each with its manifest. */
export function TripsPage() {
  const { membership } = useWorkspace();
  const place = usePlace();
  const today = calendarDayIn(DEFAULT_ZONE);
  const day = (value: string | null, fallback: string) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : fallback);
  const from = day(place.query.get("from_date"), today);
  const to = day(place.query.get("to_date"), addDays(from, 7));
  const routeId = place.query.get("route_id") || "";
  const status = place.query.get("status") || "";
  const view = place.query.get("view") === "calendar" ? "calendar" : "list";
  const [trips, setTrips] = useState<Trip[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = (after: string | null) =>
    orgCall<List<Trip>>(endpoints.orgTrips, {
      query: { from_date: from, to_date: to, route_id: routeId || undefined, status: status || undefined, limit: 100, cursor: after ?? undefined },
    })
      .then((answer) => {
        setTrips((before) => (after ? [...(before ?? []), ...answer.body.items] : answer.body.items));
        setCursor(answer.body.next_cursor);
      })
      .catch((error) => setProblem(errorText(error)));

  useEffect(() => {
    setTrips(null);
    setProblem(null);
    void load(null);
  }, [from, to, routeId, status]);

  const filter = (change: Record<string, string>) => {
    const query = new URLSearchParams({
      from_date: from,
      to_date: to,
      ...(routeId ? { route_id: routeId } : {}),
      ...(status ? { status } : {}),
      ...(view === "calendar" ? { view } : {}),
      ...change,
    });
    for (const [k, v] of [...query.entries()]) if (!v) query.delete(k);
    navigate(`/console/trips?${query}`, { replace: true });
  };

  if (view === "calendar") {
    return (
      <section>
        <div class="page-head">
          <h1>{ct("trips.title")}</h1>
          <button type="button" class="secondary" onClick={() => filter({ view: "" })}>
            {ct("trips.showList")}
          </button>
        </div>
        <TripCalendar month={from.slice(0, 7)} routeId={routeId} onMonth={(month) => filter({ from_date: `${month}-01`, to_date: addDays(`${month}-01`, 40) })} onDay={(day) => filter({ from_date: day, to_date: day, view: "" })} />
      </section>
    );
  }

  return (
    <section>
      <div class="page-head">
        <h1>{ct("trips.title")}</h1>
        <button type="button" class="secondary" onClick={() => filter({ view: "calendar" })}>
          {ct("trips.showCalendar")}
        </button>
      </div>
      <form class="row wrap filters-bar" onSubmit={(e) => e.preventDefault()}>
        <Field id="trips-from" label={ct("trips.from")} narrow>
          <input id="trips-from" type="date" value={from} onChange={(e) => filter({ from_date: e.currentTarget.value })} />
        </Field>
        <Field id="trips-to" label={ct("trips.to")} narrow>
          <input id="trips-to" type="date" value={to} onChange={(e) => filter({ to_date: e.currentTarget.value })} />
        </Field>
        <Field id="trips-status" label={ct("trips.status")} narrow>
          <select id="trips-status" value={status} onChange={(e) => filter({ status: e.currentTarget.value })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s ? ct(`trip.status.${s}` as ConsoleKey) : ct("trips.anyStatus")}
              </option>
            ))}
          </select>
        </Field>
        {routeId ? (
          <button type="button" class="link self-end" onClick={() => filter({ route_id: "" })}>
            {ct("trips.allRoutes")}
          </button>
        ) : null}
      </form>
      <Alert text={problem} />
      {trips === null && !problem ? <p class="muted">{ct("loading")}</p> : null}
      {trips && trips.length === 0 ? <p class="card">{ct("trips.none")}</p> : null}
      {trips && trips.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("trips.date")}</th>
              <th scope="col">{ct("trips.departs")}</th>
              <th scope="col">{ct("trips.route")}</th>
              <th scope="col">{ct("trips.bus")}</th>
              <th scope="col">{ct("trips.status")}</th>
              <th scope="col">
                <span class="sr-only">{ct("trips.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {trips.map((trip) => (
              <tr key={trip.id} data-trip={trip.id}>
                <td>
                  <a href={`/console/trips/${trip.id}`}>{date(trip.departure, trip.stops[0]?.zone)}</a>
                </td>
                <td>
                  {time(trip.departure, trip.stops[0]?.zone)}
                  {trip.delay_minutes > 0 ? <span class="tag warn">{ct("trips.delayed", { n: trip.delay_minutes })}</span> : null}
                </td>
                <td>{trip.route_name}</td>
                <td>{trip.bus.plate}</td>
                <td>
                  <span class={`badge trip-${trip.status}`}>{ct(`trip.status.${trip.status}` as ConsoleKey)}</span>
                </td>
                <td>
                  {can(membership, "boarding.scan") ? <a href={`/console/trips/${trip.id}/manifest`}>{ct("trips.manifest")}</a> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {cursor ? (
        <button type="button" class="secondary" onClick={() => load(cursor)}>
          {ct("trips.more")}
        </button>
      ) : null}
    </section>
  );
}
