#include "services/fulfillment/api/ticket_token.h"

#include <nlohmann/json.hpp>

#include "platform/base/errors.h"
#include "platform/base/rfc3339.h"
#include "platform/crypto/paseto.h"

namespace travio::fulfillment {
namespace {

using nlohmann::json;

constexpr std::string_view kAssertion = "travio-ticket";
// A QR code holds a few hundred characters comfortably; anything far longer is not ours.
constexpr size_t kMaxTokenBytes = 2048;

absl::Status Invalid() { return Error(reasons::kInvalidQr, "This code is not a valid ticket."); }

}  // namespace

absl::StatusOr<std::string> SignTicketToken(std::string_view secret_key, std::string_view kid,
                                            const TicketClaims& claims) {
  const json payload = {{"tid", claims.ticket_id},
                        {"trip", claims.trip_id},
                        {"seat", claims.seat},
                        {"from", claims.from},
                        {"to", claims.to},
                        {"dep", FormatRfc3339(claims.departure)},
                        {"exp", FormatRfc3339(claims.expires_at)}};
  return crypto::V4PublicSignWithKid(secret_key, kid, payload.dump(), kAssertion);
}

absl::StatusOr<TicketClaims> VerifyTicketToken(std::string_view token,
                                               const std::vector<TicketKey>& keys, absl::Time now) {
  if (token.size() > kMaxTokenBytes) return Invalid();
  absl::StatusOr<crypto::PasetoMessage> message =
      crypto::V4PublicVerifyWithKid(token, keys, kAssertion);
  if (!message.ok()) return Invalid();
  const json claims = json::parse(message->payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return Invalid();
  for (const char* field : {"tid", "trip", "seat", "from", "to", "dep", "exp"}) {
    if (!claims.contains(field) || !claims[field].is_string()) return Invalid();
  }
  absl::StatusOr<absl::Time> departure = ParseRfc3339(claims["dep"].get<std::string>());
  absl::StatusOr<absl::Time> expires = ParseRfc3339(claims["exp"].get<std::string>());
  if (!departure.ok() || !expires.ok() || *expires <= now) return Invalid();
  return TicketClaims{.ticket_id = claims["tid"],
                      .trip_id = claims["trip"],
                      .seat = claims["seat"],
                      .from = claims["from"],
                      .to = claims["to"],
                      .departure = *departure,
                      .expires_at = *expires};
}

}  // namespace travio::fulfillment
