#pragma once

// The order routes' documents: orders, payments, refunds, quotes and refund policies as JSON, and
// the readers of their request bodies.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/http/json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/order_routes.h"
#include "services/gateway/routes/responses.h"

namespace travio::gateway {

nlohmann::json PaymentJson(const payment::PaymentView& payment);

nlohmann::json RefundJson(const payment::RefundView& refund);

nlohmann::json PassengerJson(const order::Passenger& passenger);

nlohmann::json OrderJson(const order::OrderView& order);

/// Fraud's decision on an order and staff's review, for the operator's staff only:
/// {decision,score,reasons:[{signal,weight,detail}],fallback,review_deadline?,verdict?,
/// reviewed_by?,reviewed_at?}.
nlohmann::json RiskJson(const order::OrderRisk& risk);

/// An order as staff who review fraud see it: OrderJson with its `risk`.
nlohmann::json ReviewedOrderJson(const order::OrderView& order);

nlohmann::json QuoteJson(const order::CancelQuote& quote);

/// A cancel-quote's body: the seats to cancel, empty for all of them (400 validation_failed
/// for a list given empty or not of seat labels).
absl::StatusOr<std::vector<std::string>> CancelSeatsOf(http::Request& request);
/// A cancellation's body: the quote it accepts.
absl::StatusOr<std::string> QuoteIdOf(http::Request& request);
/// A cancellation's answer: the order, with the refund it made.
nlohmann::json CancelledOrderJson(const order::OrderView& order);
/// The request schemas of a cancel-quote and of a cancellation, for the route tables.
nlohmann::json CancelQuoteRequestSchema();
nlohmann::json CancelRequestSchema();

// A JSON whole number clamped to [low, high]: a huge one stays out of range instead of wrapping.
int64_t ClampedInteger(const nlohmann::json& value, int64_t low, int64_t high);

// Notices in hours: whole ones for every policy set through this API.
nlohmann::json RefundPolicyJson(const order::RefundPolicyView& view);

}  // namespace travio::gateway
