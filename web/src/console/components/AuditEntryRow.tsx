// One entry of the audit log as a table row: when, who, what on what, and, on request, its
// details and the hashes that chain it to the entry before. Everything the server wrote is
// shown as text (details as indented JSON), never as HTML.

import { date, DEFAULT_ZONE, time } from "../../shared/i18n";
import { backofficeEn } from "../i18n/backoffice";
import { ct, type ConsoleKey } from "../i18n";

export interface AuditParty {
  id: string;
  name: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: AuditParty;
  action: string;
  target: AuditParty;
  details: unknown;
  hash: string;
  prev_hash: string;
}

/** The action in words when the console knows it ("Organization created"); null otherwise. */
export function actionWords(action: string): string | null {
  const key = `audit.do.${action}`;
  return key in backofficeEn ? ct(key as ConsoleKey) : null;
}

/** Who acted: a person's name, one of Travio's services, a traveller, or the id as it is. */
export function actorWords(actor: AuditParty): string {
  if (actor.id.startsWith("service:")) {
    const service = actor.id.slice("service:".length);
    const key = `audit.serviceName.${service}`;
    return ct("audit.service", { service: key in backofficeEn ? ct(key as ConsoleKey) : service });
  }
  if (actor.id.startsWith("guest:")) return ct("audit.guest");
  if (!actor.id) return ct("audit.nobody");
  return actor.name || actor.id;
}

/** Text with places to wrap after its dots and slashes ("subscription.<wbr>started"). */
function breakable(text: string) {
  // Split after each "." or "/" without a lookbehind (older Safari cannot parse one, and a
  // parse error would stop the whole console).
  const parts = text.replace(/([./])/g, "$1\u0000").split("\u0000").filter((part, i, all) => part !== "" || i < all.length - 1);
  return parts.map((part, i) => (i === 0 ? part : [<wbr key={i} />, part]));
}

export function AuditEntryRow({ entry }: { entry: AuditEntry }) {
  const words = actionWords(entry.action);
  const details = typeof entry.details === "string" ? entry.details : JSON.stringify(entry.details, null, 2);
  return (
    <tr data-seq={entry.seq}>
      <td class="num">{entry.seq}</td>
      <td class="nowrap">
        {date(entry.at, DEFAULT_ZONE)} {time(entry.at, DEFAULT_ZONE)}
      </td>
      <td>{actorWords(entry.actor)}</td>
      <td>
        {words ? <span class="block">{words}</span> : null}
        <code class="action">{breakable(entry.action)}</code>
      </td>
      <td class="target">{entry.target.name || (entry.target.id ? <code>{entry.target.id}</code> : "—")}</td>
      <td>
        <details class="entry-details">
          <summary>{ct("audit.showDetails", { seq: entry.seq })}</summary>
          <dl class="facts small">
            {entry.actor.id ? (
              <>
                <dt>{ct("audit.actorId")}</dt>
                <dd>
                  <code>{entry.actor.id}</code>
                </dd>
              </>
            ) : null}
            {entry.target.id ? (
              <>
                <dt>{ct("audit.targetId")}</dt>
                <dd>
                  <code>{entry.target.id}</code>
                </dd>
              </>
            ) : null}
            <dt>{ct("audit.hash")}</dt>
            <dd>
              <code>{entry.hash}</code>
            </dd>
            <dt>{ct("audit.prevHash")}</dt>
            <dd>
              <code>{entry.prev_hash}</code>
            </dd>
          </dl>
          <pre class="json">{details}</pre>
        </details>
      </td>
    </tr>
  );
}
