#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace spdlog {
class logger;
}

namespace travio::log {

enum class Level { kDebug, kInfo, kWarn, kError };

/// A field value in a log line. Text is referenced, not copied: a field lives only for the call
/// that logs it.
class FieldValue {
 public:
  FieldValue(const char* text) : value_(std::string_view(text)) {}
  FieldValue(std::string_view text) : value_(text) {}
  FieldValue(const std::string& text) : value_(std::string_view(text)) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) FieldValue(T number)
      : value_(static_cast<int64_t>(number)) {}
  FieldValue(double number) : value_(number) {}
  FieldValue(bool flag) : value_(flag) {}

  const std::variant<std::string_view, int64_t, double, bool>& value() const { return value_; }

 private:
  std::variant<std::string_view, int64_t, double, bool> value_;
};
using Field = std::pair<std::string_view, FieldValue>;

/// Writes one JSON object per line: `{"ts","level","msg",...fields}`, with the `trace_id` of the
/// calling thread's trace when it has one (platform/trace). Cheap to copy; copies
/// share the sink. Thread-safe. Never log secrets: tokens, passwords and keys stay out of
/// fields by convention, and request bodies are never logged.
class Logger {
 public:
  /// A logger writing to standard error.
  static Logger ToStderr(Level level);
  /// A logger appending to `lines` (tests).
  static Logger ToVector(Level level, std::shared_ptr<std::vector<std::string>> lines);

  /// A logger that adds `fields` to every line (e.g. {"module","identity"}).
  Logger With(std::initializer_list<Field> fields) const;

  void Debug(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kDebug, message, fields);
  }
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kInfo, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kWarn, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kError, message, fields);
  }
  bool Enabled(Level level) const { return level >= level_; }

 private:
  Logger(std::shared_ptr<spdlog::logger> sink, Level level);
  void Write(Level level, std::string_view message, std::initializer_list<Field> fields) const;

  std::shared_ptr<spdlog::logger> sink_;
  Level level_;
  std::string context_;  // pre-rendered `,"key":value` pairs from With()
};

/// Parses "debug", "info", "warn" or "error".
bool ParseLevel(std::string_view text, Level* level);

}  // namespace travio::log
