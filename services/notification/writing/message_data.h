#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::notification {

/// What a template of `kind` receives: the sender's `data` and, for the travellers' messages
/// (tickets_*, trip_*), values formatted for `locale`: departure_date, departure_date_short,
/// departure_time (in `timezone`), total_text, refund_text, delay_text, pdf_url_expires,
/// valid_tickets and void_tickets (by `tickets[].status`), has_valid, seat_list, void_seat_list,
/// number_list, and footer_text. kInvalidArgument `invalid_notice` when a traveller's message
/// lacks what it must say (departure, tickets).
absl::StatusOr<nlohmann::json> TemplateData(std::string_view kind, std::string_view locale,
                                            const nlohmann::json& data);

}  // namespace travio::notification
