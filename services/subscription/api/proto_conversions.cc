#include "services/subscription/api/proto_conversions.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::subscription {
namespace {

int64_t Micros(absl::Time at) { return absl::ToUnixMicros(at); }
absl::Time Instant(int64_t micros) { return absl::FromUnixMicros(micros); }

absl::StatusOr<Quota> QuotaOf(const std::string& name) {
  std::optional<Quota> quota = QuotaNamed(name);
  if (!quota) {
    return Error(reasons::kInvalidQuotaUse,
                 absl::StrCat("No quota is named \"", ToAbsl(name), "\"."));
  }
  return *quota;
}

template <typename Map>
void PutByName(const std::map<Quota, int64_t>& values, Map& out) {
  for (const auto& [quota, value] : values) out[std::string(QuotaName(quota))] = value;
}

// Quotas this build does not know (a newer peer's) are left out rather than refused.
template <typename Map>
std::map<Quota, int64_t> ByQuota(const Map& in) {
  std::map<Quota, int64_t> values;
  for (const auto& [name, value] : in) {
    if (std::optional<Quota> quota = QuotaNamed(name)) values[*quota] = value;
  }
  return values;
}

}  // namespace

void ToProto(const QuotaUse& use, v1::QuotaUse& out) {
  out.set_org_id(use.org_id);
  out.set_quota(std::string(QuotaName(use.quota)));
  out.set_key(use.key);
  out.set_amount(use.amount);
}

absl::StatusOr<QuotaUse> FromProto(const v1::QuotaUse& in) {
  absl::StatusOr<Quota> quota = QuotaOf(in.quota());
  if (!quota.ok()) return quota.status();
  return QuotaUse{.org_id = in.org_id(), .quota = *quota, .key = in.key(), .amount = in.amount()};
}

void ToProto(const std::vector<Plan>& plans, v1::PlanList& out) {
  for (const Plan& plan : plans) {
    v1::Plan& wire = *out.add_plans();
    wire.set_name(plan.name);
    wire.set_monthly_price(plan.monthly_price.amount);
    wire.set_currency(plan.monthly_price.currency);
    wire.set_booking_fee(plan.booking_fee);
    std::map<Quota, int64_t> limits;
    for (Quota quota : kQuotas) limits[quota] = plan.LimitOf(quota);
    PutByName(limits, *wire.mutable_limits());
  }
}

absl::StatusOr<std::vector<Plan>> FromProto(const v1::PlanList& in) {
  std::vector<Plan> plans;
  for (const v1::Plan& wire : in.plans()) {
    plans.push_back(Plan{.name = wire.name(),
                         .monthly_price = {wire.monthly_price(), wire.currency()},
                         .booking_fee = wire.booking_fee(),
                         .quotas = ByQuota(wire.limits())});
  }
  return plans;
}

void ToProto(const SubscriptionView& view, v1::Subscription& out) {
  out.set_org_id(view.org_id);
  out.set_plan(view.plan);
  out.set_status(view.status);
  out.set_trial_end_us(Micros(view.trial_end));
  out.set_period_start_us(Micros(view.period_start));
  out.set_period_end_us(Micros(view.period_end));
  out.set_pending_plan(view.pending_plan);
  out.set_pending_from_us(view.pending_from ? Micros(*view.pending_from) : 0);
  PutByName(view.usage, *out.mutable_usage());
  PutByName(view.limits, *out.mutable_limits());
}

absl::StatusOr<SubscriptionView> FromProto(const v1::Subscription& in) {
  SubscriptionView view{.org_id = in.org_id(),
                        .plan = in.plan(),
                        .status = in.status(),
                        .trial_end = Instant(in.trial_end_us()),
                        .period_start = Instant(in.period_start_us()),
                        .period_end = Instant(in.period_end_us()),
                        .pending_plan = in.pending_plan(),
                        .usage = ByQuota(in.usage()),
                        .limits = ByQuota(in.limits())};
  if (!view.pending_plan.empty()) view.pending_from = Instant(in.pending_from_us());
  return view;
}

void ToProto(const InvoiceView& invoice, v1::Invoice& out) {
  out.set_id(invoice.id);
  out.set_org_id(invoice.org_id);
  out.set_number(invoice.number);
  out.set_plan(invoice.plan);
  out.set_currency(invoice.currency);
  out.set_period_start_us(Micros(invoice.period_start));
  out.set_period_end_us(Micros(invoice.period_end));
  out.set_issued_at_us(Micros(invoice.issued_at));
  out.set_total(invoice.total);
  for (const InvoiceLine& line : invoice.lines) {
    v1::InvoiceLine& wire = *out.add_lines();
    wire.set_kind(line.kind);
    wire.set_description(line.description);
    wire.set_quantity(line.quantity);
    wire.set_unit_amount(line.unit_amount);
    wire.set_amount(line.amount);
  }
}

absl::StatusOr<InvoiceView> FromProto(const v1::Invoice& in) {
  InvoiceView invoice{.id = in.id(),
                      .org_id = in.org_id(),
                      .number = in.number(),
                      .plan = in.plan(),
                      .currency = in.currency(),
                      .period_start = Instant(in.period_start_us()),
                      .period_end = Instant(in.period_end_us()),
                      .issued_at = Instant(in.issued_at_us()),
                      .total = in.total()};
  for (const v1::InvoiceLine& line : in.lines()) {
    invoice.lines.push_back({.kind = line.kind(),
                             .description = line.description(),
                             .quantity = line.quantity(),
                             .unit_amount = line.unit_amount(),
                             .amount = line.amount()});
  }
  return invoice;
}

void ToProto(const InvoicePage& page, v1::InvoiceList& out) {
  for (const InvoiceView& invoice : page.items) ToProto(invoice, *out.add_items());
  out.set_next_cursor(page.next_cursor);
}

absl::StatusOr<InvoicePage> FromProto(const v1::InvoiceList& in) {
  InvoicePage page{.next_cursor = in.next_cursor()};
  for (const v1::Invoice& wire : in.items()) {
    absl::StatusOr<InvoiceView> invoice = FromProto(wire);
    if (!invoice.ok()) return invoice.status();
    page.items.push_back(*std::move(invoice));
  }
  return page;
}

void ToProto(const InvoiceDocument& document, v1::InvoicePdf& out) {
  out.set_filename(document.filename);
  out.set_pdf(document.bytes);
}

absl::StatusOr<InvoiceDocument> FromProto(const v1::InvoicePdf& in) {
  return InvoiceDocument{.filename = in.filename(), .bytes = in.pdf()};
}

}  // namespace travio::subscription
