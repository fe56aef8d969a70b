// The subscription service's invoices: booking fees recorded as orders are confirmed, and the
// period job that closes each organization's ended periods, one transaction each, so a crash
// and a second run never bill a period twice.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/subscription/app/subscription_service.h"

namespace travio::subscription {
namespace {

constexpr int kMaxInvoicePage = 200;

}  // namespace

absl::Status SubscriptionService::OnBookingConfirmed(const events::Event& event,
                                                     const std::string& order_id) {
  if (event.org_id.empty() || order_id.empty() || order_id.size() > 200) {
    return absl::OkStatus();
  }
  const absl::Time now = ports_.clock.Now();
  return ports_.store
      .ProcessEvent("subscription", event,
                    [&](SubscriptionUnit& unit) -> absl::Status {
                      TRAVIO_ASSIGN_OR_RETURN(Account account,
                                              EnsureAccount(unit, event.org_id, event.occurred_at));
                      TRAVIO_RETURN_IF_ERROR(ApplyDueDowngrade(unit, account, now));
                      // The fee of the plan in force when the booking was confirmed, however late
                      // its event comes; the next invoice closed bills it.
                      TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> in_force,
                                              unit.PlanInForce(event.org_id, event.occurred_at));
                      const Plan* plan = FindPlan(in_force.value_or(account.plan));
                      if (plan == nullptr) {
                        return absl::FailedPreconditionError(
                            absl::StrCat("organization ", ToAbsl(event.org_id), " was on plan ",
                                         ToAbsl(in_force.value_or(account.plan)),
                                         ", which the configuration no longer defines"));
                      }
                      return unit
                          .InsertBookingFee(event.org_id, order_id, plan->booking_fee,
                                            event.occurred_at)
                          .status();
                    })
      .status();
}

absl::StatusOr<bool> SubscriptionService::CloseNextPeriod(const std::string& org_id,
                                                          absl::Time now) {
  bool closed = false;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](SubscriptionUnit& unit) -> absl::Status {
    closed = false;
    TRAVIO_ASSIGN_OR_RETURN(std::optional<Account> found, unit.FindAccount(org_id));
    if (!found || found->next_close_at > now) return absl::OkStatus();  // closed meanwhile
    Account account = *std::move(found);
    TRAVIO_RETURN_IF_ERROR(ApplyDueDowngrade(unit, account, now));
    const BillingPeriod period = PeriodAt(account.next_close_at - absl::Microseconds(1));
    if (period.end <= account.created_at) {
      // Nothing to bill before the organization existed (an account from before invoices
      // were kept starts at its own first period).
      account.next_close_at = PeriodAt(account.created_at).end;
      return unit.UpdateAccount(account);
    }
    TRAVIO_ASSIGN_OR_RETURN(const bool billed, unit.InvoiceExists(org_id, period.start));
    if (!billed) {
      TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> started_on,
                              unit.PlanAtPeriodStart(org_id, period.start));
      const Plan* plan = FindPlan(started_on.value_or(account.plan));
      if (plan == nullptr) {
        return absl::FailedPreconditionError(
            absl::StrCat("organization ", ToAbsl(org_id),
                         " started the period on a plan the configuration no longer defines"));
      }
      InvoiceView invoice{.id = ports_.ids.NewId(),
                          .org_id = org_id,
                          .plan = plan->name,
                          .period_start = period.start,
                          .period_end = period.end,
                          .issued_at = now};
      // What happened before the period's end and no invoice billed yet: a change or fee
      // whose transaction committed after the period before it closed is billed here.
      TRAVIO_ASSIGN_OR_RETURN(std::vector<PlanChange> upgrades,
                              unit.ClaimUpgrades(org_id, invoice.id, period.end));
      TRAVIO_ASSIGN_OR_RETURN(std::vector<BookingFees> fees,
                              unit.ClaimBookingFees(org_id, invoice.id, period.end));
      // Time before the organization existed is as unpaid as its trial.
      const InvoiceDraft draft = DraftInvoice(
          *plan, period, std::max(account.trial_end, account.created_at), upgrades, fees);
      invoice.currency = draft.currency;
      invoice.total = draft.total;
      invoice.lines = draft.lines;
      const std::string month = absl::FormatTime("%Y%m", period.start, settings_.billing_zone);
      TRAVIO_ASSIGN_OR_RETURN(const int64_t sequence, unit.NextInvoiceNumber(month));
      invoice.number = absl::StrCat("TRV-", month, "-", absl::Dec(sequence, absl::kZeroPad6));
      TRAVIO_ASSIGN_OR_RETURN(const bool inserted, unit.InsertInvoice(invoice));
      // A racing close wrote it first: start again, to find it billed.
      if (!inserted) return absl::AbortedError("the period was invoiced meanwhile");
      settings_.crash_point.Reach("subscription:invoice-written");
      TRAVIO_RETURN_IF_ERROR(unit.Append(
          kInvoiceIssued.Make({.invoice_id = invoice.id,
                               .number = invoice.number,
                               .period_start = period.start,
                               .period_end = period.end,
                               .total = {invoice.total, invoice.currency}},
                              events::HeaderNow(ports_.ids, ports_.clock, invoice.id, org_id))));
      closed = true;
    }
    account.next_close_at = PeriodAt(period.end).end;
    return unit.UpdateAccount(account);
  }));
  return closed;
}

absl::StatusOr<int> SubscriptionService::CloseDuePeriods(int limit) {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<std::string> due, ports_.store.DueForClosing(now, limit));
  int issued = 0;
  for (const std::string& org_id : due) {
    // One period per organization per pass: one that missed several catches up over passes.
    // One organization's failure holds back nobody else's invoice.
    absl::StatusOr<bool> closed = CloseNextPeriod(org_id, now);
    if (!closed.ok()) {
      ports_.logger.Error("closing a billing period failed",
                          {{"org_id", org_id}, {"error", closed.status().ToString()}});
      continue;
    }
    if (*closed) ++issued;
  }
  if (issued > 0) ports_.logger.Info("invoices issued", {{"invoices", issued}});
  return issued;
}

absl::StatusOr<InvoicePage> SubscriptionService::ListInvoices(const std::string& org_id, int limit,
                                                              const std::string& cursor) {
  if (limit < 1 || limit > kMaxInvoicePage) {
    return WithFieldErrors(Error(reasons::kInvalidLimit, "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  absl::Time before = absl::InfiniteFuture();
  if (!cursor.empty()) {
    int64_t micros = 0;
    if (!absl::SimpleAtoi(ToAbsl(cursor), &micros)) {
      return WithFieldErrors(
          Error(reasons::kInvalidCursor, "The cursor is not one this list gave out."),
          {{"cursor", "is not valid"}});
    }
    before = absl::FromUnixMicros(micros);
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<InvoiceView> found,
                          ports_.store.ListInvoices(org_id, before, limit + 1));
  InvoicePage page;
  for (InvoiceView& invoice : found) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = std::to_string(absl::ToUnixMicros(page.items.back().period_start));
      break;
    }
    page.items.push_back(std::move(invoice));
  }
  return page;
}

absl::StatusOr<InvoiceView> SubscriptionService::GetInvoice(const std::string& org_id,
                                                            const std::string& invoice_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<InvoiceView> invoice,
                          ports_.store.FindInvoice(org_id, invoice_id));
  if (!invoice) return Error(reasons::kInvoiceNotFound, "No such invoice in this organization.");
  return *std::move(invoice);
}

absl::StatusOr<InvoiceDocument> SubscriptionService::GetInvoicePdf(const std::string& org_id,
                                                                   const std::string& invoice_id) {
  TRAVIO_ASSIGN_OR_RETURN(InvoiceView invoice, GetInvoice(org_id, invoice_id));
  if (ports_.directory == nullptr || ports_.renderer == nullptr) {
    return absl::UnimplementedError("invoice PDFs are not drawn by this service");
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string customer, ports_.directory->NameOf(org_id));
  std::string number = invoice.number;
  TRAVIO_ASSIGN_OR_RETURN(std::string bytes,
                          ports_.renderer->RenderPdf({.invoice = std::move(invoice),
                                                      .issuer = settings_.invoice_issuer,
                                                      .customer = std::move(customer),
                                                      .time_zone = settings_.billing_zone.name()}));
  return InvoiceDocument{.filename = number + ".pdf", .bytes = std::move(bytes)};
}

}  // namespace travio::subscription
