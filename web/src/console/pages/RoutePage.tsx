import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { duration } from "../../shared/i18n";
import { ct } from "../i18n";
import { errorText, type Route } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

/** A route's stops, and where its schedules and trips are made. */
export function RoutePage({ routeId }: { routeId: string }) {
  const { membership } = useWorkspace();
  const [route, setRoute] = useState<Route | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    orgCall<Route>(endpoints.route, { params: { route_id: routeId } })
      .then((answer) => setRoute(answer.body))
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
      <p>
        <a href={`/console/trips?route_id=${route.id}`}>{ct("route.trips")}</a>
      </p>
    </section>
  );
}
