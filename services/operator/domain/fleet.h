#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/base/errors.h"

namespace travio::fleet {

/// api.md's bus classes.
enum class BusClass { kSeater, kSemiSleeper, kSleeper };
std::string_view BusClassName(BusClass value);
std::optional<BusClass> ParseBusClass(std::string_view name);

/// What a staff member is hired as (api.md).
enum class StaffRole { kDriver, kConductor, kHelper };
std::string_view StaffRoleName(StaffRole role);
std::optional<StaffRole> ParseStaffRole(std::string_view name);

/// A registration plate in its canonical form: upper case, single spaces, trimmed
/// ("dhaka metro-ba  11-2345" -> "DHAKA METRO-BA 11-2345"). Letters, digits, spaces and
/// hyphens, 2 to 32 characters; nullopt otherwise. Plates are unique per organization in this
/// form, so two spellings of one plate collide.
std::optional<std::string> NormalizePlate(std::string_view plate);

/// Amenities as lower-case tokens ("wifi", "usb_charging"), at most 20, each 1..32 characters
/// of [a-z0-9_], duplicates dropped, order kept. Appends field errors for the bad ones.
std::vector<std::string> NormalizeAmenities(const std::vector<std::string>& amenities,
                                            std::vector<FieldError>& errors);

/// A phone number as digits with an optional leading '+', separators (spaces, hyphens,
/// parentheses, dots) removed; 6 to 16 digits. nullopt otherwise.
std::optional<std::string> NormalizePhone(std::string_view phone);

/// A person's or a bus's display name: trimmed, 1..max_bytes bytes of valid UTF-8 without
/// control characters. nullopt otherwise.
std::optional<std::string> NormalizeName(std::string_view name, size_t max_bytes);

}  // namespace travio::fleet
