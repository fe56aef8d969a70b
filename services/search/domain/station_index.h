#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace travio::search {

struct StationEntry {
  std::string code;
  std::string name;
  std::string city;
  bool operator==(const StationEntry&) const = default;
};

/// Lower-case ASCII letters and digits, words separated by single spaces; apostrophes vanish
/// ("Cox's Bazar" -> "coxs bazar"). Other bytes (Bangla script) are kept as they are.
std::string NormalizeName(std::string_view text);

/// Damerau-Levenshtein distance (adjacent transpositions count one), up to `cap` + 1.
int EditDistance(std::string_view a, std::string_view b, int cap);

/// Stations found by code, by the prefix of a name, city or a word of them, by a former or
/// common name ("chittagong" for Chattogram), and despite typos: one edit in a query of three
/// to five characters, two from six ("chatogram", "coxs bazar"). Best matches first. Thread-safe.
class StationIndex {
 public:
  void Upsert(const StationEntry& station);
  std::vector<StationEntry> Find(std::string_view query, int limit) const;
  std::optional<StationEntry> ByCode(const std::string& code) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, StationEntry> stations_ ABSL_GUARDED_BY(mu_);
};

}  // namespace travio::search
