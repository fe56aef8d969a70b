#include "services/subscription/app/owner_mail.h"

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

}  // namespace

OwnerMail::OwnerMail(OwnerDirectory& directory, notification::NotificationClient& notifications,
                     InvoicePdf invoice_pdf, log::Logger logger, OwnerMailSettings settings)
    : directory_(directory),
      notifications_(notifications),
      invoice_pdf_(std::move(invoice_pdf)),
      logger_(std::move(logger)),
      settings_(std::move(settings)) {}

const Plan* OwnerMail::PlanNamed(std::string_view name) const {
  for (const Plan& plan : settings_.plans) {
    if (plan.name == name) return &plan;
  }
  return nullptr;
}

absl::Status OwnerMail::OnSubscriptionChanged(const events::Event& event, std::string_view type,
                                              const SubscriptionChanged& change) {
  OwnerNotice notice{.plan = change.plan,
                     .previous_plan = change.previous_plan,
                     .pending_plan = change.pending_plan,
                     .effective_at = change.effective_at};
  // A trial that ends when it began is no trial.
  if (change.trial_end > event.occurred_at) notice.trial_end = change.trial_end;
  if (change.charge.amount > 0) notice.charge = change.charge;
  if (const Plan* plan = PlanNamed(change.plan); plan != nullptr) {
    notice.plan_price = plan->monthly_price;
    notice.booking_fee = Money{plan->booking_fee, plan->monthly_price.currency};
  }
  return Tell(event, KindOf(type), std::move(notice));
}

absl::Status OwnerMail::OnInvoiceIssued(const events::Event& event, const InvoiceIssued& invoice) {
  std::vector<notification::Attachment> attachments;
  absl::StatusOr<InvoiceDocument> pdf = invoice_pdf_(event.org_id, invoice.invoice_id);
  if (pdf.ok()) {
    attachments.push_back(
        {.filename = pdf->filename, .content_type = "application/pdf", .bytes = pdf->bytes});
  } else if (absl::IsNotFound(pdf.status())) {
    // Not the organization's the event names: its envelope and payload disagree, and what the
    // payload says (a number, a total) is no one's to be told.
    logger_.Error("an invoice event naming another organization's invoice was dropped",
                  {{"event_id", event.id}, {"invoice_id", invoice.invoice_id}});
    return absl::OkStatus();
  } else {
    return pdf.status();  // drawn when the event comes again
  }
  return Tell(event, "subscription_invoice_issued",
              {.invoice_id = invoice.invoice_id,
               .number = invoice.number,
               .period_start = invoice.period_start,
               .period_end = invoice.period_end,
               .total = invoice.total},
              std::move(attachments));
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
    if (absl::IsInvalidArgument(sent.status())) {
      // Never deliverable (an address notification refuses): asking again changes nothing.
      logger_.Error("an owner's notice was refused",
                    {{"event_id", event.id}, {"kind", kind}, {"error", sent.status().ToString()}});
      continue;
    }
    // Unavailable: the event comes again, and the owners already told are not told twice.
    TRAVIO_RETURN_IF_ERROR(sent.status());
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
