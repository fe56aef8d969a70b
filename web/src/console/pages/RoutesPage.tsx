import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { duration } from "../../shared/i18n";
import type { List } from "../../shared/types";
import { ct } from "../i18n";
import { errorText, type Route } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

/** The organization's routes; each leads to its stops, schedules and trips. */
export function RoutesPage() {
  const { membership } = useWorkspace();
  const [routes, setRoutes] = useState<Route[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    orgCall<List<Route>>(endpoints.routes, { query: { limit: 200 } })
      .then((answer) => setRoutes(answer.body.items))
      .catch((error) => setProblem(errorText(error)));
  }, []);

  return (
    <section>
      <div class="page-head">
        <h1>{ct("routes.title")}</h1>
        {can(membership, "catalog.manage") ? (
          <a class="button primary" href="/console/routes/new">
            {ct("routes.new")}
          </a>
        ) : null}
      </div>
      <Alert text={problem} />
      {routes && routes.length === 0 ? <p class="card">{ct("routes.none")}</p> : null}
      {routes && routes.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("route.name")}</th>
              <th scope="col">{ct("route.stops")}</th>
              <th scope="col" class="num">{ct("route.duration")}</th>
            </tr>
          </thead>
          <tbody>
            {routes.map((route) => (
              <tr key={route.id}>
                <td>
                  <a href={`/console/routes/${route.id}`}>{route.name}</a>
                </td>
                <td>{route.stops.map((s) => s.station).join(" → ")}</td>
                <td class="num">{duration(route.stops[route.stops.length - 1]?.arrive_offset_min ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
