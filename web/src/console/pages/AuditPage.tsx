import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { DEFAULT_ZONE } from "../../shared/i18n";
import { navigate, usePlace } from "../../shared/router";
import type { List } from "../../shared/types";
import { AuditEntryRow, type AuditEntry } from "../components/AuditEntryRow";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Member } from "../model";
import { addDays } from "../schedule";
import { can, orgCall, useWorkspace } from "../workspace";
import "../backoffice.css";

type Verification =
  | { ok: true; entries: number; head_hash: string }
  | { ok: false; entries: number; first_bad_seq: number; reason: string };

const SERVICES = ["identity", "operator", "catalog", "inventory", "order", "payment", "fulfillment", "subscription"] as const;
const ACTION_HINTS = ["identity.", "subscription.", "bus.", "route.", "trip.", "order.", "payment.", "tickets.", "trip.cancelled", "order.cancelled", "identity.member_role_changed"];
const PAGE = 50;

/** The instant a calendar day starts in `zone`, as RFC 3339 with the zone's offset that day. */
function dayStart(ymd: string, zone: string): string {
  const noon = new Date(`${ymd}T12:00:00Z`);
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(noon).find((p) => p.type === "timeZoneName")
      ?.value ?? "GMT";
  const offset = /^GMT([+-]\d\d:\d\d)$/.exec(name)?.[1] ?? "+00:00";
  return `${ymd}T00:00:00${offset}`;
}

/**
 * The organization's tamper-evident audit log, newest first, filtered by who, what and when,
 * a page at a time; and its verification: every entry's hash recomputed up to the head.
 */
export function AuditPage() {
  const { membership } = useWorkspace();
  const place = usePlace();
  const actor = place.query.get("actor") || "";
  const action = place.query.get("action") || "";
  const fromDay = place.query.get("from") || "";
  const toDay = place.query.get("to") || "";
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifyProblem, setVerifyProblem] = useState<string | null>(null);
  // The form's fields, applied together.
  const [draft, setDraft] = useState({ actor, action, from: fromDay, to: toDay });
  const latest = useRef(0);

  const query = (after: string | null) => ({
    actor: actor || undefined,
    action: action || undefined,
    from: fromDay ? dayStart(fromDay, DEFAULT_ZONE) : undefined,
    to: toDay ? dayStart(addDays(toDay, 1), DEFAULT_ZONE) : undefined,
    limit: PAGE,
    cursor: after ?? undefined,
  });

  useEffect(() => {
    setDraft({ actor, action, from: fromDay, to: toDay });
    const ask = ++latest.current;
    setEntries(null);
    setProblem(null);
    (async () => {
      const [page, people] = await Promise.all([
        orgCall<List<AuditEntry>>(endpoints.audit, { query: query(null) }),
        can(membership, "members.read") ? orgCall<List<Member>>(endpoints.members, { query: { limit: 200 } }) : null,
      ]);
      if (ask !== latest.current) return;
      if (people) setMembers(people.body.items);
      setCursor(page.body.next_cursor);
      setEntries(page.body.items);
    })().catch((error) => {
      if (ask === latest.current) setProblem(errorText(error));
    });
  }, [actor, action, fromDay, toDay, membership?.org_id]);

  async function showMore() {
    if (!cursor) return;
    setBusy(true);
    setProblem(null);
    try {
      const page = await orgCall<List<AuditEntry>>(endpoints.audit, { query: query(cursor) });
      setEntries((before) => [...(before ?? []), ...page.body.items]);
      setCursor(page.body.next_cursor);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  async function verify() {
    setVerifying(true);
    setVerification(null);
    setVerifyProblem(null);
    try {
      setVerification((await orgCall<Verification>(endpoints.auditVerify)).body);
    } catch (error) {
      setVerifyProblem(errorText(error));
    } finally {
      setVerifying(false);
    }
  }

  const apply = (values: typeof draft) => {
    const next = new URLSearchParams();
    if (values.actor) next.set("actor", values.actor);
    if (values.action.trim()) next.set("action", values.action.trim());
    if (values.from) next.set("from", values.from);
    if (values.to) next.set("to", values.to);
    const text = next.toString();
    navigate(`/console/audit${text ? `?${text}` : ""}`, { replace: true });
  };
  const filtered = Boolean(actor || action || fromDay || toDay);
  const actorKnown = !actor || actor.startsWith("service:") || members.some((m) => m.user_id === actor);

  return (
    <section class="audit">
      <h1>{ct("audit.title")}</h1>
      <p class="muted">{ct("audit.lead")}</p>

      <div class="card verify">
        <h2>{ct("audit.verifyTitle")}</h2>
        <p class="muted">{ct("audit.verifyLead")}</p>
        <button type="button" class="primary" disabled={verifying} onClick={verify}>
          {verifying ? ct("audit.verifying") : ct("audit.verify")}
        </button>
        <div role="status" class="verify-result">
          {verification?.ok === true ? (
            <p class="verdict good">
              <strong>{ct("audit.verifiedTitle")}</strong> {ct("audit.verified", { n: verification.entries })}{" "}
              <span class="block small">
                {ct("audit.headHash")} <code>{verification.head_hash}</code>
              </span>
            </p>
          ) : null}
          {verification?.ok === false ? (
            <p class="verdict bad">
              <strong>{ct("audit.brokenTitle")}</strong> {ct("audit.broken", { seq: verification.first_bad_seq, n: verification.entries })}{" "}
              <span class="block">{ct("audit.brokenReason", { reason: verification.reason })}</span>
              <span class="block small">{ct("audit.brokenAdvice")}</span>
            </p>
          ) : null}
        </div>
        <Alert text={verifyProblem} />
      </div>

      <form
        class="card audit-filters"
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <h2>{ct("audit.filters")}</h2>
        <div class="row wrap">
          <Field id="audit-actor" label={ct("audit.actor")}>
            <select id="audit-actor" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })}>
              <option value="">{ct("audit.anyone")}</option>
              {actorKnown ? null : <option value={actor}>{actor}</option>}
              <optgroup label={ct("audit.people")}>
                {members.map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.name ? `${m.name} (${m.email})` : m.email}
                  </option>
                ))}
              </optgroup>
              <optgroup label={ct("audit.services")}>
                {SERVICES.map((s) => (
                  <option key={s} value={`service:${s}`}>
                    {ct("audit.service", { service: ct(`audit.serviceName.${s}` as ConsoleKey) })}
                  </option>
                ))}
              </optgroup>
            </select>
          </Field>
          <Field id="audit-action" label={ct("audit.action")}>
            <input
              id="audit-action"
              list="audit-actions"
              value={draft.action}
              maxLength={200}
              aria-describedby="audit-action-hint"
              onInput={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
            />
          </Field>
          <Field id="audit-from" label={ct("audit.from")} narrow>
            <input id="audit-from" type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
          </Field>
          <Field id="audit-to" label={ct("audit.to")} narrow>
            <input id="audit-to" type="date" value={draft.to} min={draft.from || undefined} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
          </Field>
        </div>
        <datalist id="audit-actions">
          {ACTION_HINTS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <p class="small muted" id="audit-action-hint">
          {ct("audit.actionHint")}
        </p>
        <div class="actions">
          <button class="secondary">{ct("audit.apply")}</button>
          {filtered ? (
            <button type="button" class="link" onClick={() => apply({ actor: "", action: "", from: "", to: "" })}>
              {ct("audit.clear")}
            </button>
          ) : null}
        </div>
      </form>

      <Alert text={problem} />
      {entries === null && !problem ? <p class="muted">{ct("loading")}</p> : null}
      {entries && entries.length === 0 ? <p class="card">{filtered ? ct("audit.noneMatching") : ct("audit.none")}</p> : null}
      {entries && entries.length > 0 ? (
        <table class="table audit-table">
          <caption>{filtered ? ct("audit.listFiltered") : ct("audit.list")}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">{ct("audit.seq")}</th>
              <th scope="col">{ct("audit.when")}</th>
              <th scope="col">{ct("audit.who")}</th>
              <th scope="col">{ct("audit.what")}</th>
              <th scope="col">{ct("audit.target")}</th>
              <th scope="col">{ct("audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AuditEntryRow key={entry.seq} entry={entry} />
            ))}
          </tbody>
        </table>
      ) : null}
      {cursor && entries ? (
        <button type="button" class="secondary" disabled={busy} onClick={showMore}>
          {busy ? ct("loading") : ct("audit.more")}
        </button>
      ) : null}
    </section>
  );
}
