import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { date, DEFAULT_ZONE, money, number } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import type { List } from "../../shared/types";
import { BillingInvoices, type InvoiceSummary } from "../components/BillingInvoices";
import {
  exceededBy,
  isUpgrade,
  limitText,
  type Plan,
  periodText,
  planName,
  QUOTAS,
  quotaName,
  type Subscription,
  upgradeCharge,
} from "../components/BillingWords";
import { ct } from "../i18n";
import { errorText } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";
import "../backoffice.css";

interface View {
  subscription: Subscription | null;
  plans: Plan[];
  invoices: InvoiceSummary[];
  invoicesCursor: string | null;
}

/**
 * The plan the organization pays for (owners): its trial, period, usage against its limits, a
 * downgrade waiting, and changing plans with what happens said before it is confirmed; and its
 * invoices (owners and admins) with their lines and PDFs.
 */
export function BillingPage() {
  const { membership } = useWorkspace();
  const manage = can(membership, "billing.manage");
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [choice, setChoice] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const [changeProblem, setChangeProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);

  useEffect(() => {
    setView(null);
    setProblem(null);
    (async () => {
      const [subscription, plans, invoices] = await Promise.all([
        manage ? orgCall<Subscription>(endpoints.subscription) : null,
        manage ? orgCall<{ items: Plan[] }>(endpoints.plans) : null,
        orgCall<List<InvoiceSummary>>(endpoints.invoices, { query: { limit: 24 } }),
      ]);
      setView({
        subscription: subscription?.body ?? null,
        plans: plans?.body.items ?? [],
        invoices: invoices.body.items,
        invoicesCursor: invoices.body.next_cursor,
      });
    })().catch((error) => setProblem(errorText(error)));
  }, [membership?.org_id, manage]);

  if (!view) {
    return (
      <section>
        <h1>{ct("billing.title")}</h1>
        {problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>}
      </section>
    );
  }

  async function moreInvoices() {
    if (!view?.invoicesCursor) return;
    setMoreBusy(true);
    try {
      const next = await orgCall<List<InvoiceSummary>>(endpoints.invoices, { query: { limit: 24, cursor: view.invoicesCursor } });
      setView({ ...view, invoices: [...view.invoices, ...next.body.items], invoicesCursor: next.body.next_cursor });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setMoreBusy(false);
    }
  }

  const subscription = view.subscription;
  const current = subscription ? view.plans.find((p) => p.name === subscription.plan) ?? null : null;

  async function changeTo(plan: string, said: (s: Subscription) => string) {
    setChanging(true);
    setChangeProblem(null);
    setNote(null);
    try {
      const answer = await orgCall<Subscription>(endpoints.changeSubscription, { body: { plan } });
      setView({ ...view!, subscription: answer.body });
      setChoice(null);
      setNote(said(answer.body));
    } catch (error) {
      if (error instanceof ApiError && error.code === "plan_downgrade_blocked") setChangeProblem(ct("billing.blocked", { detail: error.message }));
      else setChangeProblem(errorText(error));
    } finally {
      setChanging(false);
    }
  }

  return (
    <section class="billing">
      <h1>{ct("billing.title")}</h1>
      <Alert text={problem} />
      {note ? (
        <p class="note card" role="status" id="billing-note">
          {note}
        </p>
      ) : null}

      {subscription ? (
        <section class="card" aria-labelledby="plan-title" id="current-plan">
          <h2 id="plan-title">{ct("billing.yourPlan", { plan: planName(subscription.plan) })}</h2>
          <dl class="facts">
            <dt>{ct("billing.status")}</dt>
            <dd>
              {subscription.status === "trialing" ? (
                <span class="badge trial">{ct("billing.trialUntil", { date: date(subscription.trial_end, DEFAULT_ZONE) })}</span>
              ) : (
                <span class="badge active">{ct("billing.active")}</span>
              )}
            </dd>
            <dt>{ct("billing.thisPeriod")}</dt>
            <dd>{periodText(subscription.period_start, subscription.period_end)}</dd>
            {current ? (
              <>
                <dt>{ct("billing.price")}</dt>
                <dd>
                  {ct("billing.priceText", {
                    price: money(current.monthly_price.amount, current.monthly_price.currency),
                    fee: money(current.booking_fee.amount, current.booking_fee.currency),
                  })}
                </dd>
              </>
            ) : null}
          </dl>
          {subscription.status === "trialing" ? <p class="small muted">{ct("billing.trialNote")}</p> : null}
          {subscription.pending_plan ? (
            <div class="notice-box" id="pending-downgrade">
              <p>
                {ct("billing.pending", {
                  plan: planName(subscription.pending_plan),
                  date: date(subscription.pending_from ?? subscription.period_end, DEFAULT_ZONE),
                })}
              </p>
              <p class="small">{ct("billing.pendingLimits", { plan: planName(subscription.pending_plan) })}</p>
              <button
                type="button"
                class="secondary"
                disabled={changing}
                onClick={() => changeTo(subscription.plan, (s) => ct("billing.stayed", { plan: planName(s.plan) }))}
              >
                {ct("billing.stay", { plan: planName(subscription.plan) })}
              </button>
            </div>
          ) : null}

          <h3>{ct("billing.usage")}</h3>
          <ul class="meters">
            {QUOTAS.map((quota) => {
              const used = subscription.usage[quota] ?? 0;
              const limit = subscription.limits[quota];
              const share = limit ? used / limit : 0;
              return (
                <li key={quota} class={share >= 0.9 ? "meter near" : "meter"} data-quota={quota}>
                  {limit === null ? (
                    <>
                      <span class="meter-label">{quotaName(quota)}</span>
                      <span class="meter-text" id={`usage-${quota}`}>
                        {ct("billing.usedUnlimited", { used })}
                      </span>
                    </>
                  ) : (
                    <>
                      <label class="meter-label" for={`usage-${quota}`}>
                        {quotaName(quota)}
                      </label>
                      <progress id={`usage-${quota}`} max={limit} value={Math.min(used, limit)} aria-describedby={`usage-${quota}-text`} />
                      <span class="meter-text" id={`usage-${quota}-text`}>
                        {ct("billing.usedOf", { used, limit })}
                      </span>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          <p class="small muted">{ct("billing.usageNote")}</p>
        </section>
      ) : null}

      {subscription && view.plans.length > 0 ? (
        <section class="card" aria-labelledby="plans-title">
          <h2 id="plans-title">{ct("billing.plans")}</h2>
          <table class="table plans">
            <thead>
              <tr>
                <th scope="col">{ct("billing.plan")}</th>
                <th scope="col" class="num">{ct("billing.monthly")}</th>
                <th scope="col" class="num">{ct("billing.perBooking")}</th>
                {QUOTAS.map((q) => (
                  <th scope="col" class="num" key={q}>
                    {quotaName(q)}
                  </th>
                ))}
                <th scope="col">
                  <span class="sr-only">{ct("billing.choose")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.plans.map((plan) => {
                const mine = plan.name === subscription.plan;
                return (
                  <tr key={plan.name} class={mine ? "current" : undefined} data-plan={plan.name}>
                    <th scope="row">
                      {planName(plan.name)}
                      {mine ? <span class="tag">{ct("billing.current")}</span> : null}
                      {plan.name === subscription.pending_plan ? <span class="tag warn">{ct("billing.from", { date: date(subscription.pending_from ?? subscription.period_end, DEFAULT_ZONE) })}</span> : null}
                    </th>
                    <td class="num">{money(plan.monthly_price.amount, plan.monthly_price.currency)}</td>
                    <td class="num">{money(plan.booking_fee.amount, plan.booking_fee.currency)}</td>
                    {QUOTAS.map((q) => (
                      <td class="num" key={q}>
                        {limitText(plan.limits[q])}
                      </td>
                    ))}
                    <td>
                      {mine || plan.name === subscription.pending_plan ? null : (
                        <button
                          type="button"
                          class={choice === plan.name ? "secondary chosen" : "secondary"}
                          aria-pressed={choice === plan.name ? "true" : "false"}
                          onClick={() => {
                            setChoice(plan.name);
                            setChangeProblem(null);
                            setNote(null);
                          }}
                        >
                          {ct("billing.chooseNamed", { plan: planName(plan.name) })}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {choice && current ? (
            <PlanChange
              from={current}
              to={view.plans.find((p) => p.name === choice)!}
              subscription={subscription}
              busy={changing}
              problem={changeProblem}
              onConfirm={(said) => changeTo(choice, said)}
              onCancel={() => {
                setChoice(null);
                setChangeProblem(null);
              }}
            />
          ) : null}
        </section>
      ) : null}

      {can(membership, "billing.read") ? (
        <BillingInvoices
          invoices={view.invoices}
          more={view.invoicesCursor !== null}
          busy={moreBusy}
          onMore={moreInvoices}
          firstDue={subscription?.period_end}
        />
      ) : null}
    </section>
  );
}

/** What choosing `to` does, said before it is confirmed. */
function PlanChange(props: {
  from: Plan;
  to: Plan;
  subscription: Subscription;
  busy: boolean;
  problem: string | null;
  onConfirm: (said: (s: Subscription) => string) => void;
  onCancel: () => void;
}) {
  const { from, to, subscription } = props;
  const upgrade = isUpgrade(from, to);
  const currency = to.monthly_price.currency;
  // The next period's first day (a downgrade's), and this period's last (an upgrade's charge runs to its end).
  const ends = date(subscription.period_end, DEFAULT_ZONE);
  const lastDay = date(new Date(Date.parse(subscription.period_end) - 1).toISOString(), DEFAULT_ZONE);
  const name = planName(to.name);
  const newTerms = ct("billing.newTerms", {
    price: money(to.monthly_price.amount, currency),
    fee: money(to.booking_fee.amount, to.booking_fee.currency),
  });
  const changedLimits = QUOTAS.filter((q) => from.limits[q] !== to.limits[q]).map((q) =>
    ct("billing.limitChange", { quota: quotaName(q), from: limitText(from.limits[q]), to: limitText(to.limits[q]) }),
  );

  if (upgrade) {
    const charge = upgradeCharge(from, to, subscription);
    const trialing = Date.parse(subscription.trial_end) > Date.now();
    return (
      <div class="consequences" role="region" aria-label={ct("billing.whatHappens")} id="plan-change">
        <h3>{ct("billing.upgradeTitle", { plan: name })}</h3>
        <p>{ct("billing.upgradeNow", { plan: name })}</p>
        <p>
          {charge > 0
            ? ct(trialing ? "billing.upgradeChargeTrial" : "billing.upgradeCharge", { charge: money(charge, currency), date: lastDay })
            : ct("billing.upgradeFree", { date: lastDay })}
        </p>
        <p>{ct("billing.afterwards", { terms: newTerms })}</p>
        {changedLimits.length > 0 ? (
          <ul class="small">
            {changedLimits.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        ) : null}
        {subscription.pending_plan ? <p>{ct("billing.upgradeDropsPending", { plan: planName(subscription.pending_plan) })}</p> : null}
        <Alert text={props.problem} />
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={props.busy}
            onClick={() => props.onConfirm((s) => ct("billing.upgraded", { plan: planName(s.plan) }))}
          >
            {ct("billing.confirmUpgrade", { plan: name })}
          </button>
          <button type="button" class="link" onClick={props.onCancel}>
            {ct("cancel")}
          </button>
        </div>
      </div>
    );
  }

  const blocked = exceededBy(to, subscription);
  return (
    <div class="consequences" role="region" aria-label={ct("billing.whatHappens")} id="plan-change">
      <h3>{ct("billing.downgradeTitle", { plan: name })}</h3>
      <p>{ct("billing.downgradeLater", { plan: name, date: ends, current: planName(from.name) })}</p>
      <p>{ct("billing.afterwards", { terms: newTerms })}</p>
      {changedLimits.length > 0 ? (
        <ul class="small">
          {changedLimits.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      ) : null}
      <p>{ct("billing.downgradeMeanwhile", { plan: name })}</p>
      {blocked.length > 0 ? (
        <div class="problem-box">
          <p>{ct("billing.downgradeBlocked", { plan: name })}</p>
          <ul>
            {blocked.map(([quota, used, limit]) => (
              <li key={quota}>{ct("billing.overBy", { quota: quotaName(quota), used: number(used), limit: number(limit), n: used - limit })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Alert text={props.problem} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={props.busy || blocked.length > 0}
          onClick={() =>
            props.onConfirm((s) =>
              ct("billing.downgraded", { plan: planName(s.pending_plan ?? to.name), date: date(s.pending_from ?? s.period_end, DEFAULT_ZONE) }),
            )
          }
        >
          {ct("billing.confirmDowngrade", { plan: name, date: ends })}
        </button>
        <button type="button" class="link" onClick={props.onCancel}>
          {ct("cancel")}
        </button>
      </div>
    </div>
  );
}
