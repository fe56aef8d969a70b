#pragma once

// JSON and CEL values, for the rule editor's trial runs (POST /v1/pricing/evaluate). The header
// shows only CEL types, so the app layer may use it; JSON stays in the .cc.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/cel/program.h"

namespace travio::pricing {

/// Reads a JSON object of variable names to values. A declared variable reads as its declared
/// type (an object's known fields too: `trip.departure` from an RFC 3339 string); any other
/// value as JSON reads naturally: integers as int, other numbers as double, strings, bools,
/// null, arrays as lists and objects as maps. kInvalidArgument `validation_failed` naming the
/// binding (`bindings.trip.departure`) that does not read, or that is too large (64 KiB in all,
/// 4 KiB per string, 1,000 items per list or object, 16 levels).
absl::StatusOr<cel::Activation> BindingsFromJson(absl::string_view json, const cel::Env& env);

/// A value as JSON text: numbers as numbers (NaN and infinities as strings), bytes as base64,
/// timestamps as RFC 3339, durations as "1.5s", maps as objects with their keys as strings,
/// types by name.
std::string ValueToJson(const cel::Value& value);

}  // namespace travio::pricing
