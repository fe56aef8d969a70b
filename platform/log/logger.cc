#include "platform/log/logger.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/trace/trace_context.h"

namespace travio::log {
namespace {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

void AppendField(std::string& out, std::string_view key, const FieldValue& value) {
  out.push_back(',');
  out += nlohmann::json(std::string(key)).dump();
  out.push_back(':');
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          // Invalid UTF-8 (from a client, say) is replaced rather than breaking the line.
          out += nlohmann::json(std::string(v))
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else {
          out += nlohmann::json(v).dump();
        }
      },
      value.value());
}

// Collects lines for tests.
class VectorSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit VectorSink(std::shared_ptr<std::vector<std::string>> lines) : lines_(std::move(lines)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    lines_->emplace_back(message.payload.data(), message.payload.size());
  }
  void flush_() override {}

 private:
  std::shared_ptr<std::vector<std::string>> lines_;
};

std::shared_ptr<spdlog::logger> MakeSink(spdlog::sink_ptr sink) {
  auto logger = std::make_shared<spdlog::logger>("travio", std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);
  return logger;
}

}  // namespace

Logger::Logger(std::shared_ptr<spdlog::logger> sink, Level level)
    : sink_(std::move(sink)), level_(level) {}

Logger Logger::ToStderr(Level level) {
  return Logger(MakeSink(std::make_shared<spdlog::sinks::stderr_sink_mt>()), level);
}

Logger Logger::ToVector(Level level, std::shared_ptr<std::vector<std::string>> lines) {
  return Logger(MakeSink(std::make_shared<VectorSink>(std::move(lines))), level);
}

Logger Logger::With(std::initializer_list<Field> fields) const {
  Logger child = *this;
  for (const auto& [key, value] : fields) AppendField(child.context_, key, value);
  return child;
}

void Logger::Write(Level level, std::string_view message,
                   std::initializer_list<Field> fields) const {
  if (!Enabled(level)) return;
  std::string line = "{\"ts\":\"";
  line += absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\"";
  AppendField(line, "msg", message);
  line += context_;
  // The trace of the work this line is part of, so that every process's lines for one request
  // can be found together (trace_context.h).
  if (const trace::TraceContext* trace = trace::Current(); trace != nullptr) {
    AppendField(line, "trace_id", trace->trace_id);
  }
  for (const auto& [key, value] : fields) AppendField(line, key, value);
  line.push_back('}');
  sink_->info(line);
}

bool ParseLevel(std::string_view text, Level* level) {
  for (Level candidate : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace travio::log
