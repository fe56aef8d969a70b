#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::notification {

/// What a template of `kind` receives: the sender's `data` and, for the travellers' messages
/// (tickets_*, trip_*), values formatted for `locale`: departure_date, departure_date_short,
/// departure_time (in `timezone`), total_text, refund_text, delay_text, pdf_url_expires,
/// valid_tickets and void_tickets (by `tickets[].status`), has_valid, seat_list, void_seat_list,
/// number_list, and footer_text. For the owners' messages (subscription_*): plan_name,
/// previous_plan_name, pending_plan_name, effective_date, trial_end_date, period_start_date,
/// period_last_date (in `timezone`), plan_price_text, booking_fee_text, charge_text (absent for
/// no charge), total_text. kInvalidArgument `invalid_notice` when a message lacks what it must
/// say (a traveller's departure and tickets, an owner's organization).
absl::StatusOr<nlohmann::json> TemplateData(std::string_view kind, std::string_view locale,
                                            const nlohmann::json& data);

}  // namespace travio::notification
