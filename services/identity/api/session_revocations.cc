#include "services/identity/api/session_revocations.h"

#include <string>

namespace travio::identity {
namespace {

std::string Key(std::string_view session_id) {
  return "identity:revoked-session:" + std::string(session_id);
}

}  // namespace

absl::Status SessionRevocations::Revoke(std::string_view session_id) {
  // A minute of margin over the token lifetime covers the verifiers' clock leeway.
  return store_.Set(Key(session_id), "1", lifetime_ + absl::Minutes(1));
}

absl::StatusOr<bool> SessionRevocations::IsRevoked(std::string_view session_id) const {
  auto value = store_.Get(Key(session_id));
  if (!value.ok()) return value.status();
  return value->has_value();
}

}  // namespace travio::identity
