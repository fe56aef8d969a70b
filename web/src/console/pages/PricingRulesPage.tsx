import { useEffect, useRef, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { date, DEFAULT_ZONE, time } from "../../shared/i18n";
import { usePlace } from "../../shared/router";
import type { List } from "../../shared/types";
import { ct } from "../i18n";
import { errorText } from "../model";
import { orgCall } from "../workspace";
import { inOrder, ruleState, type PricingRule } from "../components/PricingShared";
import "../pricing.css";

const at = (iso: string) => `${date(iso, DEFAULT_ZONE)} ${time(iso, DEFAULT_ZONE)}`;

function validity(rule: PricingRule): string {
  if (rule.valid_from && rule.valid_to) return ct("pricing.validBetween", { from: at(rule.valid_from), to: at(rule.valid_to) });
  if (rule.valid_from) return ct("pricing.validSince", { from: at(rule.valid_from) });
  if (rule.valid_to) return ct("pricing.validUntil", { to: at(rule.valid_to) });
  return ct("pricing.validAlways");
}

function StateBadge({ rule }: { rule: PricingRule }) {
  const state = ruleState(rule);
  const words = {
    now: ct("pricing.stateNow"),
    off: ct("pricing.stateOffShort"),
    later: ct("pricing.stateLaterShort"),
    ended: ct("pricing.stateEndedShort"),
  }[state];
  return <span class={`badge rule-${state}`}>{words}</span>;
}

/** The organization's pricing rules in the order they apply; each opens in the editor, or is deleted after a confirmation. */
export function PricingRulesPage() {
  const place = usePlace();
  const saved = place.query.get("saved");
  const [rules, setRules] = useState<PricingRule[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<(() => string) | null>(null);
  const [deleting, setDeleting] = useState<PricingRule | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);

  const load = async () => {
    const answer = await orgCall<List<PricingRule>>(endpoints.pricingRules);
    const list = inOrder(answer.body.items);
    setRules(list);
    return list;
  };

  useEffect(() => {
    load()
      .then((list) => {
        const named = saved ? list.find((r) => r.id === saved) : undefined;
        if (named) setNote(() => () => ct("pricing.saved", { name: named.name }));
      })
      .catch((error) => setProblem(errorText(error)));
  }, [saved]);

  useEffect(() => {
    if (deleting) confirmRef.current?.querySelector<HTMLElement>("button")?.focus();
  }, [deleting]);

  async function remove(rule: PricingRule) {
    setBusy(true);
    setProblem(null);
    try {
      await orgCall(endpoints.deletePricingRule, { params: { id: rule.id } });
      await load();
      setDeleting(null);
      setNote(() => () => ct("pricing.deleted", { name: rule.name }));
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  if (!rules) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  return (
    <section class="rules-page">
      <div class="page-head">
        <h1>{ct("pricing.title")}</h1>
        <a class="button primary" href="/console/pricing/new">
          {ct("pricing.new")}
        </a>
      </div>
      <p class="lead-text">{ct("pricing.lead")}</p>
      {note ? (
        <p class="note" role="status">
          {note()}
        </p>
      ) : null}
      <Alert text={problem} />

      {rules.length === 0 ? (
        <p class="card muted">{ct("pricing.none")}</p>
      ) : (
        <table class="table rules-table">
          <caption class="sr-only">{ct("pricing.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {ct("pricing.order")}
              </th>
              <th scope="col">{ct("pricing.name")}</th>
              <th scope="col" class="num">
                {ct("pricing.priority")}
              </th>
              <th scope="col">{ct("pricing.state")}</th>
              <th scope="col">{ct("pricing.validity")}</th>
              <th scope="col">{ct("pricing.expressions")}</th>
              <th scope="col">
                <span class="sr-only">{ct("trips.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule, i) => (
              <tr key={rule.id} data-rule={rule.id} class={rule.id === saved ? "just-saved" : undefined}>
                <td class="num">{i + 1}</td>
                <td>
                  <a href={`/console/pricing/${rule.id}`}>{rule.name}</a>
                  <div class="small muted">{ct("pricing.versionShort", { n: rule.version })}</div>
                </td>
                <td class="num">{rule.priority}</td>
                <td>
                  <StateBadge rule={rule} />
                </td>
                <td class="small">{validity(rule)}</td>
                <td class="rule-exprs">
                  <div>
                    <span class="expr-label">{ct("pricing.whenShort")}</span>
                    <code class="cel">{rule.when}</code>
                  </div>
                  <div>
                    <span class="expr-label">{ct("pricing.adjustShort")}</span>
                    <code class="cel">{rule.adjust}</code>
                  </div>
                </td>
                <td class="row-actions">
                  <a href={`/console/pricing/${rule.id}`}>
                    {ct("pricing.edit")}
                    <span class="sr-only"> {rule.name}</span>
                  </a>
                  <button type="button" class="link" onClick={() => setDeleting(rule)} aria-expanded={deleting?.id === rule.id}>
                    {ct("pricing.delete")}
                    <span class="sr-only"> {rule.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {deleting ? (
        <div class="consequences delete-rule" ref={confirmRef} role="group" aria-labelledby="delete-title">
          <h2 id="delete-title">{ct("pricing.deleteTitle", { name: deleting.name })}</h2>
          <p>{ct("pricing.deleteStops")}</p>
          <p>{ct("pricing.deleteKeeps")}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void remove(deleting)}>
              {ct("pricing.deleteConfirm")}
            </button>
            <button type="button" class="link" onClick={() => setDeleting(null)}>
              {ct("pricing.keep")}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
