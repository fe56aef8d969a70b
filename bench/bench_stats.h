#pragma once

// Latency bookkeeping shared by the benchmark programs.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace travio::bench {

/// Latencies in microseconds from many threads; percentiles at the end.
class Latencies {
 public:
  void Add(std::vector<double> samples) {
    std::lock_guard lock(mutex_);
    all_.insert(all_.end(), samples.begin(), samples.end());
  }
  double Percentile(double p) {
    std::lock_guard lock(mutex_);
    if (all_.empty()) return 0;
    std::sort(all_.begin(), all_.end());
    const size_t index = std::min(all_.size() - 1, static_cast<size_t>(p * all_.size()));
    return all_[index];
  }
  size_t size() {
    std::lock_guard lock(mutex_);
    return all_.size();
  }

 private:
  std::mutex mutex_;
  std::vector<double> all_;
};

inline double MicrosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
      .count();
}

/// "name value" lines, easy to read and to grep from the driving script.
inline void Report(const std::string& name, double value, const char* unit) {
  std::printf("%-40s %12.1f %s\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

/// A ratio of two rates, with the two decimals a ratio needs (as the scripts print theirs).
inline void ReportRatio(const std::string& name, double value) {
  std::printf("%-40s %12.2f\n", name.c_str(), value);
  std::fflush(stdout);
}

}  // namespace travio::bench
