#pragma once

// Names of enum values as they appear on the wire and in storage ("pending_payment"), kept in
// one table per enum:
//
//   inline constexpr EnumName<OrderStatus> kOrderStatusNames[] = {
//       {OrderStatus::kPendingPayment, "pending_payment"}, ...};
//   std::string_view name = NameOf(kOrderStatusNames, status);
//   std::optional<OrderStatus> status = ParseName(kOrderStatusNames, "confirmed");

#include <cstddef>
#include <optional>
#include <string_view>

namespace travio {

template <typename Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

/// The name of `value`; empty for a value missing from the table.
template <typename Enum, size_t N>
constexpr std::string_view NameOf(const EnumName<Enum> (&table)[N], Enum value) {
  for (const EnumName<Enum>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return {};
}

/// The value named `name`, if the table has it.
template <typename Enum, size_t N>
constexpr std::optional<Enum> ParseName(const EnumName<Enum> (&table)[N], std::string_view name) {
  for (const EnumName<Enum>& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace travio
