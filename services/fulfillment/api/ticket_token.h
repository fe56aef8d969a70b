#pragma once

// The text of a ticket's QR code (api.md): a PASETO v4.public token signed by fulfillment's
// key, verifiable offline with the keys at /.well-known/travio-keys.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/fulfillment/api/fulfillment_client.h"

namespace travio::fulfillment {

/// The claims: `tid` the ticket, `trip`, `seat`, `from` and `to` (station codes), `dep` the
/// departure, `exp` when the code stops being valid (a day after departure).
struct TicketClaims {
  std::string ticket_id;
  std::string trip_id;
  std::string seat;
  std::string from;
  std::string to;
  absl::Time departure;
  absl::Time expires_at;
  bool operator==(const TicketClaims&) const = default;
};

/// Signs `claims` with the 64-byte Ed25519 `secret_key`; the footer names the key
/// (`{"kid":...}`) and the implicit assertion "travio-ticket" binds the token to its purpose,
/// so no other token of the deployment passes for a ticket.
absl::StatusOr<std::string> SignTicketToken(std::string_view secret_key, std::string_view kid,
                                            const TicketClaims& claims);

/// Verifies a ticket code with the key its footer names among `keys`; expired at `now`,
/// forged, tampered, malformed or signed by an unknown key: kInvalidArgument `invalid_qr`,
/// never saying which.
absl::StatusOr<TicketClaims> VerifyTicketToken(std::string_view token,
                                               const std::vector<TicketKey>& keys, absl::Time now);

}  // namespace travio::fulfillment
