// Every service client the gateway calls, answering `unavailable` to everything: the gateway's
// route fuzzer (fuzz/gateway_routes_fuzz.cc) needs routes, not services; it overrides what
// authentication needs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/paging/paging.h"
#include "services/audit/api/audit_client.h"
#include "services/catalog/api/catalog_client.h"
#include "services/fraud/api/fraud_client.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/identity/api/identity_client.h"
#include "services/inventory/api/inventory_client.h"
#include "services/operator/api/operator_client.h"
#include "services/order/api/order_client.h"
#include "services/payment/api/payment_client.h"
#include "services/pricing/api/pricing_client.h"
#include "services/queue/api/queue_client.h"
#include "services/reporting/api/reporting_client.h"
#include "services/search/api/search_client.h"
#include "services/subscription/api/subscription_client.h"

namespace travio::fuzz {

class StubIdentityClient : public identity::IdentityClient {
 public:
  absl::StatusOr<identity::ServerInfo> GetServerInfo() override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::TokenSettings> GetTokenSettings() override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::User> Register(const identity::RegisterRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::TokenPair> Login(const identity::LoginRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::TokenPair> IssueGuestToken() override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::TokenPair> Refresh(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status Logout(const std::string&) override { return absl::UnavailableError("stub"); }
  absl::StatusOr<identity::Me> GetMe(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::Organization> CreateOrganization(const std::string&, const std::string&,
                                                            const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::Organization> GetOrganization(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::Membership> ResolveMembership(const std::string&,
                                                         const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::Invite> CreateInvite(const identity::Actor&, const std::string&,
                                                const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<identity::Invite>> ListInvites(const identity::Actor&,
                                                     const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status RevokeInvite(const identity::Actor&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::Invite> ResendInvite(const identity::Actor&,
                                                const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::AcceptedInvite> AcceptInvite(
      const identity::AcceptInviteRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<identity::Member>> ListMembers(const identity::Actor&,
                                                     const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<identity::Member>> ListOwners(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<identity::Member> ChangeRole(const identity::Actor&, const std::string&,
                                              const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status RemoveMember(const identity::Actor&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
};

class StubOperatorClient : public fleet::OperatorClient {
 public:
  absl::StatusOr<fleet::Bus> CreateBus(const std::string&, const fleet::BusDraft&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fleet::Bus> GetBus(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<fleet::Bus>> ListBuses(const std::string&, const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fleet::Bus> UpdateBus(const std::string&, const std::string&,
                                       const fleet::BusPatch&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status DeleteBus(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fleet::StaffMember> CreateStaff(const std::string&,
                                                 const fleet::StaffDraft&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fleet::StaffMember> GetStaff(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<fleet::StaffMember>> ListStaff(const std::string&,
                                                     const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
};

class StubCatalogClient : public catalog::CatalogClient {
 public:
  absl::StatusOr<catalog::Station> CreateStation(const std::string&,
                                                 const catalog::Station&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<catalog::Station>> ListStations(const std::string&, int) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Route> CreateRoute(const std::string&, const catalog::Route&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Route> GetRoute(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<catalog::Route>> ListRoutes(const std::string&, const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Trip> CreateTrip(const std::string&, const catalog::TripDraft&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Trip> GetTrip(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<catalog::Trip>> ListTrips(const std::string&, const catalog::TripFilter&,
                                                const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Trip> PublishTrip(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Trip> CancelTrip(const std::string&, const std::string&,
                                           const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Trip> DelayTrip(const std::string&, const std::string&, int) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Trip> AdvanceTrip(const std::string&, const std::string&,
                                            catalog::TripStatus) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::BusMove> MoveTrip(const std::string&, const std::string&,
                                            const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Schedule> CreateSchedule(const std::string&,
                                                   const catalog::ScheduleDraft&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::GenerationResult> GenerateTrips(const std::string&, const std::string&,
                                                          const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<Page<catalog::Schedule>> ListSchedules(const std::string&, const std::string&,
                                                        const PageRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Schedule> GetSchedule(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::Schedule> UpdateSchedule(const std::string&, const std::string&,
                                                   const catalog::SchedulePatch&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::ScheduleEnding> EndSchedule(const std::string&, const std::string&,
                                                      const catalog::ScheduleEnd&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<catalog::CrewAssignment> AssignCrew(const std::string&, const std::string&,
                                                     const std::string&,
                                                     const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<catalog::CrewAssignment>> ListCrew(const std::string&,
                                                                const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<bool> BusInUse(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::map<std::string, std::string>> ExportGtfs(const std::string&,
                                                                const std::string&,
                                                                const std::string&) override {
    return absl::UnavailableError("stub");
  }
};

class StubInventoryClient : public inventory::InventoryClient {
 public:
  // A quote of the seats asked (or of three seats in two categories), so the quote route's
  // grouping is reached.
  absl::StatusOr<inventory::TripQuote> QuoteSeats(const inventory::QuoteCommand& command) override {
    inventory::TripQuote quote{.trip_id = command.trip_id,
                               .from = command.from,
                               .to = command.to,
                               .currency = "BDT",
                               .at = command.at.value_or(absl::UnixEpoch()),
                               .seats = {}};
    std::vector<std::string> seats = command.seats;
    if (seats.empty()) seats = {"A1", "A2", "L1"};
    for (size_t i = 0; i < seats.size(); ++i) {
      pricing::SeatQuote seat{.seat = seats[i],
                              .category = seats[i].substr(0, 1),
                              .base = 1000,
                              .price = static_cast<int64_t>(1000 + seats[i].size() * 10),
                              .applied = {{"r", 1, "rule", 1000, 1010}},
                              .skipped = {},
                              .refused = i % 2 == 1 ? "refused" : ""};
      quote.seats.push_back({seat, i % 3 != 2});
    }
    return quote;
  }
  absl::StatusOr<inventory::SeatMap> GetSeatMap(const std::string&, const std::string&,
                                                const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<inventory::HoldView> HoldSeats(const inventory::HoldCommand&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<inventory::HoldView> GetHold(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status ReleaseHold(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<inventory::BookingRecord> ConfirmHold(const std::string&, const std::string&,
                                                       const std::string&, int64_t) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<inventory::BookingRecord> CancelBooking(const std::string&, const std::string&,
                                                         const std::vector<std::string>&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<inventory::BookingRecord> BlockSeats(const std::string&, const std::string&,
                                                      const std::vector<std::string>&,
                                                      const std::string&,
                                                      const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<inventory::TripBlocks> ListBlocks(const std::string&,
                                                   const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status UnblockSeats(const std::string&, const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
};

class StubSearchClient : public search::SearchClient {
 public:
  absl::StatusOr<search::SearchResults> Search(const search::SearchQuery&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<search::StationEntry>> FindStations(const std::string&, int) override {
    return absl::UnavailableError("stub");
  }
};

class StubOrderClient : public order::OrderClient {
 public:
  absl::StatusOr<order::OrderView> CreateOrder(const order::CreateOrderCommand&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::OrderView> GetOrder(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::OrderPage> ListOrders(const std::string&, int,
                                              const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::PayResult> Pay(const order::PayCommand&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::CancelQuote> QuoteCancellation(const std::string&, const std::string&,
                                                       const std::vector<std::string>&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::OrderView> Cancel(const std::string&, const std::string&,
                                          const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<order::ManifestLine>> Manifest(const std::string&,
                                                            const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::RefundPolicyView> GetRefundPolicy(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::RefundPolicyView> SetRefundPolicy(const std::string&,
                                                          const order::RefundPolicy&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::OrderPage> OrgOrders(const order::OrgOrderQuery&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<order::SalesTotal>> SalesSince(const std::string&,
                                                            absl::Time) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::OrderPage> OrdersUnderReview(const std::string&, int,
                                                     const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<order::OrderView> DecideReview(const std::string&, const std::string&, bool,
                                                const std::string&) override {
    return absl::UnavailableError("stub");
  }
};

class StubPaymentClient : public payment::PaymentClient {
 public:
  absl::StatusOr<payment::PaymentView> Authorize(const payment::AuthorizeCommand&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::PaymentView> Capture(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::PaymentView> Void(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::RefundView> Refund(const std::string&, int64_t, const std::string&,
                                             const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::PaymentView> GetPayment(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<payment::PaymentView>> PaymentsOfOrder(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<payment::RefundView>> RefundsOfOrder(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<payment::Mismatch>> MismatchesOfOrg(const std::string&, absl::Time,
                                                                 int) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::RefundView> PayOutRefund(const std::string&, const std::string&,
                                                   const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status HandleWebhook(const std::string&, const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::PaymentView> GetCheckout(const std::string&,
                                                   const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<payment::PaymentView> CompleteCheckout(const std::string&, const std::string&,
                                                        bool) override {
    return absl::UnavailableError("stub");
  }
};

class StubQueueClient : public queue::QueueClient {
 public:
  absl::StatusOr<queue::RoomView> PutRoom(const queue::RoomSpec&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<queue::RoomView> GetRoom(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<queue::RoomView>> ListRooms(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status DeleteRoom(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::optional<queue::TripGuard>> GuardOf(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<queue::QueuePlace> Join(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<queue::QueuePlace> Status(const std::string&, const std::string&,
                                           const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<queue::QueueKey>> VerificationKeys() override {
    return absl::UnavailableError("stub");
  }
};

// Answers scans with every outcome in turn (chosen by the code's length), so the fuzzer reaches
// each of the scan route's answers; everything else is unavailable.
class StubFulfillmentClient : public fulfillment::FulfillmentClient {
 public:
  absl::StatusOr<fulfillment::OrderTickets> TicketsOfOrder(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fulfillment::TicketView> GetTicket(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fulfillment::Document> OrderPdf(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fulfillment::Document> TicketPdf(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::Status CheckLink(const std::string&, const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<fulfillment::ScanResult>> Board(
      const fulfillment::ScanCommand& command) override {
    std::vector<fulfillment::ScanResult> results;
    for (const fulfillment::Scan& scan : command.scans) {
      fulfillment::ScanResult result;
      result.outcome = static_cast<fulfillment::ScanOutcome>(scan.qr.size() % 5);
      result.ticket_id = "t";
      result.seat = "A1";
      if (scan.qr.size() % 2 == 0) result.boarded_at = absl::UnixEpoch();
      results.push_back(result);
    }
    return results;
  }
  absl::StatusOr<fulfillment::BoardingPack> Pack(const std::string&, const std::string&,
                                                 const fulfillment::Scanner&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<fulfillment::TicketKey>> VerificationKeys() override {
    return absl::UnavailableError("stub");
  }
};

// Saves and evaluates nothing, but answers rule writes with the rule as asked, so the rule
// routes' answers are reached.
class StubPricingClient : public pricing::PricingClient {
 public:
  absl::StatusOr<pricing::PricingRule> CreateRule(const std::string& org_id,
                                                  const pricing::RuleDraft& draft) override {
    return pricing::PricingRule{.id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001",
                                .org_id = org_id,
                                .spec = draft,
                                .version = 1};
  }
  absl::StatusOr<pricing::PricingRule> GetRule(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<pricing::PricingRule>> ListRules(const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<pricing::PricingRule> UpdateRule(const std::string& org_id,
                                                  const std::string& rule_id,
                                                  const pricing::RuleDraft& draft) override {
    return pricing::PricingRule{.id = rule_id, .org_id = org_id, .spec = draft, .version = 2};
  }
  absl::Status DeleteRule(const std::string&, const std::string&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<pricing::EvaluationResult> Evaluate(
      const std::string&, const pricing::EvaluationRequest& request) override {
    return pricing::EvaluationResult{.value_json = request.bindings_json, .type = "map"};
  }
  absl::StatusOr<pricing::PriceResult> PriceSeats(const pricing::PriceRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<std::vector<pricing::PriceResult>> PriceMany(
      const std::vector<pricing::PriceRequest>&) override {
    return absl::UnavailableError("stub");
  }
};

// The defaults, and a changed setting answered as asked, so the settings routes' answers are
// reached.
class StubFraudClient : public fraud::FraudClient {
 public:
  absl::StatusOr<fraud::Assessment> Assess(const fraud::AssessRequest&) override {
    return absl::UnavailableError("stub");
  }
  absl::StatusOr<fraud::RiskSettings> GetSettings(const std::string&) override {
    return fraud::DefaultRiskSettings();
  }
  absl::StatusOr<fraud::RiskSettings> PutSettings(const std::string&,
                                                  const fraud::RiskSettings& settings) override {
    return settings;
  }
};

// An empty log that records whatever passes its bounds, so the audit routes' answers (and the
// trail every change goes through) are reached.
class StubAuditClient : public audit::AuditClient {
 public:
  absl::Status Record(const audit::AuditFact& fact) override { return audit::ValidateFact(fact); }
  absl::StatusOr<audit::AuditPage> List(const audit::AuditQuery& query) override {
    if (auto status = audit::ValidateQuery(query); !status.ok()) return status;
    return audit::AuditPage{};
  }
  absl::StatusOr<audit::Verification> Verify(const std::string&) override {
    return audit::Verification{};
  }
  absl::StatusOr<std::vector<audit::AuditKey>> VerificationKeys() override {
    return std::vector<audit::AuditKey>{};
  }
};

// One plan on sale; every organization on it; changes to it accepted, to any other refused.
class StubSubscriptionClient : public subscription::SubscriptionClient {
 public:
  absl::StatusOr<bool> Reserve(const subscription::QuotaUse&) override { return true; }
  absl::Status Release(const subscription::QuotaUse&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<subscription::Plan>> ListPlans() override {
    return std::vector<subscription::Plan>{
        {.name = "starter", .monthly_price = {250'000, "BDT"}, .booking_fee = 500}};
  }
  absl::StatusOr<subscription::SubscriptionView> GetSubscription(
      const std::string& org_id) override {
    return subscription::SubscriptionView{.org_id = org_id, .plan = "starter", .status = "active"};
  }
  absl::StatusOr<subscription::SubscriptionView> ChangePlan(
      const subscription::PlanChangeRequest& request) override {
    if (request.plan != "starter") return absl::NotFoundError("plan_not_found");
    return GetSubscription(request.org_id);
  }
  absl::StatusOr<subscription::InvoicePage> ListInvoices(const std::string&, int,
                                                         const std::string&) override {
    return subscription::InvoicePage{};
  }
  absl::StatusOr<subscription::InvoiceView> GetInvoice(const std::string&,
                                                       const std::string&) override {
    return absl::NotFoundError("invoice_not_found");
  }
  absl::StatusOr<subscription::InvoiceDocument> GetInvoicePdf(const std::string&,
                                                              const std::string&) override {
    return absl::NotFoundError("invoice_not_found");
  }
};

// Reports of nothing sold, after the service's own checks of a page.
class StubReportingClient : public reporting::ReportingClient {
 public:
  absl::StatusOr<reporting::RevenueReport> Revenue(const reporting::RevenueQuery& query) override {
    if (auto status = Check(query.after, query.limit); !status.ok()) return status;
    return reporting::RevenueReport{};
  }
  absl::StatusOr<reporting::OccupancyReport> Occupancy(
      const reporting::OccupancyQuery& query) override {
    if (auto status = Check(query.after, query.limit); !status.ok()) return status;
    return reporting::OccupancyReport{};
  }
  absl::StatusOr<reporting::BookingsPage> Bookings(const reporting::BookingsQuery& query) override {
    if (auto status = Check(query.after, query.limit); !status.ok()) return status;
    return reporting::BookingsPage{};
  }

 private:
  static absl::Status Check(const std::string& after, int limit) {
    if (!reporting::IsWellFormedCursor(after) || limit < 1 || limit > reporting::kMaxPageRows) {
      return absl::InvalidArgumentError("invalid_cursor");
    }
    return absl::OkStatus();
  }
};

}  // namespace travio::fuzz
