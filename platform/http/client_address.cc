#include "platform/http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platform/base/absl_interop.h"

namespace travio::http {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// The 16 bytes of an address, IPv4 as IPv4-mapped IPv6.
std::optional<std::array<uint8_t, 16>> Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);
  std::array<uint8_t, 16> bytes{};
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    std::memcpy(bytes.data(), kMappedPrefix.data(), kMappedPrefix.size());
    std::memcpy(bytes.data() + 12, &v4, 4);
    return bytes;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return bytes;
  }
  return std::nullopt;
}

bool IsMapped(const std::array<uint8_t, 16>& bytes) {
  return std::memcmp(bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0;
}

std::string Format(const std::array<uint8_t, 16>& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (IsMapped(bytes)) {
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

}  // namespace

std::optional<std::string> CanonicalAddress(std::string_view text) {
  auto bytes = Parse(text);
  if (!bytes) return std::nullopt;
  return Format(*bytes);
}

std::string AddressBlock(std::string_view address) {
  auto bytes = Parse(address);
  if (!bytes) return std::string(address);
  if (IsMapped(*bytes)) return Format(*bytes);
  std::fill(bytes->begin() + 8, bytes->end(), 0);
  return Format(*bytes) + "/64";
}

absl::StatusOr<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies proxies;
  for (absl::string_view raw : absl::StrSplit(ToAbsl(list), ',', absl::SkipWhitespace())) {
    const absl::string_view entry = absl::StripAsciiWhitespace(raw);
    const size_t slash = entry.find('/');
    const absl::string_view address = entry.substr(0, slash);
    auto bytes = http::Parse(ToStd(address));
    if (!bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("trusted proxy \"", entry, "\" is not an address or CIDR network"));
    }
    const bool v4 = IsMapped(*bytes) && address.find(':') == absl::string_view::npos;
    int prefix = 128;
    if (slash != absl::string_view::npos) {
      int bits = -1;
      if (!absl::SimpleAtoi(entry.substr(slash + 1), &bits) || bits < 0 || bits > (v4 ? 32 : 128)) {
        return absl::InvalidArgumentError(
            absl::StrCat("trusted proxy \"", entry, "\" has an invalid prefix length"));
      }
      prefix = v4 ? 96 + bits : bits;
    }
    proxies.networks_.push_back({*bytes, prefix});
  }
  return proxies;
}

bool TrustedProxies::Contains(std::string_view address) const {
  auto bytes = http::Parse(address);
  if (!bytes) return false;
  for (const Network& network : networks_) {
    const int whole = network.prefix / 8;
    const int rest = network.prefix % 8;
    if (std::memcmp(bytes->data(), network.bytes.data(), static_cast<size_t>(whole)) != 0) {
      continue;
    }
    if (rest == 0) return true;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
    if (((*bytes)[whole] & mask) == (network.bytes[whole] & mask)) return true;
  }
  return false;
}

std::string ClientAddress(std::string_view peer, const std::vector<std::string>& forwarded_for,
                          const TrustedProxies& proxies) {
  std::string client = CanonicalAddress(peer).value_or(std::string(peer));
  if (proxies.empty() || !proxies.Contains(client)) return client;
  std::vector<std::string> hops;
  for (const std::string& line : forwarded_for) {
    for (absl::string_view hop : absl::StrSplit(line, ',')) {
      hops.emplace_back(absl::StripAsciiWhitespace(hop));
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    std::optional<std::string> address = CanonicalAddress(*hop);
    if (!address) break;  // garbage: the last trusted hop is all we know
    client = *address;
    if (!proxies.Contains(client)) break;
  }
  return client;
}

}  // namespace travio::http
