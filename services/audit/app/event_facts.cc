// Which events the audit log keeps, and who acted on what according to each.
#include "absl/strings/str_cat.h"
#include "services/audit/app/audit_service.h"
#include "services/catalog/api/catalog_events.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/identity/api/identity_events.h"
#include "services/inventory/api/inventory_events.h"
#include "services/operator/api/operator_events.h"
#include "services/order/api/order_events.h"
#include "services/payment/api/payment_events.h"
#include "services/subscription/api/subscription_events.h"

namespace travio::audit {
namespace {

constexpr char kConsumer[] = "audit";

class Follower {
 public:
  Follower(events::Bus& bus, std::shared_ptr<AuditService> service, const log::Logger& logger)
      : bus_(bus), service_(std::move(service)), logger_(logger) {}

  template <typename Payload, typename Describe>
  void Follow(const events::Contract<Payload>& contract, std::string producer, Describe describe) {
    events::Subscribe<Payload>(bus_, kConsumer, contract, logger_,
                               [service = service_, producer = std::move(producer), describe](
                                   const events::Event& event, const Payload& payload) {
                                 return service->RecordEvent(event, producer, describe(payload));
                               });
  }

 private:
  events::Bus& bus_;
  std::shared_ptr<AuditService> service_;
  log::Logger logger_;
};

}  // namespace

void FollowEvents(events::Bus& bus, std::shared_ptr<AuditService> service,
                  const log::Logger& logger) {
  Follower follow(bus, std::move(service), logger);

  // Identity: accounts, sessions, organizations, invites, members and signing keys.
  follow.Follow(identity::kUserRegistered, "identity", [](const identity::UserRegistered& e) {
    return EventParties{.actor = e.user_id, .target = e.user_id};
  });
  follow.Follow(identity::kLoginThrottled, "identity", [](const identity::LoginThrottled& e) {
    return EventParties{.target = e.user_id};
  });
  for (const auto* contract : {&identity::kRefreshTokenReused, &identity::kSessionEnded}) {
    follow.Follow(*contract, "identity", [](const identity::SessionChanged& e) {
      return EventParties{.actor = e.user_id, .target = e.user_id};
    });
  }
  follow.Follow(identity::kOrgCreated, "identity", [](const identity::OrgCreated& e) {
    return EventParties{.actor = e.actor_user_id, .target_name = e.name};
  });
  follow.Follow(identity::kInviteCreated, "identity", [](const identity::InviteCreated& e) {
    return EventParties{.actor = e.actor_user_id, .target = e.invite_id, .target_name = e.email};
  });
  for (const auto* contract : {&identity::kInviteResent, &identity::kInviteRevoked}) {
    follow.Follow(*contract, "identity", [](const identity::InviteChanged& e) {
      return EventParties{.actor = e.actor_user_id, .target = e.invite_id};
    });
  }
  follow.Follow(identity::kInviteAccepted, "identity", [](const identity::InviteAccepted& e) {
    return EventParties{.actor = e.user_id, .target = e.invite_id};
  });
  follow.Follow(identity::kMemberRoleChanged, "identity", [](const identity::MemberRoleChanged& e) {
    return EventParties{.actor = e.actor_user_id, .target = e.user_id};
  });
  follow.Follow(identity::kMemberRemoved, "identity", [](const identity::MemberRemoved& e) {
    return EventParties{.actor = e.actor_user_id, .target = e.user_id};
  });
  follow.Follow(identity::kSigningKeyAdded, "identity",
                [](const identity::SigningKeyAdded& e) { return EventParties{.target = e.kid}; });

  // The fleet and the network.
  for (const auto* contract : {&fleet::kBusRegistered, &fleet::kBusUpdated, &fleet::kBusRemoved}) {
    follow.Follow(*contract, "operator", [](const fleet::BusSummary& e) {
      return EventParties{.target = e.bus_id, .target_name = e.plate};
    });
  }
  follow.Follow(fleet::kStaffAdded, "operator",
                [](const fleet::StaffAdded& e) { return EventParties{.target = e.staff_id}; });
  for (const auto* contract : catalog::kTripEvents) {
    follow.Follow(*contract, "catalog", [](const catalog::PublishedTrip& e) {
      return EventParties{.target = e.id,
                          .target_name = absl::StrCat(e.route_name, " ", e.departure)};
    });
  }
  follow.Follow(catalog::kStationAdded, "catalog", [](const catalog::Station& e) {
    return EventParties{.target = e.code, .target_name = e.name};
  });
  follow.Follow(catalog::kRouteCreated, "catalog", [](const catalog::Route& e) {
    return EventParties{.target = e.id, .target_name = e.name};
  });
  follow.Follow(catalog::kCrewAssigned, "catalog",
                [](const catalog::CrewAssignment& e) { return EventParties{.target = e.trip_id}; });
  for (const auto* contract : {&inventory::kSeatsBlocked, &inventory::kSeatsUnblocked}) {
    follow.Follow(*contract, "inventory",
                  [](const inventory::SeatsChanged&) { return EventParties{}; });
  }

  // Sales: orders and their risk reviews, payments and refunds, tickets.
  follow.Follow(order::kOrderCreated, "order", [](const order::OrderCreated& e) {
    return EventParties{.actor = e.buyer, .target = e.order_id};
  });
  follow.Follow(order::kOrderConfirmed, "order",
                [](const order::OrderConfirmed& e) { return EventParties{.target = e.order_id}; });
  follow.Follow(order::kOrderExpired, "order",
                [](const order::OrderExpired& e) { return EventParties{.target = e.order_id}; });
  follow.Follow(order::kOrderCancelled, "order",
                [](const order::OrderCancelled& e) { return EventParties{.target = e.order_id}; });
  for (const auto* contract : {&order::kOrderRiskAssessed, &order::kOrderReviewed}) {
    follow.Follow(*contract, "order", [](const order::OrderRiskChanged& e) {
      return EventParties{.actor = e.reviewer, .target = e.order_id};
    });
  }
  for (const auto* contract : {&payment::kPaymentAuthorized, &payment::kPaymentCaptured,
                               &payment::kPaymentFailed, &payment::kPaymentVoided}) {
    follow.Follow(*contract, "payment", [](const payment::PaymentChanged& e) {
      return EventParties{.target = e.payment_id, .target_name = e.order_id};
    });
  }
  follow.Follow(payment::kPaymentRefunded, "payment", [](const payment::RefundMade& e) {
    return EventParties{.target = e.payment_id, .target_name = e.order_id};
  });
  for (const auto* contract : {&fulfillment::kTicketsIssued, &fulfillment::kTicketsVoided,
                               &fulfillment::kTicketsReissued}) {
    follow.Follow(*contract, "fulfillment", [](const fulfillment::OrderTicketsChanged& e) {
      return EventParties{.target = e.order_id,
                          .target_name = absl::StrCat(e.from_code, " - ", e.to_code)};
    });
  }

  follow.Follow(subscription::kInvoiceIssued, "subscription",
                [](const subscription::InvoiceIssued& e) {
                  return EventParties{.target = e.invoice_id, .target_name = e.number};
                });
  // The organization's plan: who changed it, and to what.
  for (const auto* contract : subscription::kSubscriptionEvents) {
    follow.Follow(*contract, "subscription", [](const subscription::SubscriptionChanged& e) {
      return EventParties{.actor = e.actor,
                          .target_name = e.pending_plan.empty() ? e.plan : e.pending_plan};
    });
  }
}

}  // namespace travio::audit
