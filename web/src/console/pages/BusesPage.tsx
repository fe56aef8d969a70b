import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import type { List } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { can, orgCall, useWorkspace } from "../workspace";
import { errorText, type Bus } from "../model";

export function BusesPage() {
  const { membership } = useWorkspace();
  const [buses, setBuses] = useState<Bus[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    orgCall<List<Bus>>(endpoints.buses, { query: { limit: 200 } })
      .then((answer) => setBuses(answer.body.items))
      .catch((error) => setProblem(errorText(error)));
  }, []);

  return (
    <section>
      <div class="page-head">
        <h1>{ct("buses.title")}</h1>
        {can(membership, "fleet.manage") ? (
          <a class="button primary" href="/console/buses/new">
            {ct("buses.new")}
          </a>
        ) : null}
      </div>
      <Alert text={problem} />
      {buses === null && !problem ? <p class="muted">{ct("loading")}</p> : null}
      {buses && buses.length === 0 ? <p class="card">{ct("buses.none")}</p> : null}
      {buses && buses.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("bus.plate")}</th>
              <th scope="col">{ct("bus.name")}</th>
              <th scope="col">{ct("bus.class")}</th>
              <th scope="col">{ct("bus.ac")}</th>
              <th scope="col" class="num">{ct("bus.capacity")}</th>
              <th scope="col">{ct("bus.decks")}</th>
            </tr>
          </thead>
          <tbody>
            {buses.map((bus) => (
              <tr key={bus.id}>
                <td>
                  <a href={`/console/buses/${bus.id}`}>{bus.plate}</a>
                </td>
                <td>{bus.name}</td>
                <td>{ct(`bus.class.${bus.class}` as ConsoleKey)}</td>
                <td>{bus.ac ? ct("yes") : ct("no")}</td>
                <td class="num">{bus.capacity}</td>
                <td>{bus.layout.decks.map((d) => d.name).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
