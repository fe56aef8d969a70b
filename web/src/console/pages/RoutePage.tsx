import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, calendarDayIn, DEFAULT_ZONE, duration } from "../../shared/i18n";
import type { List } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Route, type Schedule } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

/** A route's stops, and where its schedules and trips are made. */
export function RoutePage({ routeId }: { routeId: string }) {
  const { membership } = useWorkspace();
  const [route, setRoute] = useState<Route | null>(null);
  const [schedules, setSchedules] = useState<Schedule[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const today = calendarDayIn(DEFAULT_ZONE);

  useEffect(() => {
    orgCall<Route>(endpoints.route, { params: { route_id: routeId } })
      .then((answer) => setRoute(answer.body))
      .catch((error) => setProblem(errorText(error)));
    orgCall<List<Schedule>>(endpoints.schedules, { query: { route_id: routeId, limit: 200 } })
      .then((answer) => setSchedules(answer.body.items))
      .catch((error) => setProblem(errorText(error)));
  }, [routeId]);

  if (!route) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;
  return (
    <section>
      <p class="crumbs">
        <a href="/console/routes">{ct("routes.title")}</a>
      </p>
      <div class="page-head">
        <h1>{route.name}</h1>
        {can(membership, "catalog.manage") ? (
          <a class="button primary" href={`/console/routes/${route.id}/schedules/new`}>
            {ct("route.newSchedule")}
          </a>
        ) : null}
      </div>
      <table class="table">
        <caption>{ct("route.stopsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{ct("route.station")}</th>
            <th scope="col">{ct("route.arrives")}</th>
            <th scope="col">{ct("route.departs")}</th>
            <th scope="col">{ct("route.boarding")}</th>
            <th scope="col">{ct("route.dropping")}</th>
          </tr>
        </thead>
        <tbody>
          {route.stops.map((stop, i) => (
            <tr key={stop.station}>
              <td>{i + 1}</td>
              <td>{stop.station}</td>
              <td>{i === 0 ? "—" : duration(stop.arrive_offset_min)}</td>
              <td>{i === route.stops.length - 1 ? "—" : duration(stop.depart_offset_min)}</td>
              <td>{stop.boarding ? ct("yes") : ct("no")}</td>
              <td>{stop.dropping ? ct("yes") : ct("no")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{ct("route.schedules")}</h2>
      {schedules.length === 0 ? <p class="muted">{ct("route.noSchedules")}</p> : null}
      {schedules.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("schedule.time")}</th>
              <th scope="col">{ct("schedule.days")}</th>
              <th scope="col">{ct("schedule.runs")}</th>
              <th scope="col">{ct("trips.status")}</th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={`/console/schedules/${s.id}`}>{s.departure_time}</a>
                </td>
                <td>{s.days.length === 7 ? ct("schedule.daily") : s.days.map((d) => ct(`weekday.${d}` as ConsoleKey)).join(", ")}</td>
                <td>{ct("schedule.between", { start: calendarDate(s.start_date), end: calendarDate(s.end_date) })}</td>
                <td>{s.end_date < today ? ct("schedule.statusEnded") : ct("schedule.statusRunning")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <a href={`/console/trips?route_id=${route.id}`}>{ct("route.trips")}</a>
      </p>
    </section>
  );
}
