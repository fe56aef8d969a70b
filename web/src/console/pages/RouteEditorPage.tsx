import { useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { duration } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { StationSelect } from "../components/StationSelect";
import { ct } from "../i18n";
import { errorText, type Route, type RouteStop } from "../model";
import { orgCall } from "../workspace";

const firstStop = (): RouteStop => ({ station: "", arrive_offset_min: 0, depart_offset_min: 0, boarding: true, dropping: false });
const nextStop = (after: number): RouteStop => ({ station: "", arrive_offset_min: after, depart_offset_min: after, boarding: false, dropping: true });

/** A new route: its stops in order, with the minutes after departure each is reached and left. */
export function RouteEditorPage() {
  const [name, setName] = useState("");
  const [stops, setStops] = useState<RouteStop[]>([firstStop(), nextStop(60)]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [request] = useState(() => new IdempotentRequest());

  const update = (index: number, change: Partial<RouteStop>) => setStops(stops.map((s, i) => (i === index ? { ...s, ...change } : s)));

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = ct("route.nameNeeded");
    const seen = new Set<string>();
    stops.forEach((stop, i) => {
      if (!stop.station) found[`stops[${i}].station`] = ct("route.stationNeeded");
      else if (seen.has(stop.station)) found[`stops[${i}].station`] = ct("route.stationTwice");
      seen.add(stop.station);
      if (stop.depart_offset_min < stop.arrive_offset_min) found[`stops[${i}].depart_offset_min`] = ct("route.leavesBeforeArriving");
      if (i > 0 && stop.arrive_offset_min <= stops[i - 1].depart_offset_min) found[`stops[${i}].arrive_offset_min`] = ct("route.offsetsIncrease");
    });
    return found;
  }

  async function save(event: Event) {
    event.preventDefault();
    const found = check();
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return focusFirstError();
    const body = { name: name.trim(), stops };
    setBusy(true);
    try {
      const answer = await orgCall<Route>(endpoints.createRoute, { body, idempotencyKey: request.keyFor(body) });
      navigate(`/console/routes/${answer.body.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) {
        setErrors(Object.fromEntries(error.problem.errors.map((e) => [e.field, e.message])));
      }
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <p class="crumbs">
        <a href="/console/routes">{ct("routes.title")}</a>
      </p>
      <h1>{ct("routes.new")}</h1>
      <form onSubmit={save} noValidate>
        <Field id="route-name" label={ct("route.name")} error={errors.name}>
          <input id="route-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <table class="table stops-table">
          <caption>{ct("route.stopsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{ct("route.station")}</th>
              <th scope="col">{ct("route.arrives")}</th>
              <th scope="col">{ct("route.departs")}</th>
              <th scope="col">{ct("route.boarding")}</th>
              <th scope="col">{ct("route.dropping")}</th>
              <th scope="col">
                <span class="sr-only">{ct("route.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {stops.map((stop, i) => {
              const stationError = errors[`stops[${i}].station`];
              const arriveError = errors[`stops[${i}].arrive_offset_min`];
              const departError = errors[`stops[${i}].depart_offset_min`];
              return (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>
                    <label class="sr-only" for={`stop-${i}-station`}>
                      {ct("route.stopStation", { n: i + 1 })}
                    </label>
                    <StationSelect
                      id={`stop-${i}-station`}
                      value={stop.station}
                      invalid={!!stationError}
                      describedBy={stationError ? `stop-${i}-station-error` : undefined}
                      onChange={(code) => update(i, { station: code })}
                    />
                    {stationError ? <p class="error" id={`stop-${i}-station-error`}>{stationError}</p> : null}
                  </td>
                  <td>
                    <label class="sr-only" for={`stop-${i}-arrive`}>
                      {ct("route.stopArrives", { n: i + 1 })}
                    </label>
                    <input
                      id={`stop-${i}-arrive`}
                      type="number"
                      min={0}
                      class="minutes"
                      value={stop.arrive_offset_min}
                      disabled={i === 0}
                      aria-invalid={!!arriveError || undefined}
                      aria-describedby={arriveError ? `stop-${i}-arrive-error` : undefined}
                      onInput={(e) => {
                        const minutes = Math.max(0, Number(e.currentTarget.value) || 0);
                        update(i, { arrive_offset_min: minutes, depart_offset_min: Math.max(minutes, stop.depart_offset_min) });
                      }}
                    />
                    <span class="hint">{duration(stop.arrive_offset_min)}</span>
                    {arriveError ? <p class="error" id={`stop-${i}-arrive-error`}>{arriveError}</p> : null}
                  </td>
                  <td>
                    <label class="sr-only" for={`stop-${i}-depart`}>
                      {ct("route.stopDeparts", { n: i + 1 })}
                    </label>
                    <input
                      id={`stop-${i}-depart`}
                      type="number"
                      min={0}
                      class="minutes"
                      value={stop.depart_offset_min}
                      disabled={i === 0}
                      aria-invalid={!!departError || undefined}
                      aria-describedby={departError ? `stop-${i}-depart-error` : undefined}
                      onInput={(e) => update(i, { depart_offset_min: Math.max(0, Number(e.currentTarget.value) || 0) })}
                    />
                    <span class="hint">{duration(stop.depart_offset_min)}</span>
                    {departError ? <p class="error" id={`stop-${i}-depart-error`}>{departError}</p> : null}
                  </td>
                  <td>
                    <input type="checkbox" aria-label={ct("route.stopBoarding", { n: i + 1 })} checked={stop.boarding} onChange={(e) => update(i, { boarding: e.currentTarget.checked })} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={ct("route.stopDropping", { n: i + 1 })} checked={stop.dropping} onChange={(e) => update(i, { dropping: e.currentTarget.checked })} />
                  </td>
                  <td>
                    {stops.length > 2 ? (
                      <button type="button" class="link" onClick={() => setStops(stops.filter((_, j) => j !== i))}>
                        {ct("route.removeStop", { n: i + 1 })}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p>
          <button type="button" class="secondary" disabled={stops.length >= 30} onClick={() => setStops([...stops, nextStop((stops[stops.length - 1]?.depart_offset_min ?? 0) + 60)])}>
            {ct("route.addStop")}
          </button>
        </p>
        <Alert text={problem} />
        <div class="actions">
          <button class="primary" disabled={busy}>
            {ct("route.create")}
          </button>
          <a href="/console/routes">{ct("cancel")}</a>
        </div>
      </form>
    </section>
  );
}
