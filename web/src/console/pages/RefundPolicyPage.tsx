import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { ct } from "../i18n";
import { errorText } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";
import { RefundWords, type RefundTier } from "../components/RefundWords";
import { wholeNumber } from "../components/PricingShared";
import "../pricing.css";

interface RefundPolicy {
  tiers: RefundTier[];
  default: boolean;
}

interface Row {
  key: number;
  hours: string;
  percent: string;
}

const MAX_TIERS = 10;
let nextKey = 1;
const rowsOf = (tiers: RefundTier[]): Row[] =>
  tiers.map((t) => ({ key: nextKey++, hours: String(t.notice_hours), percent: String(t.percent) }));

/** The rows as tiers, or null while one of them does not read as whole numbers. */
function tiersOf(rows: Row[]): RefundTier[] | null {
  const tiers: RefundTier[] = [];
  for (const row of rows) {
    const hours = wholeNumber(row.hours);
    const percent = wholeNumber(row.percent);
    if (hours === null || percent === null) return null;
    tiers.push({ notice_hours: hours, percent });
  }
  return tiers;
}

/** The server's words for a tier's problem, in the console's language when they are known ones. */
function localize(message: string, part: "hours" | "percent", before: Row | undefined): string {
  switch (message) {
    case "must be a whole number of hours from 1 to 720":
    case "notice must be positive":
    case "notice must be whole minutes":
      return ct("refund.hoursInvalid");
    case "notice must be shorter than the tier before":
      return ct("refund.hoursShorter", { hours: ct("refund.hours", { n: wholeNumber(before?.hours ?? "") ?? 0 }) });
    case "percent must be from 0 to 100":
    case "must be a whole number":
      return part === "hours" ? ct("refund.hoursInvalid") : ct("refund.percentInvalid");
    case "a shorter notice cannot refund more":
      return ct("refund.percentMore", { percent: wholeNumber(before?.percent ?? "") ?? 0 });
    case "is required":
      return part === "hours" ? ct("refund.hoursInvalid") : ct("refund.percentInvalid");
    case "1 to 10 tiers":
      return ct("refund.tierCount");
    default:
      return message;
  }
}

/**
 * The refund policy travellers cancel under, in words: what they get back at each notice. Those
 * who manage the network change its tiers here; the server's objections land on the input they
 * concern. Everyone else reads it.
 */
export function RefundPolicyPage() {
  const { membership } = useWorkspace();
  const manage = can(membership, "catalog.manage");
  const [policy, setPolicy] = useState<RefundPolicy | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<(() => string) | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    orgCall<RefundPolicy>(endpoints.refundPolicy)
      .then(({ body }) => {
        setRows(rowsOf(body.tiers));
        setPolicy(body);
      })
      .catch((error) => setProblem(errorText(error)));
  }, [membership?.org_id]);

  if (!policy) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const draft = tiersOf(rows);
  const readable = draft?.every((t) => t.notice_hours >= 1 && t.notice_hours <= 720 && t.percent >= 0 && t.percent <= 100) ?? false;
  const dirty = JSON.stringify(draft) !== JSON.stringify(policy.tiers);

  const change = (index: number, part: "hours" | "percent", value: string) => {
    setRows(rows.map((row, i) => (i === index ? { ...row, [part]: value } : row)));
    setNote(null);
    if (errors[`${index}.${part}`]) setErrors({ ...errors, [`${index}.${part}`]: "" });
  };

  const addRow = () => {
    const last = rows[rows.length - 1];
    const hours = last ? Math.max(1, Math.floor((wholeNumber(last.hours) ?? 2) / 2)) : 24;
    const percent = last ? Math.max(0, (wholeNumber(last.percent) ?? 25) - 25) : 50;
    setRows([...rows, { key: nextKey++, hours: String(hours), percent: String(percent) }]);
    setErrors({});
    setNote(null);
  };

  const removeRow = (index: number) => {
    setRows(rows.filter((_, i) => i !== index));
    setErrors({});
    setNote(null);
  };

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    setNote(null);
    const found: Record<string, string> = {};
    rows.forEach((row, i) => {
      if (wholeNumber(row.hours) === null) found[`${i}.hours`] = ct("refund.hoursInvalid");
      if (wholeNumber(row.percent) === null) found[`${i}.percent`] = ct("refund.percentInvalid");
    });
    setErrors(found);
    const tiers = tiersOf(rows);
    if (Object.keys(found).length || !tiers) {
      setProblem(ct("refund.notSaved"));
      return focusInvalid();
    }
    setBusy(true);
    try {
      const answer = await orgCall<RefundPolicy>(endpoints.setRefundPolicy, { body: { tiers } });
      setPolicy(answer.body);
      setRows(rowsOf(answer.body.tiers));
      setErrors({});
      setNote(() => () => ct("refund.saved"));
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) {
        const mapped: Record<string, string> = {};
        const add = (key: string, text: string) => {
          mapped[key] = mapped[key] && mapped[key] !== text ? `${mapped[key]} ${text}` : text;
        };
        for (const item of error.problem.errors) {
          const found = /^tiers\[(\d+)\](?:\.(\w+))?$/.exec(item.field);
          if (!found) {
            add("tiers", localize(item.message, "percent", undefined));
            continue;
          }
          const index = Number(found[1]);
          // A problem of the whole tier names the part in its words: "percent …", "… refund more", "notice …".
          const part: "hours" | "percent" = found[2]
            ? found[2] === "notice_hours"
              ? "hours"
              : "percent"
            : /percent|refund/.test(item.message) || !/notice/.test(item.message)
              ? "percent"
              : "hours";
          add(`${index}.${part}`, localize(item.message, part, rows[index - 1]));
        }
        setErrors(mapped);
        setProblem(ct("refund.notSaved"));
        focusInvalid();
      } else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="refund-page">
      <h1>{ct("refund.title")}</h1>
      <p class="lead-text">{ct("refund.lead")}</p>
      {policy.default ? <p class="notice-box">{ct("refund.isDefault")}</p> : null}
      <div class="card refund-now">
        <h2>{ct("refund.nowTitle")}</h2>
        <RefundWords tiers={policy.tiers} id="refund-now" />
        <p class="small muted">{ct("refund.keeps")}</p>
      </div>
      {note ? (
        <p class="note" role="status">
          {note()}
        </p>
      ) : null}

      {!manage ? (
        <p class="muted">{ct("refund.readOnly")}</p>
      ) : (
        <form class="card refund-form" onSubmit={save} noValidate aria-labelledby="refund-edit-title">
          <h2 id="refund-edit-title">{ct("refund.editTitle")}</h2>
          <p class="hint">{ct("refund.editHint")}</p>
          <table class="table tiers-table">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {ct("refund.row")}
                </th>
                <th scope="col">{ct("refund.noticeHead")}</th>
                <th scope="col">{ct("refund.percentHead")}</th>
                <th scope="col">{ct("refund.feeHead")}</th>
                <th scope="col">
                  <span class="sr-only">{ct("trips.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => {
                const n = i + 1;
                const percent = wholeNumber(row.percent);
                return (
                  <tr key={row.key} data-tier={i}>
                    <td class="num">{n}</td>
                    <td>
                      <TierInput id={`tier-${i}-hours`} label={ct("refund.noticeLabel", { n })} value={row.hours} error={errors[`${i}.hours`]} suffix={ct("refund.hoursUnit")} onInput={(v) => change(i, "hours", v)} />
                    </td>
                    <td>
                      <TierInput id={`tier-${i}-percent`} label={ct("refund.percentLabel", { n })} value={row.percent} error={errors[`${i}.percent`]} suffix="%" onInput={(v) => change(i, "percent", v)} />
                    </td>
                    <td class="fee">{percent !== null && percent >= 0 && percent <= 100 ? ct("refund.percentValue", { n: 100 - percent }) : "—"}</td>
                    <td>
                      <button type="button" class="link" disabled={rows.length === 1} onClick={() => removeRow(i)}>
                        {ct("refund.remove")}
                        <span class="sr-only"> {ct("refund.rowN", { n })}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {errors.tiers ? <p class="error">{errors.tiers}</p> : null}
          <button type="button" class="secondary" disabled={rows.length >= MAX_TIERS} onClick={addRow}>
            {ct("refund.add")}
          </button>
          {dirty ? (
            <div class="consequences" role="note" aria-live="polite">
              <p>
                <strong>{ct("refund.withChanges")}</strong>
              </p>
              {draft && readable ? <RefundWords tiers={draft} id="refund-draft" /> : <p>{ct("refund.fillEvery")}</p>}
              <p>{ct("refund.appliesTo")}</p>
            </div>
          ) : null}
          <Alert text={problem} />
          <div class="actions">
            <button class="primary" disabled={busy}>
              {ct("refund.save")}
            </button>
            {dirty ? (
              <button
                type="button"
                class="link"
                onClick={() => {
                  setRows(rowsOf(policy.tiers));
                  setErrors({});
                  setProblem(null);
                }}
              >
                {ct("refund.undo")}
              </button>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}

function focusInvalid() {
  setTimeout(() => document.querySelector<HTMLElement>(".refund-form [aria-invalid='true']")?.focus(), 0);
}

function TierInput(props: { id: string; label: string; value: string; error?: string; suffix: string; onInput: (value: string) => void }) {
  return (
    <div class="tier-input">
      <label class="sr-only" for={props.id}>
        {props.label}
      </label>
      <span class="with-unit">
        <input
          id={props.id}
          inputMode="numeric"
          value={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${props.id}-error` : undefined}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
        <span class="unit" aria-hidden="true">
          {props.suffix}
        </span>
      </span>
      {props.error ? (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
