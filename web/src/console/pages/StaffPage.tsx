import { useEffect, useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import type { List } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type StaffMember } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

const STAFF_ROLES = ["driver", "conductor", "helper"] as const;

/** Drivers, conductors and helpers, who are given duties on trips. */
export function StaffPage() {
  const { membership } = useWorkspace();
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [role, setRole] = useState<StaffMember["role"]>("driver");
  const [phone, setPhone] = useState("");
  const [license, setLicense] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [request, setRequest] = useState(() => new IdempotentRequest());

  const load = () =>
    orgCall<List<StaffMember>>(endpoints.staff, { query: { limit: 200 } })
      .then((answer) => setStaff(answer.body.items))
      .catch((error) => setProblem(errorText(error)));
  useEffect(() => void load(), []);

  async function add(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = ct("staff.nameNeeded");
    if (!/^\+?[0-9 -]{6,20}$/.test(phone.trim())) found.phone = ct("staff.phoneNeeded");
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return focusFirstError();
    const body = { name: name.trim(), role, phone: phone.trim(), ...(license.trim() ? { license_no: license.trim() } : {}) };
    setBusy(true);
    try {
      await orgCall(endpoints.createStaff, { body, idempotencyKey: request.keyFor(body) });
      setName("");
      setPhone("");
      setLicense("");
      setRequest(new IdempotentRequest());
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) {
        setErrors(Object.fromEntries(error.problem.errors.map((e) => [e.field, e.message])));
      } else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{ct("staff.title")}</h1>
      <Alert text={problem} />
      {staff && staff.length === 0 ? <p class="card">{ct("staff.none")}</p> : null}
      {staff && staff.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("staff.name")}</th>
              <th scope="col">{ct("staff.role")}</th>
              <th scope="col">{ct("staff.phone")}</th>
              <th scope="col">{ct("staff.license")}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{ct(`staff.role.${s.role}` as ConsoleKey)}</td>
                <td>{s.phone}</td>
                <td>{s.license_no ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {can(membership, "fleet.manage") ? (
        <form class="card" onSubmit={add} noValidate>
          <h2>{ct("staff.add")}</h2>
          <div class="row wrap">
            <Field id="staff-name" label={ct("staff.name")} error={errors.name}>
              <input id="staff-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field id="staff-role" label={ct("staff.role")} error={errors.role}>
              <select id="staff-role" value={role} onChange={(e) => setRole(e.currentTarget.value as StaffMember["role"])}>
                {STAFF_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ct(`staff.role.${r}` as ConsoleKey)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="staff-phone" label={ct("staff.phone")} error={errors.phone}>
              <input id="staff-phone" type="tel" value={phone} maxLength={20} onInput={(e) => setPhone(e.currentTarget.value)} />
            </Field>
            <Field id="staff-license" label={ct("staff.license")} error={errors.license_no}>
              <input id="staff-license" value={license} maxLength={64} onInput={(e) => setLicense(e.currentTarget.value)} />
            </Field>
          </div>
          <button class="primary" disabled={busy}>
            {ct("staff.addButton")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
