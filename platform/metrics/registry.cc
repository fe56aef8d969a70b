#include "platform/metrics/registry.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace travio::metrics {
namespace {

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string FormatNumber(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

std::string LabelSet(const std::vector<std::string>& names, const Labels& values,
                     const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"", EscapeLabelValue(values[i]),
                    "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra);
  return out.empty() ? "" : "{" + out + "}";
}

void Header(std::ostringstream& out, const std::string& name, const std::string& help,
            const char* type) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

// Process metrics as the Prometheus client libraries name them, read from /proc.
void RenderProcessMetrics(std::ostringstream& out) {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const size_t after_name = stat.rfind(')');
  if (after_name == std::string::npos) return;
  std::vector<std::string> fields = absl::StrSplit(stat.substr(after_name + 2), ' ');
  // Fields after the name start at field 3 (state); utime is 14, stime 15, starttime 22,
  // vsize 23, rss 24.
  auto field = [&fields](int number) -> double {
    const size_t index = static_cast<size_t>(number - 3);
    return index < fields.size() ? std::strtod(fields[index].c_str(), nullptr) : 0;
  };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  double boot_time = 0;
  std::ifstream system_stat("/proc/stat");
  for (std::string line; std::getline(system_stat, line);) {
    if (line.rfind("btime ", 0) == 0) boot_time = std::strtod(line.c_str() + 6, nullptr);
  }
  size_t open_fds = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++open_fds;
  }

  Header(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
         "counter");
  out << "process_cpu_seconds_total " << FormatNumber((field(14) + field(15)) / ticks) << '\n';
  Header(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
  out << "process_resident_memory_bytes " << FormatNumber(field(24) * page) << '\n';
  Header(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge");
  out << "process_virtual_memory_bytes " << FormatNumber(field(23)) << '\n';
  Header(out, "process_open_fds", "Number of open file descriptors.", "gauge");
  out << "process_open_fds " << open_fds << '\n';
  Header(out, "process_start_time_seconds", "Start time of the process since unix epoch.", "gauge");
  out << "process_start_time_seconds " << FormatNumber(boot_time + field(22) / ticks) << '\n';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::Observe(double value) {
  const size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> cumulative(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    cumulative[i] = running;
  }
  return cumulative;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct Registry::Impl {
  std::mutex mutex;
  std::vector<std::unique_ptr<Family<Counter>>> counters;
  std::vector<std::unique_ptr<Family<Gauge>>> gauges;
  std::vector<std::unique_ptr<Family<Histogram>>> histograms;
  struct CallbackGauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<CallbackGauge> callback_gauges;
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> label_names) {
  std::lock_guard lock(impl_->mutex);
  impl_->counters.push_back(std::make_unique<Family<Counter>>(
      name, help, std::move(label_names), [] { return std::make_unique<Counter>(); }));
  return *impl_->counters.back();
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help,
                                  std::vector<std::string> label_names) {
  std::lock_guard lock(impl_->mutex);
  impl_->gauges.push_back(std::make_unique<Family<Gauge>>(
      name, help, std::move(label_names), [] { return std::make_unique<Gauge>(); }));
  return *impl_->gauges.back();
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  std::lock_guard lock(impl_->mutex);
  impl_->histograms.push_back(std::make_unique<Family<Histogram>>(
      name, help, std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); }));
  return *impl_->histograms.back();
}

void Registry::AddCallbackGauge(const std::string& name, const std::string& help,
                                std::function<double()> read) {
  std::lock_guard lock(impl_->mutex);
  impl_->callback_gauges.push_back({name, help, std::move(read)});
}

std::string Registry::Render() const {
  std::ostringstream out;
  std::lock_guard lock(impl_->mutex);
  for (const auto& family : impl_->counters) {
    Header(out, family->name(), family->help(), "counter");
    family->ForEach([&](const Labels& labels, const Counter& counter) {
      out << family->name() << LabelSet(family->label_names(), labels) << ' '
          << FormatNumber(counter.value()) << '\n';
    });
  }
  for (const auto& family : impl_->gauges) {
    Header(out, family->name(), family->help(), "gauge");
    family->ForEach([&](const Labels& labels, const Gauge& gauge) {
      out << family->name() << LabelSet(family->label_names(), labels) << ' '
          << FormatNumber(gauge.value()) << '\n';
    });
  }
  for (const auto& gauge : impl_->callback_gauges) {
    Header(out, gauge.name, gauge.help, "gauge");
    out << gauge.name << ' ' << FormatNumber(gauge.read()) << '\n';
  }
  for (const auto& family : impl_->histograms) {
    Header(out, family->name(), family->help(), "histogram");
    family->ForEach([&](const Labels& labels, const Histogram& histogram) {
      const auto cumulative = histogram.CumulativeCounts();
      const auto& names = family->label_names();
      for (size_t i = 0; i < histogram.bounds().size(); ++i) {
        out << family->name() << "_bucket"
            << LabelSet(names, labels, "le=\"" + FormatNumber(histogram.bounds()[i]) + "\"") << ' '
            << cumulative[i] << '\n';
      }
      out << family->name() << "_bucket" << LabelSet(names, labels, "le=\"+Inf\"") << ' '
          << cumulative.back() << '\n';
      out << family->name() << "_sum" << LabelSet(names, labels) << ' '
          << FormatNumber(histogram.sum()) << '\n';
      out << family->name() << "_count" << LabelSet(names, labels) << ' ' << cumulative.back()
          << '\n';
    });
  }
  RenderProcessMetrics(out);
  return out.str();
}

}  // namespace travio::metrics
