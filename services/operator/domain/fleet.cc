#include "services/operator/domain/fleet.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "platform/base/absl_interop.h"
#include "platform/base/text.h"

namespace travio::fleet {
namespace {

constexpr std::array<std::pair<BusClass, std::string_view>, 3> kClasses = {{
    {BusClass::kSeater, "seater"},
    {BusClass::kSemiSleeper, "semi_sleeper"},
    {BusClass::kSleeper, "sleeper"},
}};
constexpr std::array<std::pair<StaffRole, std::string_view>, 3> kRoles = {{
    {StaffRole::kDriver, "driver"},
    {StaffRole::kConductor, "conductor"},
    {StaffRole::kHelper, "helper"},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [value, candidate] : table) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view BusClassName(BusClass value) { return NameOf(kClasses, value); }
std::optional<BusClass> ParseBusClass(std::string_view name) { return Parse(kClasses, name); }
std::string_view StaffRoleName(StaffRole role) { return NameOf(kRoles, role); }
std::optional<StaffRole> ParseStaffRole(std::string_view name) { return Parse(kRoles, name); }

std::optional<std::string> NormalizePlate(std::string_view plate) {
  std::string out;
  bool pending_space = false;
  for (char c : plate) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return std::nullopt;
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (out.size() < 2 || out.size() > 32) return std::nullopt;
  return out;
}

std::vector<std::string> NormalizeAmenities(const std::vector<std::string>& amenities,
                                            std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  if (amenities.size() > 20) {
    errors.push_back({"amenities", "at most 20 amenities"});
    return out;
  }
  for (size_t i = 0; i < amenities.size(); ++i) {
    const std::string token = absl::AsciiStrToLower(amenities[i]);
    const bool valid =
        !token.empty() && token.size() <= 32 && std::all_of(token.begin(), token.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
    if (!valid) {
      errors.push_back({absl::StrCat("amenities[", i, "]"),
                        "must be 1 to 32 characters of a-z, 0-9 and _ (\"wifi\")"});
      continue;
    }
    if (std::find(out.begin(), out.end(), token) == out.end()) out.push_back(token);
  }
  return out;
}

std::optional<std::string> NormalizePhone(std::string_view phone) {
  std::string out;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c == '+' && out.empty()) {
      out.push_back(c);
    } else if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return std::nullopt;
    }
  }
  const size_t digits = out.size() - (!out.empty() && out[0] == '+' ? 1 : 0);
  if (digits < 6 || digits > 16) return std::nullopt;
  return out;
}

std::optional<std::string> NormalizeName(std::string_view name, size_t max_bytes) {
  const std::string_view trimmed = ToStd(absl::StripAsciiWhitespace(ToAbsl(name)));
  if (trimmed.empty() || trimmed.size() > max_bytes || !IsPrintableUtf8(trimmed))
    return std::nullopt;
  return std::string(trimmed);
}

}  // namespace travio::fleet
