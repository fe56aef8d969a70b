#pragma once

// Every error reason of the public API, in one place: the snake_case name clients see as the
// problem document's `code`, the canonical status it travels as (across gRPC too), and the HTTP
// status the gateway answers with (api.md). A use case refuses with `Error(reasons::kX, "...")`;
// the gateway finds the HTTP status by the reason's name (FindReason), so a reason added here
// needs no other table.
//
// A new reason goes in its service's group, named as api.md names it.

#include <string_view>

#include "absl/status/status.h"

namespace travio {

/// One error reason: what a refusal is called, how it travels and what HTTP answers it.
struct Reason {
  std::string_view name;
  absl::StatusCode code;
  int http_status;
};

// X(constant, name, canonical code, HTTP status)
// clang-format off
#define TRAVIO_REASONS(X) \
  /* Used by several services, the gateway and the HTTP layer */ \
  X(kBadSignature, "bad_signature", kInvalidArgument, 400) \
  X(kConcurrentUpdate, "concurrent_update", kAborted, 409) \
  X(kForbidden, "forbidden", kPermissionDenied, 403) \
  X(kHoldExpired, "hold_expired", kFailedPrecondition, 410) \
  X(kIdempotencyKeyMissing, "idempotency_key_missing", kInvalidArgument, 400) \
  X(kIdempotencyKeyReused, "idempotency_key_reused", kFailedPrecondition, 422) \
  X(kInvalidCursor, "invalid_cursor", kInvalidArgument, 400) \
  X(kInvalidEvent, "invalid_event", kInvalidArgument, 400) \
  X(kInvalidLayout, "invalid_layout", kInvalidArgument, 422) \
  X(kInvalidLimit, "invalid_limit", kInvalidArgument, 400) \
  X(kInvalidSeats, "invalid_seats", kInvalidArgument, 422) \
  X(kInvalidToken, "invalid_token", kUnauthenticated, 401) \
  X(kMalformedJson, "malformed_json", kInvalidArgument, 400) \
  X(kMethodNotAllowed, "method_not_allowed", kUnimplemented, 405) \
  X(kNotFound, "not_found", kNotFound, 404) \
  X(kOrderNotFound, "order_not_found", kNotFound, 404) \
  X(kOrgNotFound, "org_not_found", kNotFound, 404) \
  X(kOrgRequired, "org_required", kInvalidArgument, 400) \
  X(kPaymentNotFound, "payment_not_found", kNotFound, 404) \
  X(kRequestInProgress, "request_in_progress", kAborted, 409) \
  X(kRouteNotFound, "route_not_found", kNotFound, 404) \
  X(kSeatsUnavailable, "seats_unavailable", kAlreadyExists, 409) \
  X(kTripNotFound, "trip_not_found", kNotFound, 404) \
  X(kUnauthenticated, "unauthenticated", kUnauthenticated, 401) \
  X(kUnsupportedMediaType, "unsupported_media_type", kInvalidArgument, 400) \
  X(kValidationFailed, "validation_failed", kInvalidArgument, 400) \
  /* a call that must not wait (an I/O thread's) would have to: the caller retries elsewhere */ \
  X(kWouldWait, "would_wait", kUnavailable, 503) \
  /* base */ \
  X(kInvalidDate, "invalid_date", kInvalidArgument, 400) \
  X(kInvalidInstant, "invalid_instant", kInvalidArgument, 400) \
  X(kInvalidTime, "invalid_time", kInvalidArgument, 400) \
  X(kInvalidTimezone, "invalid_timezone", kInvalidArgument, 400) \
  /* catalog: stations, routes, schedules, trips */ \
  X(kAlreadyAssigned, "already_assigned", kAlreadyExists, 409) \
  X(kBeyondHorizon, "beyond_horizon", kInvalidArgument, 422) \
  X(kCodeTaken, "code_taken", kAlreadyExists, 409) \
  X(kDepartureInPast, "departure_in_past", kInvalidArgument, 422) \
  X(kDutyNotAllowed, "duty_not_allowed", kInvalidArgument, 422) \
  X(kInvalidDateRange, "invalid_date_range", kInvalidArgument, 422) \
  X(kInvalidFares, "invalid_fares", kInvalidArgument, 422) \
  X(kInvalidRoute, "invalid_route", kInvalidArgument, 422) \
  X(kInvalidTransition, "invalid_transition", kFailedPrecondition, 409) \
  X(kMissingFare, "missing_fare", kInvalidArgument, 422) \
  X(kScheduleNotFound, "schedule_not_found", kNotFound, 404) \
  X(kStaffConflict, "staff_conflict", kAlreadyExists, 409) \
  X(kStationRegistryClosed, "station_registry_closed", kPermissionDenied, 403) \
  X(kTripAlreadyArrived, "trip_already_arrived", kFailedPrecondition, 409) \
  X(kTripDeparted, "trip_departed", kFailedPrecondition, 409) \
  X(kTripsOutsideSchedule, "trips_outside_schedule", kFailedPrecondition, 409) \
  X(kUnknownStation, "unknown_station", kInvalidArgument, 422) \
  /* gateway */ \
  X(kAccountRequired, "account_required", kPermissionDenied, 403) \
  X(kAuthUnavailable, "auth_unavailable", kUnavailable, 503) \
  X(kBusInUse, "bus_in_use", kFailedPrecondition, 409) \
  X(kIdentityUnavailable, "identity_unavailable", kUnavailable, 503) \
  X(kInvalidOrgId, "invalid_org_id", kInvalidArgument, 400) \
  X(kRateLimited, "rate_limited", kResourceExhausted, 429) \
  X(kSignInBusy, "sign_in_busy", kUnavailable, 503) \
  X(kTooManyStreams, "too_many_streams", kResourceExhausted, 429) \
  /* identity: accounts, sessions, organizations, invites */ \
  X(kAlreadyMember, "already_member", kAlreadyExists, 409) \
  X(kEmailMismatch, "email_mismatch", kPermissionDenied, 403) \
  X(kEmailTaken, "email_taken", kAlreadyExists, 409) \
  X(kInvalidCredentials, "invalid_credentials", kUnauthenticated, 401) \
  X(kInvalidRefreshToken, "invalid_refresh_token", kUnauthenticated, 401) \
  X(kInvalidRole, "invalid_role", kFailedPrecondition, 422) \
  X(kInviteExpired, "invite_expired", kFailedPrecondition, 410) \
  X(kInviteNotFound, "invite_not_found", kNotFound, 404) \
  X(kInviteNotPending, "invite_not_pending", kFailedPrecondition, 409) \
  X(kInvitePending, "invite_pending", kAlreadyExists, 409) \
  X(kInviteRevoked, "invite_revoked", kFailedPrecondition, 410) \
  X(kInviteUsed, "invite_used", kFailedPrecondition, 410) \
  X(kLastOwner, "last_owner", kFailedPrecondition, 409) \
  X(kMemberNotFound, "member_not_found", kNotFound, 404) \
  X(kOwnerRequired, "owner_required", kPermissionDenied, 403) \
  X(kSlugTaken, "slug_taken", kAlreadyExists, 409) \
  X(kTooManyAttempts, "too_many_attempts", kResourceExhausted, 429) \
  X(kTooManyInvites, "too_many_invites", kResourceExhausted, 429) \
  X(kResendTooSoon, "resend_too_soon", kResourceExhausted, 429) \
  X(kUnknownKey, "unknown_key", kUnauthenticated, 401) \
  X(kUserNotFound, "user_not_found", kNotFound, 404) \
  X(kWeakPassword, "weak_password", kFailedPrecondition, 422) \
  /* inventory: holds and bookings */ \
  X(kBlockNotFound, "block_not_found", kNotFound, 404) \
  X(kBookingExists, "booking_exists", kAlreadyExists, 409) \
  X(kBookingNotFound, "booking_not_found", kNotFound, 404) \
  X(kHoldExists, "hold_exists", kAlreadyExists, 409) \
  X(kHoldLimit, "hold_limit", kResourceExhausted, 429) \
  X(kHoldNotFound, "hold_not_found", kNotFound, 404) \
  X(kHoldVersionMismatch, "hold_version_mismatch", kAborted, 409) \
  X(kInvalidJourney, "invalid_journey", kInvalidArgument, 422) \
  X(kJourneyNotSold, "journey_not_sold", kInvalidArgument, 422) \
  X(kNotOnSale, "not_on_sale", kFailedPrecondition, 409) \
  X(kTripNotLoaded, "trip_not_loaded", kFailedPrecondition, 422) \
  /* notification: email */ \
  X(kEmailTooLarge, "email_too_large", kInvalidArgument, 400) \
  X(kEmailTransportFailed, "email_transport_failed", kUnavailable, 503) \
  X(kHeaderInjection, "header_injection", kInvalidArgument, 400) \
  X(kInvalidEmailAddress, "invalid_email_address", kInvalidArgument, 400) \
  X(kInvalidAttachment, "invalid_attachment", kInvalidArgument, 400) \
  X(kInvalidEmailKind, "invalid_email_kind", kInvalidArgument, 400) \
  X(kInvalidNotice, "invalid_notice", kInvalidArgument, 400) \
  X(kInvalidPhone, "invalid_phone", kInvalidArgument, 400) \
  X(kInvalidUtf8, "invalid_utf8", kInvalidArgument, 400) \
  X(kSmsTransportFailed, "sms_transport_failed", kUnavailable, 503) \
  X(kUnknownTemplate, "unknown_template", kInvalidArgument, 400) \
  /* operator: fleet */ \
  X(kBusNotFound, "bus_not_found", kNotFound, 404) \
  X(kPlateTaken, "plate_taken", kAlreadyExists, 409) \
  X(kStaffNotFound, "staff_not_found", kNotFound, 404) \
  /* order: orders, payments of orders, cancellations */ \
  X(kCancellationInProgress, "cancellation_in_progress", kFailedPrecondition, 409) \
  X(kCancellationFailed, "cancellation_failed", kAborted, 409) \
  X(kCancellationPending, "cancellation_pending", kUnavailable, 503) \
  X(kHoldAlreadyOrdered, "hold_already_ordered", kAlreadyExists, 409) \
  X(kInvalidAmount, "invalid_amount", kInvalidArgument, 400) \
  X(kInvalidPassengers, "invalid_passengers", kInvalidArgument, 422) \
  X(kInvalidRefundPolicy, "invalid_refund_policy", kInvalidArgument, 422) \
  X(kLeaseLost, "lease_lost", kFailedPrecondition, 422) \
  X(kNotCancellable, "not_cancellable", kFailedPrecondition, 409) \
  X(kNotUnderReview, "not_under_review", kFailedPrecondition, 409) \
  X(kOrderChanged, "order_changed", kAborted, 409) \
  X(kOrderExpired, "order_expired", kFailedPrecondition, 410) \
  X(kOrderNotPayable, "order_not_payable", kFailedPrecondition, 409) \
  X(kPaymentFailed, "payment_failed", kFailedPrecondition, 422) \
  X(kPaymentDeclined, "payment_declined", kFailedPrecondition, 402) \
  X(kPaymentInProgress, "payment_in_progress", kFailedPrecondition, 409) \
  X(kPaymentPending, "payment_pending", kUnavailable, 503) \
  X(kQuoteExpired, "quote_expired", kFailedPrecondition, 410) \
  X(kRiskDeclined, "risk_declined", kFailedPrecondition, 402) \
  X(kQuoteNotFound, "quote_not_found", kNotFound, 404) \
  X(kSagaRunning, "saga_running", kAlreadyExists, 409) \
  X(kTripWithoutStops, "trip_without_stops", kFailedPrecondition, 422) \
  /* fraud: settings */ \
  X(kInvalidFraudSettings, "invalid_fraud_settings", kInvalidArgument, 422) \
  /* payment: charges, refunds, webhooks */ \
  X(kBadWebhook, "bad_webhook", kInvalidArgument, 400) \
  X(kChargeNotFound, "charge_not_found", kNotFound, 404) \
  X(kInvalidCard, "invalid_card", kInvalidArgument, 422) \
  X(kInvalidChargeState, "invalid_charge_state", kFailedPrecondition, 422) \
  X(kInvalidPaymentState, "invalid_payment_state", kFailedPrecondition, 422) \
  X(kRefundRefused, "refund_refused", kFailedPrecondition, 422) \
  X(kRefundTooLarge, "refund_too_large", kInvalidArgument, 400) \
  X(kRefundNotFound, "refund_not_found", kNotFound, 404) \
  X(kRefundNotOwed, "refund_not_owed", kFailedPrecondition, 409) \
  X(kUnknownProvider, "unknown_provider", kNotFound, 404) \
  /* fulfillment: tickets, their PDFs and boarding */ \
  X(kAlreadyBoarded, "already_boarded", kFailedPrecondition, 409) \
  X(kInvalidLink, "invalid_link", kPermissionDenied, 403) \
  X(kInvalidQr, "invalid_qr", kInvalidArgument, 400) \
  X(kNotOnCrew, "not_on_crew", kPermissionDenied, 403) \
  X(kTicketNotFound, "ticket_not_found", kNotFound, 404) \
  X(kTicketVoid, "ticket_void", kFailedPrecondition, 410) \
  X(kTicketsNotIssued, "tickets_not_issued", kFailedPrecondition, 409) \
  X(kWrongTrip, "wrong_trip", kFailedPrecondition, 422) \
  /* pricing: rules and quotes */ \
  X(kEvaluationError, "evaluation_error", kInvalidArgument, 422) \
  X(kInvalidExpression, "invalid_expression", kInvalidArgument, 422) \
  X(kPricingTooCostly, "pricing_too_costly", kFailedPrecondition, 409) \
  X(kRuleNotFound, "rule_not_found", kNotFound, 404) \
  X(kTooManyRules, "too_many_rules", kFailedPrecondition, 409) \
  /* queue: waiting rooms and queue tokens */ \
  X(kQueueTicketExpired, "queue_ticket_expired", kFailedPrecondition, 410) \
  X(kQueueTicketNotFound, "queue_ticket_not_found", kNotFound, 404) \
  X(kQueueTokenInvalid, "queue_token_invalid", kPermissionDenied, 403) \
  X(kQueueTokenRequired, "queue_token_required", kFailedPrecondition, 428) \
  X(kRoomClosed, "room_closed", kFailedPrecondition, 409) \
  X(kRoomNotFound, "room_not_found", kNotFound, 404) \
  X(kRoomNotOpen, "room_not_open", kFailedPrecondition, 409) \
  X(kRoomTaken, "room_taken", kAlreadyExists, 409) \
  X(kTooManyRooms, "too_many_rooms", kFailedPrecondition, 409) \
  X(kTripGuarded, "trip_guarded", kAlreadyExists, 409) \
  /* subscription: plans and quotas */ \
  X(kInvalidQuotaUse, "invalid_quota_use", kInvalidArgument, 400) \
  X(kInvoiceNotFound, "invoice_not_found", kNotFound, 404) \
  X(kPlanDowngradeBlocked, "plan_downgrade_blocked", kFailedPrecondition, 409) \
  X(kPlanLimitReached, "plan_limit_reached", kResourceExhausted, 402) \
  X(kPlanNotFound, "plan_not_found", kNotFound, 404)
// clang-format on

namespace reasons {
#define TRAVIO_DEFINE_REASON(constant, name, code, http) \
  inline constexpr Reason constant{name, absl::StatusCode::code, http};
TRAVIO_REASONS(TRAVIO_DEFINE_REASON)
#undef TRAVIO_DEFINE_REASON
}  // namespace reasons

/// The registered reason called `name`, or nullptr.
const Reason* FindReason(std::string_view name);

}  // namespace travio
