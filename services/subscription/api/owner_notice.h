#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "platform/base/money.h"

namespace travio::subscription {

/// What an owner's message about their organization's account says: the data of the
/// notification templates subscription_* (services/notification/templates/). What a message
/// does not need is left out.
struct OwnerNotice {
  std::string org_name;
  std::string time_zone;  // IANA: the dates the message shows
  std::string plan;
  std::string previous_plan;
  std::string pending_plan;
  std::optional<absl::Time> effective_at;
  std::optional<absl::Time> trial_end;
  std::optional<Money> plan_price;
  std::optional<Money> booking_fee;
  std::optional<Money> charge;
  // An invoice's.
  std::string invoice_id;
  std::string number;
  std::optional<absl::Time> period_start;
  std::optional<absl::Time> period_end;
  std::optional<Money> total;
};

/// The notice as the templates read it: a JSON object (instants RFC 3339, money
/// {amount, currency}).
std::string EncodeOwnerNotice(const OwnerNotice& notice);

}  // namespace travio::subscription
