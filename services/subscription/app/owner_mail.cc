#include "services/subscription/app/owner_mail.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/events/contract.h"

namespace travio::subscription {
namespace {

// One consumer of its own: a notification service that is down holds back no metering.
constexpr char kMailConsumer[] = "subscription-owner-mail";

// The notification template of each change.
std::string KindOf(std::string_view type) {
  if (type == kSubscriptionStarted.type) return "subscription_started";
  if (type == kPlanChanged.type) return "subscription_plan_changed";
  if (type == kDowngradeScheduled.type) return "subscription_downgrade_scheduled";
  return "subscription_downgrade_cancelled";
}

// Failures that pass: the same call later may well succeed.
bool Passing(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsAborted(status) || absl::IsResourceExhausted(status);
}

}  // namespace

OwnerMail::OwnerMail(OwnerDirectory& directory, notification::NotificationClient& notifications,
                     InvoiceSource invoices, const Clock& clock, log::Logger logger,
                     OwnerMailSettings settings)
    : directory_(directory),
      notifications_(notifications),
      invoices_(std::move(invoices)),
      clock_(clock),
      logger_(std::move(logger)),
      settings_(std::move(settings)) {}

const Plan* OwnerMail::PlanNamed(std::string_view name) const {
  for (const Plan& plan : settings_.plans) {
    if (plan.name == name) return &plan;
  }
  return nullptr;
}

absl::Status OwnerMail::Settle(const events::Event& event, const std::string& kind,
                               const absl::Status& status) const {
  if (status.ok() || Passing(status)) return status;
  logger_.Error("an owners' message was given up",
                {{"event_id", event.id}, {"kind", kind}, {"error", status.ToString()}});
  return absl::OkStatus();
}

bool OwnerMail::WithinChangeAllowance(const events::Event& event) {
  const absl::Time now = clock_.Now();
  std::lock_guard lock(mutex_);
  auto& recent = recent_changes_[event.org_id];
  while (!recent.empty() && recent.front().first <= now - absl::Hours(1)) recent.pop_front();
  const bool counted = std::any_of(recent.begin(), recent.end(),
                                   [&](const auto& entry) { return entry.second == event.id; });
  if (counted) return true;
  if (static_cast<int>(recent.size()) >= settings_.changes_per_hour) return false;
  recent.emplace_back(now, event.id);
  return true;
}

absl::Status OwnerMail::OnSubscriptionChanged(const events::Event& event, std::string_view type,
                                              const SubscriptionChanged& change) {
  const std::string kind = KindOf(type);
  // Only plans this service sells are named to owners: an event naming another (forged by a
  // compromised publisher) is not mailed in Travio's name.
  const Plan* in_force = PlanNamed(change.plan);
  for (const std::string* plan : {&change.previous_plan, &change.pending_plan}) {
    if (in_force == nullptr || (!plan->empty() && PlanNamed(*plan) == nullptr)) {
      logger_.Error("a subscription event naming no plan on sale was not mailed",
                    {{"event_id", event.id}, {"kind", kind}});
      return absl::OkStatus();
    }
  }
  if (type != kSubscriptionStarted.type && !WithinChangeAllowance(event)) {
    logger_.Warn("an organization's plan change mail is over its hourly allowance",
                 {{"event_id", event.id}, {"org_id", event.org_id}, {"kind", kind}});
    return absl::OkStatus();
  }
  const Plan& plan = *in_force;
  OwnerNotice notice{.plan = change.plan,
                     .previous_plan = change.previous_plan,
                     .pending_plan = change.pending_plan,
                     .effective_at = change.effective_at,
                     .plan_price = plan.monthly_price,
                     .booking_fee = Money{plan.booking_fee, plan.monthly_price.currency}};
  // A trial that ends when it began is no trial.
  if (change.trial_end > event.occurred_at) notice.trial_end = change.trial_end;
  if (change.charge.amount > 0) notice.charge = change.charge;
  return Settle(event, kind, Tell(event, kind, std::move(notice)));
}

absl::Status OwnerMail::OnInvoiceIssued(const events::Event& event, const InvoiceIssued& issued) {
  const std::string kind = "subscription_invoice_issued";
  absl::StatusOr<InvoiceMail> found = invoices_(event.org_id, issued.invoice_id);
  if (absl::IsNotFound(found.status())) {
    // Not the organization's the event names: its envelope and payload disagree, and the
    // invoice is no one's to be told of.
    logger_.Error("an invoice event naming another organization's invoice was dropped",
                  {{"event_id", event.id}, {"invoice_id", issued.invoice_id}});
    return absl::OkStatus();
  }
  if (!found.ok()) return Settle(event, kind, found.status());
  // What the invoice says as stored, not as the event tells it.
  const InvoiceView& invoice = found->invoice;
  std::vector<notification::Attachment> attachments = {{.filename = found->pdf.filename,
                                                        .content_type = "application/pdf",
                                                        .bytes = std::move(found->pdf.bytes)}};
  return Settle(event, kind,
                Tell(event, kind,
                     {.invoice_id = invoice.id,
                      .number = invoice.number,
                      .period_start = invoice.period_start,
                      .period_end = invoice.period_end,
                      .total = Money{invoice.total, invoice.currency}},
                     std::move(attachments)));
}

absl::Status OwnerMail::Tell(const events::Event& event, const std::string& kind,
                             OwnerNotice notice,
                             std::vector<notification::Attachment> attachments) {
  absl::StatusOr<OrgOwners> found = directory_.OwnersOf(event.org_id);
  if (absl::IsNotFound(found.status())) {
    logger_.Warn("no owners to tell: the organization is unknown",
                 {{"event_id", event.id}, {"org_id", event.org_id}});
    return absl::OkStatus();
  }
  TRAVIO_RETURN_IF_ERROR(found.status());
  notice.org_name = found->org_name;
  notice.time_zone = settings_.time_zone;
  const std::string body = EncodeOwnerNotice(notice);
  for (const OrgOwners::Owner& owner : found->owners) {
    auto sent =
        notifications_.Notify({.key = absl::StrCat("subscription/", event.id, "/", owner.user_id),
                               .kind = kind,
                               .locale = settings_.locale,
                               .email = owner.email,
                               .phone = "",
                               .data = body,
                               .attachments = attachments,
                               .org_id = event.org_id});
    if (sent.ok()) continue;
    // A passing failure: the event comes again, and the owners already told are not told
    // twice. Anything else is this owner's alone (an address notification refuses).
    if (Passing(sent.status())) return sent.status();
    logger_.Error("an owner's notice was refused",
                  {{"event_id", event.id}, {"kind", kind}, {"error", sent.status().ToString()}});
  }
  return absl::OkStatus();
}

void MailOwners(events::Bus& bus, std::shared_ptr<OwnerMail> mail) {
  for (const events::Contract<SubscriptionChanged>* contract : kSubscriptionEvents) {
    events::Subscribe<SubscriptionChanged>(
        bus, kMailConsumer, *contract, mail->logger(),
        [mail, type = std::string(contract->type)](const events::Event& event,
                                                   const SubscriptionChanged& change) {
          return mail->OnSubscriptionChanged(event, type, change);
        });
  }
  events::Subscribe<InvoiceIssued>(
      bus, kMailConsumer, kInvoiceIssued, mail->logger(),
      [mail](const events::Event& event, const InvoiceIssued& invoice) {
        return mail->OnInvoiceIssued(event, invoice);
      });
}

}  // namespace travio::subscription
