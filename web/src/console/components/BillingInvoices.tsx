// The organization's invoices (owners and admins): one per closed billing period, newest first,
// each with its lines on request and its PDF downloaded with the member's credentials.

import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { date, DEFAULT_ZONE, money, number } from "../../shared/i18n";
import type { Money } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText } from "../model";
import { orgCall } from "../workspace";
import { DownloadButton } from "./DownloadButton";
import { planName, periodText } from "./BillingWords";

export interface InvoiceSummary {
  id: string;
  number: string;
  plan: string;
  period_start: string;
  period_end: string;
  issued_at: string;
  total: Money;
}

export interface InvoiceLine {
  kind: "plan_fee" | "proration" | "booking_fees";
  description: string;
  quantity: number;
  unit_amount: Money;
  amount: Money;
}

export interface Invoice extends InvoiceSummary {
  lines: InvoiceLine[];
}

export function BillingInvoices(props: {
  invoices: InvoiceSummary[];
  more: boolean;
  onMore: () => void;
  busy: boolean;
  /** When the current period ends, for "the first invoice comes then" (owners only know it). */
  firstDue?: string;
}) {
  const [open, setOpen] = useState<Record<string, Invoice>>({});
  const [loading, setLoading] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function toggle(id: string) {
    if (open[id]) {
      const { [id]: _, ...rest } = open;
      setOpen(rest);
      return;
    }
    setLoading(id);
    setProblem(null);
    try {
      const answer = await orgCall<Invoice>(endpoints.invoice, { params: { invoice_id: id } });
      setOpen({ ...open, [id]: answer.body });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setLoading(null);
    }
  }

  return (
    <section class="card" aria-labelledby="invoices-title">
      <h2 id="invoices-title">{ct("billing.invoices")}</h2>
      <Alert text={problem} />
      {props.invoices.length === 0 ? (
        <p class="muted" id="no-invoices">
          {props.firstDue ? ct("billing.noInvoicesUntil", { date: date(props.firstDue, DEFAULT_ZONE) }) : ct("billing.noInvoices")}
        </p>
      ) : (
        <table class="table invoices">
          <thead>
            <tr>
              <th scope="col">{ct("billing.invoiceNumber")}</th>
              <th scope="col">{ct("billing.period")}</th>
              <th scope="col">{ct("billing.plan")}</th>
              <th scope="col">{ct("billing.issued")}</th>
              <th scope="col" class="num">{ct("billing.total")}</th>
              <th scope="col">
                <span class="sr-only">{ct("billing.invoiceActions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.invoices.map((invoice) => {
              const full = open[invoice.id];
              return (
                <Fragment key={invoice.id}>
                  <tr data-invoice={invoice.id}>
                    <th scope="row">{invoice.number}</th>
                    <td>{periodText(invoice.period_start, invoice.period_end)}</td>
                    <td>{planName(invoice.plan)}</td>
                    <td>{date(invoice.issued_at, DEFAULT_ZONE)}</td>
                    <td class="num">{money(invoice.total.amount, invoice.total.currency)}</td>
                    <td class="invoice-actions">
                      <button
                        type="button"
                        class="link"
                        aria-expanded={full ? "true" : "false"}
                        aria-controls={`lines-${invoice.id}`}
                        disabled={loading === invoice.id}
                        onClick={() => toggle(invoice.id)}
                      >
                        {ct(full ? "billing.hideLines" : "billing.showLines", { number: invoice.number })}
                      </button>
                      <DownloadButton
                        endpoint={endpoints.invoicePdf}
                        params={{ invoice_id: invoice.id }}
                        filename={`${invoice.number}.pdf`}
                        label={ct("billing.pdf", { number: invoice.number })}
                        class="link"
                      />
                    </td>
                  </tr>
                  {full ? (
                    <tr class="invoice-lines" id={`lines-${invoice.id}`}>
                      <td colSpan={6}>
                        <table class="table lines">
                          <caption>{ct("billing.linesOf", { number: invoice.number })}</caption>
                          <thead>
                            <tr>
                              <th scope="col">{ct("billing.line")}</th>
                              <th scope="col" class="num">{ct("billing.quantity")}</th>
                              <th scope="col" class="num">{ct("billing.unit")}</th>
                              <th scope="col" class="num">{ct("billing.amount")}</th>
                            </tr>
                          </thead>
                          <tbody>
                            {full.lines.map((line, i) => (
                              <tr key={i}>
                                <th scope="row">
                                  {ct(`billing.kind.${line.kind}` as ConsoleKey)}
                                  <span class="block small muted">{line.description}</span>
                                </th>
                                <td class="num">{number(line.quantity)}</td>
                                <td class="num">{money(line.unit_amount.amount, line.unit_amount.currency)}</td>
                                <td class="num">{money(line.amount.amount, line.amount.currency)}</td>
                              </tr>
                            ))}
                          </tbody>
                          <tfoot>
                            <tr>
                              <th scope="row" colSpan={3}>
                                {ct("billing.total")}
                              </th>
                              <td class="num">{money(full.total.amount, full.total.currency)}</td>
                            </tr>
                          </tfoot>
                        </table>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {props.more ? (
        <button type="button" class="secondary" disabled={props.busy} onClick={props.onMore}>
          {ct("billing.moreInvoices")}
        </button>
      ) : null}
    </section>
  );
}
