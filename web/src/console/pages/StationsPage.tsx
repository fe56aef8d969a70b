import { useEffect, useState } from "preact/hooks";
import { call, IdempotentRequest } from "../../shared/api";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import type { List, Station } from "../../shared/types";
import { ct } from "../i18n";
import { errorText } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

interface StationForm {
  code: string;
  name: string;
  city: string;
  lat: string;
  lon: string;
  timezone: string;
}

const EMPTY: StationForm = { code: "", name: "", city: "", lat: "", lon: "", timezone: "Asia/Dhaka" };

/**
 * The stations every operator shares, found by code, name or city; a member who manages the
 * catalog may propose a new one (the platform decides which organizations may add stations).
 */
export function StationsPage() {
  const { membership } = useWorkspace();
  const [query, setQuery] = useState("");
  const [stations, setStations] = useState<Station[] | null>(null);
  const [form, setForm] = useState<StationForm>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [request, setRequest] = useState(() => new IdempotentRequest());

  useEffect(() => {
    const timer = setTimeout(() => {
      call<List<Station>>(endpoints.stations, { auth: "none", query: { q: query.trim() || undefined, limit: 200 } })
        .then((answer) => setStations(answer.body.items))
        .catch((error) => setProblem(errorText(error)));
    }, 150);
    return () => clearTimeout(timer);
  }, [query]);

  async function add(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!/^[A-Z]{3,5}$/.test(form.code)) found.code = ct("stations.codeInvalid");
    if (!form.name.trim()) found.name = ct("stations.nameNeeded");
    if (!form.city.trim()) found.city = ct("stations.cityNeeded");
    const lat = Number(form.lat);
    const lon = Number(form.lon);
    if (form.lat.trim() === "" || !Number.isFinite(lat) || lat < -90 || lat > 90) found.lat = ct("stations.latInvalid");
    if (form.lon.trim() === "" || !Number.isFinite(lon) || lon < -180 || lon > 180) found.lon = ct("stations.lonInvalid");
    setErrors(found);
    setProblem(null);
    setNote(null);
    if (Object.keys(found).length > 0) return focusFirstError();
    const body = { code: form.code, name: form.name.trim(), city: form.city.trim(), lat, lon, timezone: form.timezone.trim() };
    setBusy(true);
    try {
      await orgCall(endpoints.createStation, { body, idempotencyKey: request.keyFor(body) });
      setNote(ct("stations.added", { code: body.code }));
      setForm(EMPTY);
      setRequest(new IdempotentRequest());
      setQuery(body.code);
    } catch (error) {
      if (error instanceof ApiError && error.code === "station_registry_closed") setProblem(ct("stations.registryClosed"));
      else if (error instanceof ApiError && error.code === "code_taken") setErrors({ code: ct("stations.codeTaken") });
      else if (error instanceof ApiError && error.problem.errors) setErrors(Object.fromEntries(error.problem.errors.map((e) => [e.field, e.message])));
      else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof StationForm, label: string, narrow = false) => (
    <Field id={`station-${name}`} label={label} error={errors[name]} narrow={narrow}>
      <input
        id={`station-${name}`}
        value={form[name]}
        maxLength={name === "code" ? 5 : 120}
        onInput={(e) => setForm({ ...form, [name]: name === "code" ? e.currentTarget.value.toUpperCase() : e.currentTarget.value })}
      />
    </Field>
  );

  return (
    <section>
      <h1>{ct("stations.title")}</h1>
      <p class="muted">{ct("stations.lead")}</p>
      <Field id="station-search" label={ct("stations.search")} narrow>
        <input id="station-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </Field>
      {stations && stations.length === 0 ? <p class="card">{ct("stations.none")}</p> : null}
      {stations && stations.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("stations.code")}</th>
              <th scope="col">{ct("stations.name")}</th>
              <th scope="col">{ct("stations.city")}</th>
              <th scope="col">{ct("stations.zone")}</th>
            </tr>
          </thead>
          <tbody>
            {stations.map((s) => (
              <tr key={s.code}>
                <td>
                  <span class="code">{s.code}</span>
                </td>
                <td>{s.name}</td>
                <td>{s.city}</td>
                <td>{s.timezone ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <Alert text={problem} />
      {can(membership, "catalog.manage") ? (
        <form class="card" onSubmit={add} noValidate>
          <h2>{ct("stations.add")}</h2>
          <p class="hint">{ct("stations.addHint")}</p>
          <div class="row wrap">
            {field("code", ct("stations.code"), true)}
            {field("name", ct("stations.name"))}
            {field("city", ct("stations.city"))}
          </div>
          <div class="row wrap">
            {field("lat", ct("stations.lat"), true)}
            {field("lon", ct("stations.lon"), true)}
            {field("timezone", ct("stations.zone"))}
          </div>
          <button class="primary" disabled={busy}>
            {ct("stations.addButton")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
