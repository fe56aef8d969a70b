// Golden tests of the typed event contracts (platform/events/contract.h). For each payload type:
// the producer's Contract::Make writes exactly the recorded document of
// tests/contracts/events/<payload>.json, the recorded list of event types carrying it has not
// changed, what consumers decode of the recording re-encodes to it unchanged (they lose
// nothing), and a document missing a required member, or no JSON at all, is `invalid_event`.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "platform/base/local_time.h"
#include "platform/events/contract.h"
#include "platform/events/event.h"
#include "platform/testing/status_matchers.h"
#include "services/catalog/api/catalog_events.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/identity/api/identity_events.h"
#include "services/inventory/api/inventory_events.h"
#include "services/operator/api/operator_events.h"
#include "services/order/api/order_events.h"
#include "services/payment/api/payment_events.h"
#include "services/subscription/api/subscription_events.h"

namespace travio {
namespace {

using nlohmann::json;

// The ids of the samples: UUIDv7s, as the services make them.
constexpr char kOrgId[] = "0193f1c2-7a10-7c3e-8a51-2b6d4e9f1a01";
constexpr char kTripId[] = "0193f1c2-9b44-7d10-b2a7-6c1e3f5a7b02";
constexpr char kRouteId[] = "0193f1c2-8e21-7f4a-9c03-1d2e3f4a5b03";
constexpr char kScheduleId[] = "0193f1c2-8f90-7a62-a4b5-7e8f9a0b1c04";
constexpr char kBusId[] = "0193f1c2-6d35-7b81-8f26-3a4b5c6d7e05";
constexpr char kStaffId[] = "0193f1c2-6f02-7e93-b148-9c0d1e2f3a06";
constexpr char kCrewId[] = "0193f1c3-0a17-7c25-a9e6-4f5a6b7c8d07";
constexpr char kHoldId[] = "0193f1d0-1b2c-7d3e-8f40-5a6b7c8d9e08";
constexpr char kBookingId[] = "0193f1d0-2c3d-7e4f-9051-6b7c8d9e0f09";
constexpr char kOrderId[] = "0193f1d0-0a1b-7c2d-8e3f-4a5b6c7d8e10";
constexpr char kPaymentId[] = "0193f1d0-3d4e-7f50-a162-7c8d9e0f1a11";
constexpr char kRefundId[] = "0193f1e5-4e5f-7061-b273-8d9e0f1a2b12";
constexpr char kUserId[] = "0193f1a0-5f60-7172-8384-9e0f1a2b3c13";
constexpr char kAdminUserId[] = "0193f1a0-6071-7283-9495-af1a2b3c4d14";
constexpr char kSessionId[] = "0193f1b1-7182-7394-a5a6-b02b3c4d5e15";
constexpr char kInviteId[] = "0193f1b2-8293-74a5-b6b7-c13c4d5e6f16";

// 2026-12-20T22:30:00+06:00: the sample trip's scheduled departure from Dhaka.
const absl::Time kDeparture = absl::FromUnixSeconds(1797784200);
// 2026-12-20T16:20:00Z: when the sample hold (and the order waiting on it) lapses.
const absl::Time kHoldExpiry = absl::FromUnixSeconds(1797783600);

// A seat layout document as the operator writes it (services/operator/api/layout_json.cc):
// four seats, one for the crew and one blocked.
constexpr char kLayoutDocument[] =
    R"({"decks":[{"name":"lower","rows":3,"cols":3,"cells":[)"
    R"({"row":0,"col":0,"type":"driver"},{"row":0,"col":2,"type":"door"},)"
    R"({"row":1,"col":0,"type":"seat","label":"A1","category":"standard"},)"
    R"({"row":1,"col":1,"type":"aisle"},)"
    R"({"row":1,"col":2,"type":"seat","label":"A2","category":"ladies"},)"
    R"({"row":2,"col":0,"type":"seat","label":"B1","category":"standard","crew":true},)"
    R"({"row":2,"col":1,"type":"aisle"},)"
    R"({"row":2,"col":2,"type":"seat","label":"B2","category":"standard","blocked":true}]}]})";

events::Header SampleHeader() {
  return events::Header{.id = "0193f1d0-4e5f-7a61-8b72-9c0d1e2f3a17",
                        .aggregate_id = kTripId,
                        .org_id = kOrgId,
                        .occurred_at = absl::FromUnixSeconds(1797782700),
                        .trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"};
}

// The recording tests/contracts/events/<name>.json: {"types": [...], "payload": {...}}.
json Golden(const std::string& name) {
  const std::string path =
      std::string(TRAVIO_SOURCE_DIR) + "/tests/contracts/events/" + name + ".json";
  std::ifstream file(path);
  if (!file) {
    ADD_FAILURE() << "no recorded payload at " << path;
    return json();
  }
  json golden = json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (golden.is_discarded()) ADD_FAILURE() << path << " is not JSON";
  return golden;
}

// Equality of two documents, explained by both and the patch between them when they differ
// (gtest cannot print a json: it would recurse into it as a container).
::testing::AssertionResult SameDocument(const json& actual, const json& recorded) {
  if (actual == recorded) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "the document\n"
         << actual.dump(2) << "\nis not the recorded one\n"
         << recorded.dump(2)
         << "\npatch from it to the recording: " << json::diff(actual, recorded).dump();
}

template <typename Payload, size_t N>
std::vector<const events::Contract<Payload>*> AllOf(
    const events::Contract<Payload>* const (&contracts)[N]) {
  return std::vector<const events::Contract<Payload>*>(contracts, contracts + N);
}

// The golden test of `contracts` (the types sharing one payload) with `sample`, recorded in
// `name`.json; `required_member` is one the decoder cannot do without.
template <typename Payload>
void ExpectRecorded(const std::string& name,
                    const std::vector<const events::Contract<Payload>*>& contracts,
                    const Payload& sample, const std::string& required_member) {
  const json golden = Golden(name);
  ASSERT_TRUE(golden.is_object() && golden.contains("types") && golden.contains("payload"))
      << name << ".json is not {\"types\": [...], \"payload\": {...}}";
  const json& recorded = golden.at("payload");
  ASSERT_TRUE(recorded.is_object());

  std::vector<std::string> types;
  for (const events::Contract<Payload>* contract : contracts) {
    SCOPED_TRACE(std::string(contract->type));
    types.emplace_back(contract->type);

    // What the producer writes is the recorded document.
    const events::Event event = contract->Make(sample, SampleHeader());
    EXPECT_EQ(event.type, std::string(contract->type));
    EXPECT_EQ(event.aggregate_id, kTripId);
    EXPECT_EQ(event.org_id, kOrgId);
    const json written = json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(written.is_discarded()) << event.payload;
    EXPECT_TRUE(SameDocument(written, recorded));

    // What a consumer reads of the recording loses nothing of it.
    events::Event received = event;
    received.payload = recorded.dump();
    ASSERT_OK_AND_ASSIGN(const Payload decoded, contract->Read(received));
    EXPECT_TRUE(SameDocument(json::parse(contract->encode(decoded)), recorded));

    // And what is not such a payload is refused as one.
    json incomplete = recorded;
    ASSERT_EQ(incomplete.erase(required_member), 1u)
        << "the recording has no member " << required_member;
    const absl::StatusOr<Payload> without = contract->decode(incomplete.dump());
    EXPECT_FALSE(without.ok()) << "decoded without " << required_member;
    EXPECT_EQ(ReasonOf(without.status()), "invalid_event") << without.status();
    const absl::StatusOr<Payload> not_json = contract->decode("not json");
    EXPECT_FALSE(not_json.ok());
    EXPECT_EQ(ReasonOf(not_json.status()), "invalid_event") << not_json.status();
  }

  // No type was added, removed or renamed silently.
  std::sort(types.begin(), types.end());
  ASSERT_TRUE(golden.at("types").is_array());
  EXPECT_EQ(types, golden.at("types").get<std::vector<std::string>>());
}

// ---------------------------------------------------------------------------------------------
// catalog

TEST(EventContracts, PublishedTripIsWhatInventorySearchAndOrderRead) {
  const absl::Duration delay = absl::Minutes(15);
  const std::string zone = "Asia/Dhaka";
  catalog::PublishedTrip trip;
  trip.id = kTripId;
  trip.org_id = kOrgId;
  trip.route_id = kRouteId;
  trip.route_name = "Dhaka - Chattogram";
  trip.schedule_id = kScheduleId;
  trip.version = 7;
  trip.status = catalog::TripStatus::kCancelled;
  trip.delay_minutes = 15;
  trip.cancel_reason = "Road closed by flooding near Feni";
  trip.departure = FormatInZone(kDeparture + delay, zone);
  trip.arrival = FormatInZone(kDeparture + absl::Hours(6) + delay, zone);
  trip.scheduled_departure = FormatInZone(kDeparture, zone);
  trip.local_date = FormatLocalDate(DateInZone(kDeparture, zone));
  trip.duration_min = 360;
  trip.stops = {
      {.station = "DHK",
       .arrive_at = FormatInZone(kDeparture + delay, zone),
       .depart_at = FormatInZone(kDeparture + delay, zone),
       .boarding = true,
       .dropping = false,
       .zone = "Asia/Dhaka"},
      {.station = "CML",
       .arrive_at = FormatInZone(kDeparture + absl::Minutes(150) + delay, zone),
       .depart_at = FormatInZone(kDeparture + absl::Minutes(165) + delay, zone),
       .boarding = true,
       .dropping = true,
       .zone = "Asia/Dhaka"},
      {.station = "CTG",
       .arrive_at = FormatInZone(kDeparture + absl::Hours(6) + delay, zone),
       .depart_at = FormatInZone(kDeparture + absl::Hours(6) + delay, zone),
       .boarding = false,
       .dropping = true,
       .zone = "Asia/Dhaka"},
  };
  trip.fares = {
      {.from = "DHK", .to = "CML", .amount = 45000, .currency = "BDT", .category = "standard"},
      {.from = "DHK", .to = "CTG", .amount = 90000, .currency = "BDT", .category = "standard"},
      {.from = "DHK", .to = "CTG", .amount = 95000, .currency = "BDT", .category = "ladies"},
      // A fare for any seat: its category is left out of the document.
      {.from = "CML", .to = "CTG", .amount = 50000, .currency = "BDT", .category = ""},
  };
  trip.bus = {.id = kBusId,
              .version = 4,
              .plate = "DHAKA METRO-BA 11-2345",
              .bus_class = "semi_sleeper",
              .ac = true,
              .amenities = {"wifi", "usb_charging", "blanket"},
              .capacity = 4,
              .seats_for_sale = 2,
              .layout_document = kLayoutDocument};
  ExpectRecorded("published_trip", AllOf(catalog::kTripEvents), trip, "route_id");
}

TEST(EventContracts, StationIsWhatSearchKeepsItsStationsFrom) {
  const catalog::Station station{.code = "CTG",
                                 .name = "Chattogram",
                                 .city = "Chattogram",
                                 .lat = 22.3475,
                                 .lon = 91.8123,
                                 .timezone = "Asia/Dhaka",
                                 .created_by_org = kOrgId,  // not published
                                 .created_at = absl::FromUnixSeconds(1797000000)};
  ExpectRecorded<catalog::Station>("station", {&catalog::kStationAdded}, station, "code");
}

TEST(EventContracts, RouteIsItsIdNameAndStops) {
  const catalog::Route route{.id = kRouteId,
                             .org_id = kOrgId,  // not published
                             .name = "Dhaka - Chattogram",
                             .stops = {{.station = "DHK",
                                        .arrive_offset_min = 0,
                                        .depart_offset_min = 0,
                                        .boarding = true,
                                        .dropping = false},
                                       {.station = "CML",
                                        .arrive_offset_min = 150,
                                        .depart_offset_min = 165,
                                        .boarding = true,
                                        .dropping = true},
                                       {.station = "CTG",
                                        .arrive_offset_min = 360,
                                        .depart_offset_min = 360,
                                        .boarding = false,
                                        .dropping = true}},
                             .created_at = absl::FromUnixSeconds(1797100000)};
  ExpectRecorded<catalog::Route>("route", {&catalog::kRouteCreated}, route, "stops");
}

TEST(EventContracts, CrewAssignmentIsWhoTakesWhichDutyOnWhichTrip) {
  const catalog::CrewAssignment assignment{.id = kCrewId,
                                           .org_id = kOrgId,  // not published
                                           .trip_id = kTripId,
                                           .staff_id = kStaffId,
                                           .duty = catalog::Duty::kCoDriver,
                                           .created_at = absl::FromUnixSeconds(1797700000)};
  ExpectRecorded<catalog::CrewAssignment>("crew_assignment", {&catalog::kCrewAssigned}, assignment,
                                          "staff_id");
}

// ---------------------------------------------------------------------------------------------
// inventory

TEST(EventContracts, SeatsChangedIsWhatSearchAndSeatMapsCountFrom) {
  const inventory::SeatsChanged change{.hold_id = kHoldId,
                                       .booking_id = kBookingId,
                                       .seats = {"A1", "A2"},
                                       .from = "CML",
                                       .to = "CTG",
                                       .from_leg = 1,
                                       .to_leg = 2,
                                       .expires_at = kHoldExpiry};
  ExpectRecorded("seats_changed", AllOf(inventory::kSeatEvents), change, "journey");
}

// ---------------------------------------------------------------------------------------------
// operator

TEST(EventContracts, BusSummaryIsABusAsItNowIs) {
  const fleet::BusSummary bus{.bus_id = kBusId,
                              .plate = "DHAKA METRO-BA 11-2345",
                              .bus_class = fleet::BusClass::kSemiSleeper,
                              .capacity = 36,
                              .version = 4};
  ExpectRecorded<fleet::BusSummary>(
      "bus_summary", {&fleet::kBusRegistered, &fleet::kBusUpdated, &fleet::kBusRemoved}, bus,
      "plate");
}

TEST(EventContracts, StaffAddedIsWhoJoinedInWhichRole) {
  const fleet::StaffAdded staff{.staff_id = kStaffId, .role = fleet::StaffRole::kConductor};
  ExpectRecorded<fleet::StaffAdded>("staff_added", {&fleet::kStaffAdded}, staff, "staff_id");
}

// ---------------------------------------------------------------------------------------------
// payment

TEST(EventContracts, PaymentChangedIsWhatTheOrderSagaWakesOn) {
  const payment::PaymentChanged changed{.payment_id = kPaymentId,
                                        .order_id = kOrderId,
                                        .status = payment::PaymentStatus::kCaptured,
                                        .amount = 180000,
                                        .currency = "BDT",
                                        .refunded = 45000,
                                        .failure_code = "issuer_timeout",
                                        .payer = "guest:0190a1b2-0000-7000-8000-00000000b0b0",
                                        .card_fingerprint = "5f2b9c0d41e7a8b3c6d9e0f1a2b3c4d5"};
  ExpectRecorded<payment::PaymentChanged>("payment_changed",
                                          {&payment::kPaymentAuthorized, &payment::kPaymentCaptured,
                                           &payment::kPaymentFailed, &payment::kPaymentVoided},
                                          changed, "amount");
}

TEST(EventContracts, RefundMadeIsMoneyBackOnACapturedPayment) {
  const payment::RefundMade refund{.refund_id = kRefundId,
                                   .payment_id = kPaymentId,
                                   .order_id = kOrderId,
                                   .amount = 45000,
                                   .currency = "BDT",
                                   .reason = "cancelled"};
  ExpectRecorded<payment::RefundMade>("refund_made", {&payment::kPaymentRefunded}, refund,
                                      "refund_id");
}

// ---------------------------------------------------------------------------------------------
// identity

TEST(EventContracts, UserRegisteredNamesTheUser) {
  const identity::UserRegistered event{.user_id = kUserId};
  ExpectRecorded<identity::UserRegistered>("user_registered", {&identity::kUserRegistered}, event,
                                           "user_id");
}

TEST(EventContracts, LoginThrottledNamesTheUserAndTheClient) {
  const identity::LoginThrottled event{.user_id = kUserId, .client_address = "203.0.113.42"};
  ExpectRecorded<identity::LoginThrottled>("login_throttled", {&identity::kLoginThrottled}, event,
                                           "client_address");
}

TEST(EventContracts, SessionChangedNamesTheUserAndTheSession) {
  const identity::SessionChanged event{.user_id = kUserId, .session_id = kSessionId};
  ExpectRecorded<identity::SessionChanged>(
      "session_changed", {&identity::kRefreshTokenReused, &identity::kSessionEnded}, event,
      "session_id");
}

TEST(EventContracts, OrgCreatedNamesItsCreatorNameAndSlug) {
  const identity::OrgCreated event{
      .actor_user_id = kAdminUserId, .name = "Green Line Paribahan", .slug = "green-line"};
  ExpectRecorded<identity::OrgCreated>("org_created", {&identity::kOrgCreated}, event, "slug");
}

TEST(EventContracts, InviteCreatedNamesTheInviteeAndRole) {
  const identity::InviteCreated event{.actor_user_id = kAdminUserId,
                                      .invite_id = kInviteId,
                                      .email = "rahim.uddin@example.com",
                                      .role = identity::Role::kAgent};
  ExpectRecorded<identity::InviteCreated>("invite_created", {&identity::kInviteCreated}, event,
                                          "email");
}

TEST(EventContracts, InviteChangedNamesTheAdminAndTheInvite) {
  const identity::InviteChanged event{.actor_user_id = kAdminUserId, .invite_id = kInviteId};
  ExpectRecorded<identity::InviteChanged>(
      "invite_changed", {&identity::kInviteResent, &identity::kInviteRevoked}, event, "invite_id");
}

TEST(EventContracts, InviteAcceptedNamesWhoJoinedInWhichRole) {
  const identity::InviteAccepted event{.user_id = kUserId,
                                       .invite_id = kInviteId,
                                       .role = identity::Role::kManager,
                                       .new_account = true};
  ExpectRecorded<identity::InviteAccepted>("invite_accepted", {&identity::kInviteAccepted}, event,
                                           "new_account");
}

TEST(EventContracts, MemberRoleChangedNamesBothRoles) {
  const identity::MemberRoleChanged event{.actor_user_id = kAdminUserId,
                                          .user_id = kUserId,
                                          .from = identity::Role::kAgent,
                                          .to = identity::Role::kAdmin};
  ExpectRecorded<identity::MemberRoleChanged>("member_role_changed",
                                              {&identity::kMemberRoleChanged}, event, "to");
}

TEST(EventContracts, MemberRemovedNamesTheRoleTheMemberHad) {
  const identity::MemberRemoved event{
      .actor_user_id = kAdminUserId, .user_id = kUserId, .role = identity::Role::kConductor};
  ExpectRecorded<identity::MemberRemoved>("member_removed", {&identity::kMemberRemoved}, event,
                                          "user_id");
}

TEST(EventContracts, SigningKeyAddedNamesTheKey) {
  const identity::SigningKeyAdded event{.kid = "k-2026-12-01", .signing = true};
  ExpectRecorded<identity::SigningKeyAdded>("signing_key_added", {&identity::kSigningKeyAdded},
                                            event, "signing");
}

// ---------------------------------------------------------------------------------------------
// order

TEST(EventContracts, OrderCreatedIsAnOrderWaitingForItsPayment) {
  const order::OrderCreated event{.order_id = kOrderId,
                                  .buyer = "0193f1a0-5c6d-7e8f-9a0b-1c2d3e4f5a60",
                                  .trip_id = kTripId,
                                  .hold_id = kHoldId,
                                  .seats = {"A1", "A2"},
                                  .total = {.amount = 180000, .currency = "BDT"},
                                  .expires_at = kHoldExpiry};
  ExpectRecorded<order::OrderCreated>("order_created", {&order::kOrderCreated}, event,
                                      "expires_at");
}

TEST(EventContracts, OrderConfirmedIsWhatATicketNeeds) {
  const order::OrderConfirmed event{.order_id = kOrderId,
                                    .trip_id = kTripId,
                                    .booking_id = kBookingId,
                                    .payment_id = kPaymentId,
                                    .seats = {"A1", "A2"},
                                    .from = "DHK",
                                    .to = "CTG",
                                    .total = {.amount = 180000, .currency = "BDT"},
                                    .email = "karim.hossain@example.com"};
  ExpectRecorded<order::OrderConfirmed>("order_confirmed", {&order::kOrderConfirmed}, event,
                                        "booking_id");
}

TEST(EventContracts, OrderExpiredSaysWhy) {
  const order::OrderExpired event{.order_id = kOrderId, .reason = "payment_timeout"};
  ExpectRecorded<order::OrderExpired>("order_expired", {&order::kOrderExpired}, event, "reason");
}

TEST(EventContracts, OrderRiskChangedIsFraudsDecisionAndTheReview) {
  const order::OrderRiskChanged event{.order_id = kOrderId,
                                      .decision = "review",
                                      .score = 60,
                                      .signals = {"buyer_share_of_trip", "email_velocity"},
                                      .fallback = false,
                                      .verdict = "approved",
                                      .reviewer = "0193f1d0-0000-7000-8000-0000000000aa"};
  ExpectRecorded<order::OrderRiskChanged>(
      "order_risk_changed", {&order::kOrderRiskAssessed, &order::kOrderReviewed}, event, "score");
}

TEST(EventContracts, OrderCancelledIsTheSeatsGivenBackAndTheRefund) {
  const order::OrderCancelled event{.order_id = kOrderId,
                                    .trip_id = kTripId,
                                    .seats = {"A2"},
                                    .status = order::OrderStatus::kPartiallyCancelled,
                                    .refund = {.amount = 45000, .currency = "BDT"},
                                    .tier = "48h"};
  ExpectRecorded<order::OrderCancelled>("order_cancelled", {&order::kOrderCancelled}, event,
                                        "refund");
}

// ---------------------------------------------------------------------------------------------
// fulfillment

TEST(EventContracts, OrderTicketsChangedIsWhatTheTravellersMessageSays) {
  fulfillment::OrderTicketsChanged event;
  event.order_id = kOrderId;
  event.org_id = kOrgId;
  event.generation = 2;
  event.email = "karim.hossain@example.com";
  event.phone = "+8801711000000";
  event.locale = "bn";
  event.operator_name = "Green Line Paribahan";
  event.from_code = "DHK";
  event.from_name = "Dhaka";
  event.to_code = "CTG";
  event.to_name = "Chattogram";
  event.timezone = "Asia/Dhaka";
  event.departure = kDeparture;
  event.tickets = {{.ticket_id = kBookingId,
                    .number = "K7Q2M-9XD3F",
                    .seat = "A1",
                    .passenger = "Karim Hossain",
                    .status = fulfillment::TicketStatus::kIssued},
                   {.ticket_id = kPaymentId,
                    .number = "Q8HSC-642BY",
                    .seat = "A2",
                    .passenger = "নুসরাত জাহান",
                    .status = fulfillment::TicketStatus::kVoid}};
  // As published: without the PDF link, which only the traveller's message carries.
  event.total = {.amount = 90000, .currency = "BDT"};
  event.refund = {.amount = 45000, .currency = "BDT"};
  event.tier = "48h";
  event.delay_minutes = 30;
  ExpectRecorded<fulfillment::OrderTicketsChanged>(
      "order_tickets_changed",
      {&fulfillment::kTicketsIssued, &fulfillment::kTicketsReissued, &fulfillment::kTicketsVoided},
      event, "tickets");
}

TEST(EventContracts, TicketBoardedIsWhatReportingCountsNoShowsFrom) {
  const fulfillment::TicketBoarded event{.ticket_id = "0193f1a0-6071-7283-9495-af1a2b3c4d5e",
                                         .order_id = kOrderId,
                                         .trip_id = kTripId,
                                         .seat = "B3",
                                         .boarded_at = absl::FromUnixSeconds(1'766'240'400)};
  ExpectRecorded<fulfillment::TicketBoarded>("ticket_boarded", {&fulfillment::kTicketBoarded},
                                             event, "trip_id");
}

// ---------------------------------------------------------------------------------------------
// subscription

TEST(EventContracts, SubscriptionChangedIsThePlanBeforeAndAfter) {
  const subscription::SubscriptionChanged event{
      .plan = "growth",
      .previous_plan = "starter",
      .pending_plan = "",
      .effective_at = absl::FromUnixSeconds(1'768'867'200),  // 2026-01-20T00:00:00Z
      .trial_end = absl::FromUnixSeconds(1'768'435'200),     // 2026-01-15T00:00:00Z
      .charge = {.amount = 77419, .currency = "BDT"},
      .actor = "0193f1a0-6071-7283-9495-af1a2b3c4d14"};
  ExpectRecorded<subscription::SubscriptionChanged>(
      "subscription_changed",
      {&subscription::kSubscriptionStarted, &subscription::kPlanChanged,
       &subscription::kDowngradeScheduled, &subscription::kDowngradeCancelled},
      event, "plan");
}

TEST(EventContracts, InvoiceIssuedIsThePeriodAndItsTotal) {
  const subscription::InvoiceIssued event{
      .invoice_id = "0193f1a0-6071-7283-9495-af1a2b3c4d99",
      .number = "TRV-202601-2B3C4D99",
      .period_start = absl::FromUnixSeconds(1'767'204'000),  // 2026-01-01T00:00:00+06:00
      .period_end = absl::FromUnixSeconds(1'769'882'400),    // 2026-02-01T00:00:00+06:00
      .total = {.amount = 133'558, .currency = "BDT"}};
  ExpectRecorded<subscription::InvoiceIssued>("invoice_issued", {&subscription::kInvoiceIssued},
                                              event, "total");
}

}  // namespace
}  // namespace travio
