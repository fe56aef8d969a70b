#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "services/subscription/domain/billing.h"
#include "services/subscription/domain/plan.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::subscription {

/// One use of a quota: `amount` of `quota` for the resource `key` (the bus, staff member,
/// route, trip or order about to exist) of organization `org_id`.
struct QuotaUse {
  std::string org_id;
  Quota quota = Quota::kBuses;
  std::string key;
  int64_t amount = 1;
};

/// The quota seam: services that create billable resources reserve the use before their own
/// transaction and release it when that transaction fails. The resource's event (bus.registered,
/// trip.published, ...) later turns the reservation into counted usage; a reservation neither
/// counted nor released (the caller crashed) is released when it times out, and counted again
/// if its event still comes. A reservation is atomic against the limit: racing callers never
/// pass it together.
class QuotaGate {
 public:
  virtual ~QuotaGate() = default;
  /// True when this call made the reservation, false when `key` was already reserved or
  /// counted (a retry: the caller must not give back what an earlier call made);
  /// kResourceExhausted `plan_limit_reached` (402) carrying the problem fields `quota`, `limit`
  /// and `used` when the plan has no room; kInvalidArgument `invalid_quota_use` for an empty or
  /// long key, an amount outside 1..1000, or a key whose resource was removed.
  virtual absl::StatusOr<bool> Reserve(const QuotaUse& use) = 0;
  /// Gives back a reservation whose resource was not created; a no-op for one already counted,
  /// released, or never made.
  virtual absl::Status Release(const QuotaUse& use) = 0;
};

/// Runs `create` under a reservation of `use`: reserved first (a refusal is returned as it
/// came), given back when `create` fails and this call made it. A give-back that fails leaves
/// the reservation to time out, which gives it back too.
inline absl::Status CreateWithinQuota(QuotaGate& gate, const QuotaUse& use,
                                      const std::function<absl::Status()>& create) {
  const absl::StatusOr<bool> made = gate.Reserve(use);
  if (!made.ok()) return made.status();
  absl::Status created = create();
  if (!created.ok() && *made) gate.Release(use).IgnoreError();
  return created;
}

/// What an organization's subscription stands at (api.md "Back office": GET /v1/subscription).
struct SubscriptionView {
  std::string org_id;
  std::string plan;
  std::string status;  // "trialing" until trial_end, then "active"
  absl::Time trial_end;
  absl::Time period_start;
  absl::Time period_end;
  /// A downgrade waiting for the end of the period: the plan it moves to, and when.
  std::string pending_plan;
  std::optional<absl::Time> pending_from;
  std::map<Quota, int64_t> usage;  // every quota; per-period quotas in this period
  /// Every quota's limit in force now (0 for unlimited): the plan's, or with a downgrade
  /// waiting, the smaller plan's for what stands.
  std::map<Quota, int64_t> limits;
  bool operator==(const SubscriptionView&) const = default;
};

/// A closed period's invoice: the plan fee, upgrade prorations and booking fees as lines, the
/// total in minor units of `currency`.
struct InvoiceView {
  std::string id;
  std::string org_id;
  std::string number;  // TRV-<yyyymm of the period's start>-<the month's sequence, 000001>
  std::string plan;    // the plan the period started on
  std::string currency;
  absl::Time period_start;
  absl::Time period_end;
  absl::Time issued_at;
  int64_t total = 0;
  std::vector<InvoiceLine> lines;
  bool operator==(const InvoiceView&) const = default;
};

/// An invoice drawn as a PDF, to download or attach.
struct InvoiceDocument {
  std::string filename;  // "TRV-202612-000001.pdf"
  std::string bytes;
  bool operator==(const InvoiceDocument&) const = default;
};

/// Invoices newest first; `next_cursor` (empty at the end) continues the list.
struct InvoicePage {
  std::vector<InvoiceView> items;  // without their lines
  std::string next_cursor;
};

/// A plan change asked for by `actor` (the owner's user id).
struct PlanChangeRequest {
  std::string org_id;
  std::string plan;
  std::string actor;
};

/// The subscription service as the gateway, the operator, catalog and order services call it:
/// in-process in the monolith, over gRPC otherwise.
class SubscriptionClient : public QuotaGate {
 public:
  static constexpr std::string_view kService = "subscription";
  /// The client of a remote subscription service, over a gRPC channel (mutual TLS, from the
  /// runtime), every call under `policy` (api/grpc_subscription_client.cc).
  static std::shared_ptr<SubscriptionClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                      const rpc::CallPolicy& policy);

  /// The plans on sale, cheapest first.
  virtual absl::StatusOr<std::vector<Plan>> ListPlans() = 0;
  /// The organization's subscription; one it never had starts now on the default plan's trial.
  virtual absl::StatusOr<SubscriptionView> GetSubscription(const std::string& org_id) = 0;
  /// Moves to another plan: an upgrade at once (the rest of the period charged prorated on the
  /// period's invoice), a downgrade at the end of the period. Asking for the current plan
  /// cancels a waiting downgrade. kNotFound `plan_not_found`; kFailedPrecondition
  /// `plan_downgrade_blocked` (409) with the problem list `exceeded` (the quotas whose current
  /// usage the smaller plan does not allow).
  virtual absl::StatusOr<SubscriptionView> ChangePlan(const PlanChangeRequest& request) = 0;
  /// The organization's invoices, newest period first, `limit` 1..100 from `cursor`;
  /// kInvalidArgument `invalid_cursor` / `invalid_limit`.
  virtual absl::StatusOr<InvoicePage> ListInvoices(const std::string& org_id, int limit,
                                                   const std::string& cursor) = 0;
  /// One of the organization's invoices with its lines; kNotFound `invoice_not_found`.
  virtual absl::StatusOr<InvoiceView> GetInvoice(const std::string& org_id,
                                                 const std::string& invoice_id) = 0;
  /// The same invoice as a PDF (who issued it, to whom, its lines and total); kNotFound
  /// `invoice_not_found`.
  virtual absl::StatusOr<InvoiceDocument> GetInvoicePdf(const std::string& org_id,
                                                        const std::string& invoice_id) = 0;
};

}  // namespace travio::subscription
