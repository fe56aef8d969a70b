#include "platform/trace/trace_context.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <utility>

namespace travio::trace {
namespace {

constexpr size_t kVersion0Length = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

thread_local const TraceContext* current = nullptr;

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsAllZero(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

bool IsSpanId(std::string_view text) {
  return text.size() == 16 && IsLowerHex(text) && !IsAllZero(text);
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

bool IsZero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

std::string Hex(std::span<const uint8_t> bytes) {
  std::string hex(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

// A span id nobody else will draw (never all zero).
std::string NewSpanId() {
  std::array<uint8_t, 8> bytes{};
  do {
    randombytes_buf(bytes.data(), bytes.size());
  } while (IsZero(bytes));
  return Hex(bytes);
}

}  // namespace

bool IsTraceId(std::string_view text) {
  return text.size() == 32 && IsLowerHex(text) && !IsAllZero(text);
}

std::optional<TraceContext> ParseTraceparent(std::string_view header) {
  if (header.size() < kVersion0Length) return std::nullopt;
  const std::string_view version = header.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  // Version 00 is exactly this long; a later version may append fields after a dash.
  if (version == "00" ? header.size() != kVersion0Length
                      : header.size() > kVersion0Length && header[kVersion0Length] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  const std::string_view trace_id = header.substr(3, 32);
  const std::string_view span_id = header.substr(36, 16);
  const std::string_view flags = header.substr(53, 2);
  if (!IsTraceId(trace_id) || !IsSpanId(span_id) || !IsLowerHex(flags)) return std::nullopt;
  return TraceContext{.trace_id = std::string(trace_id),
                      .span_id = std::string(span_id),
                      .sampled = (HexValue(flags[1]) & 1) != 0};
}

std::string Traceparent(const TraceContext& context) {
  return "00-" + context.trace_id + "-" + context.span_id + (context.sampled ? "-01" : "-00");
}

TraceContext NewTrace() {
  // The trace id and the first span id in one draw from the system's generator (a request's
  // hot path): 16 bytes, then 8.
  std::array<uint8_t, 24> bytes{};
  const std::span<const uint8_t> trace(bytes.data(), 16);
  const std::span<const uint8_t> span(bytes.data() + 16, 8);
  do {
    randombytes_buf(bytes.data(), bytes.size());
  } while (IsZero(trace) || IsZero(span));
  return {.trace_id = Hex(trace), .span_id = Hex(span), .sampled = false};
}

TraceContext ChildOf(const TraceContext& parent) {
  return {.trace_id = parent.trace_id, .span_id = NewSpanId(), .sampled = parent.sampled};
}

TraceContext Continue(std::optional<std::string_view> traceparent) {
  if (traceparent) {
    if (auto parent = ParseTraceparent(*traceparent)) return ChildOf(*parent);
  }
  return NewTrace();
}

const TraceContext* Current() { return current; }

Scope::Scope(TraceContext context) : context_(std::move(context)), previous_(current) {
  current = &context_;
}

Scope::~Scope() { current = previous_; }

ResumeScope::ResumeScope(std::string_view trace_id) {
  if (!IsTraceId(trace_id)) return;
  if (current != nullptr && current->trace_id == trace_id) return;
  scope_.emplace(ChildOf({.trace_id = std::string(trace_id), .span_id = "", .sampled = false}));
}

std::string CurrentTraceId() { return current != nullptr ? current->trace_id : std::string(); }

}  // namespace travio::trace
