#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace travio::http {

/// An address in its one canonical text form: IPv4 dotted quads (an IPv4-mapped IPv6 address
/// such as `::ffff:203.0.113.7` counts as the IPv4 address it maps), IPv6 as inet_ntop writes
/// it. nullopt for anything that is not an IP address. Brackets (`[::1]`) are accepted.
std::optional<std::string> CanonicalAddress(std::string_view text);

/// The block one party is likely to control, for per-address limits: an IPv4 address itself,
/// an IPv6 address's /64 (one subscriber's prefix), as canonical text ("2001:db8:1:2::/64").
/// Text that is not an address is returned as it is.
std::string AddressBlock(std::string_view address);

/// The networks whose connections may say who the client is (`http.trusted_proxies`: load
/// balancers and reverse proxies in front of the gateway).
class TrustedProxies {
 public:
  /// A comma-separated list of addresses and CIDR networks ("10.0.0.0/8, ::1, fd00::/8");
  /// empty trusts nobody. kInvalidArgument naming the entry that is neither.
  static absl::StatusOr<TrustedProxies> Parse(std::string_view list);

  bool Contains(std::string_view address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<uint8_t, 16> bytes;  // IPv4 as IPv4-mapped IPv6
    int prefix;                     // in bits, of the 128
  };
  std::vector<Network> networks_;
};

/// The client's address for limits and logs: the socket peer's, unless the peer is a trusted
/// proxy; then `X-Forwarded-For` (all its header lines, in order) is read from the right, each
/// trusted proxy skipped, and the first address that is not one is the client. An entry that
/// is not an address stops the walk at the last trusted hop, so a client cannot forge its way
/// past the proxies (they append, never rewrite). Always canonical.
std::string ClientAddress(std::string_view peer, const std::vector<std::string>& forwarded_for,
                          const TrustedProxies& proxies);

}  // namespace travio::http
