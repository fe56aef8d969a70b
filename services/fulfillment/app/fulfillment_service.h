#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/base/crash_point.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/fulfillment/app/ports.h"
#include "services/notification/api/notification_client.h"

namespace travio::fulfillment {

struct FulfillmentSettings {
  /// Base of the links in answers and emails ("https://tickets.example.com").
  std::string public_url = "http://localhost:8080";
  /// How long a PDF link works.
  absl::Duration link_ttl = absl::Hours(168);
  /// How long a worker holds a claimed job before another may take it.
  absl::Duration lease = absl::Minutes(2);
  /// Longest wait between two attempts of a failing job.
  absl::Duration max_backoff = absl::Minutes(10);
  /// Attempts of a failing job before it waits for a person (or the order's next change).
  int max_attempts = 50;
  /// An offline scan is a boarding from this long before the scheduled departure.
  absl::Duration boarding_opens = absl::Hours(3);
  /// Test hook: "rendered" kills the process after the PDF is stored, before it is recorded;
  /// "recorded" after it is recorded, before notification is told.
  CrashPoint crash_point;
};

/// The fulfillment use cases: jobs from order events (order_events.cc), issuing tickets and
/// their PDF (Fulfill), what buyers and staff read, and boarding. The local FulfillmentClient.
class FulfillmentService final : public FulfillmentClient {
 public:
  struct Ports {
    TicketStore& store;
    DocumentStorage& documents;
    TicketRenderer& renderer;
    TicketKeys& keys;
    BookingFacts& facts;
    notification::NotificationClient& notifications;
    const Clock& clock;
    const IdGenerator& ids;
    const log::Logger& logger;
    metrics::Registry* metrics = nullptr;
  };
  FulfillmentService(Ports ports, FulfillmentSettings settings);

  /// Order events (the consumer's inbox makes each one count once).
  absl::Status OnOrderConfirmed(const events::Event& event, const std::string& order_id);
  /// order.reviewed.v1: an order fraud held was rejected, or nobody reviewed it in time; the
  /// traveller is told nothing was charged (once: the notice is keyed by the order).
  absl::Status OnOrderReviewed(const events::Event& event, const std::string& order_id,
                               const std::string& verdict);
  absl::Status OnOrderCancelled(const events::Event& event, const std::string& order_id,
                                const Money& refund, const std::string& tier);
  /// A trip delayed: every order with valid tickets on it gets its PDF again with the new time.
  absl::Status OnTripDelayed(const events::Event& event, const std::string& org_id,
                             const std::string& trip_id, int delay_minutes);

  /// Fulfills the jobs due now, at most `limit`; returns how many succeeded.
  absl::StatusOr<int> FulfillDue(int limit = 16);

  absl::StatusOr<OrderTickets> TicketsOfOrder(const std::string& order_id) override;
  absl::StatusOr<TicketView> GetTicket(const std::string& ticket_id) override;
  absl::StatusOr<Document> OrderPdf(const std::string& order_id) override;
  absl::StatusOr<Document> TicketPdf(const std::string& ticket_id) override;
  absl::Status CheckLink(const std::string& resource, const std::string& expires,
                         const std::string& signature) override;
  absl::StatusOr<std::vector<ScanResult>> Board(const ScanCommand& command) override;
  absl::StatusOr<BoardingPack> Pack(const std::string& org_id, const std::string& trip_id,
                                    const Scanner& scanner) override;
  absl::StatusOr<std::vector<TicketKey>> VerificationKeys() override;

  const log::Logger& logger() const { return ports_.logger; }

 private:
  absl::Status Fulfill(const Job& job);
  /// Hands the traveller's message of `job`'s generation to notification (once per generation:
  /// its key says which).
  // Hands `notice` to notification; one it refuses for good is logged, not retried.
  absl::Status SendNotice(const notification::Notice& notice, const std::string& order_id);
  absl::Status Notify(const Job& job, const order::OrderView& order, const TripFacts& trip,
                      const std::vector<Ticket>& tickets, const std::string& pdf);
  OrderTicketsChanged Changed(const Job& job, const order::OrderView& order, const TripFacts& trip,
                              const std::vector<Ticket>& tickets) const;
  // Only while `job`'s claim holds (kAborted Superseded otherwise).
  absl::StatusOr<std::vector<Ticket>> IssueTickets(const Job& job, const order::OrderView& order,
                                                   const TripFacts& trip);
  absl::StatusOr<Ticket> NewTicket(const order::OrderView& order, const order::OrderItem& item,
                                   const TripFacts& trip);
  absl::StatusOr<std::string> Render(const std::vector<Ticket>& tickets, const TripFacts& trip,
                                     const std::string& title);
  /// A signed link to `resource` ("orders/<id>/tickets.pdf", "tickets/<id>/pdf").
  std::string Link(const std::string& resource, absl::Time expires_at) const;
  /// The ticket a typed scan names: its number, among the tickets of its trip.
  std::optional<Ticket> TypedTicket(const std::string& org_id, const Scan& scan);
  /// The signed link to the order's page in the traveller app (ManageLinkResource).
  std::string ManageLink(const std::string& order_id, absl::Time departure) const;
  absl::Time LinkExpiry() const;
  // `crew_trips`: for a crew-only scanner, the trips they are on (filled as they are asked).
  ScanResult BoardOne(const ScanCommand& command, const Scan& scan,
                      std::map<std::string, bool>& crew_trips);
  // Whether a crew-only `user_id` is on the crew of the trip, remembered in `crew_trips`.
  absl::StatusOr<bool> OnCrew(const std::string& org_id, const std::string& trip_id,
                              const std::string& user_id, std::map<std::string, bool>& crew_trips);

  Ports ports_;
  FulfillmentSettings settings_;
  metrics::Family<metrics::Counter>* attempts_ = nullptr;
  metrics::Family<metrics::Counter>* tickets_ = nullptr;
  metrics::Family<metrics::Counter>* scans_ = nullptr;
  metrics::Family<metrics::Histogram>* render_seconds_ = nullptr;
};

}  // namespace travio::fulfillment
