#include "services/search/domain/station_index.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "absl/strings/str_split.h"

namespace travio::search {
namespace {

// Names Bangladeshi travellers still type for places that were renamed or are spelled
// several ways (official name -> others), matched like the names themselves.
const std::multimap<std::string, std::string>& OtherNames() {
  static const auto* const names = new std::multimap<std::string, std::string>{
      {"chattogram", "chittagong"}, {"chattogram", "ctg"},
      {"cumilla", "comilla"},       {"jashore", "jessore"},
      {"barishal", "barisal"},      {"bogura", "bogra"},
      {"dhaka", "dacca"},           {"coxs bazar", "cox bazar"},
      {"coxs bazar", "coxsbazar"},  {"chapai nawabganj", "nawabganj"},
      {"sylhet", "srihatta"},       {"narayanganj", "narayangonj"},
  };
  return *names;
}

std::vector<std::string> Words(const std::string& text) {
  return absl::StrSplit(text, ' ', absl::SkipEmpty());
}

int Allowed(size_t length) {
  if (length < 3) return 0;
  return length < 6 ? 1 : 2;
}

// How well `query` (normalized) names `candidate` (normalized): 0 exact, 1 prefix, 2 a typo
// away; nullopt when it does not.
std::optional<std::pair<int, int>> Score(const std::string& query, const std::string& candidate) {
  if (candidate.empty()) return std::nullopt;
  if (candidate == query) return std::make_pair(0, 0);
  if (candidate.rfind(query, 0) == 0) return std::make_pair(1, 0);
  const int allowed = Allowed(query.size());
  if (allowed == 0) return std::nullopt;
  // A typo in what was typed so far: compare with the candidate's prefixes of about that length.
  int best = allowed + 1;
  for (size_t length = query.size() > 1 ? query.size() - 1 : 1; length <= query.size() + 1;
       ++length) {
    if (length > candidate.size()) break;
    best =
        std::min(best, EditDistance(query, std::string_view(candidate).substr(0, length), allowed));
  }
  best = std::min(best, EditDistance(query, candidate, allowed));
  if (best <= allowed) return std::make_pair(2, best);
  return std::nullopt;
}

}  // namespace

std::string NormalizeName(std::string_view text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (c == '\'' || c == '`') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b, int cap) {
  const size_t n = a.size();
  const size_t m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > cap) return cap + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return std::min(d[n][m], cap + 1);
}

void StationIndex::Upsert(const StationEntry& station) {
  absl::MutexLock lock(&mu_);
  stations_[station.code] = station;
}

std::vector<StationEntry> StationIndex::Find(std::string_view raw, int limit) const {
  const std::string query = NormalizeName(raw);
  if (query.empty()) return {};
  std::vector<std::tuple<int, int, std::string, StationEntry>> found;
  absl::MutexLock lock(&mu_);
  for (const auto& [code, station] : stations_) {
    std::vector<std::string> names = {NormalizeName(station.name), NormalizeName(station.city)};
    for (size_t i = 0, known = names.size(); i < known; ++i) {
      auto [begin, end] = OtherNames().equal_range(names[i]);
      for (auto it = begin; it != end; ++it) names.push_back(it->second);
    }
    std::optional<std::pair<int, int>> best;
    if (NormalizeName(code) == query) best = std::make_pair(0, 0);
    for (const std::string& name : names) {
      std::vector<std::string> candidates = {name};
      for (const std::string& word : Words(name)) candidates.push_back(word);
      for (const std::string& candidate : candidates) {
        auto score = Score(query, candidate);
        if (score && (!best || *score < *best)) best = score;
      }
    }
    if (best) found.emplace_back(best->first, best->second, station.name, station);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  std::vector<StationEntry> out;
  for (const auto& entry : found) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::get<3>(entry));
  }
  return out;
}

std::optional<StationEntry> StationIndex::ByCode(const std::string& code) const {
  absl::MutexLock lock(&mu_);
  auto it = stations_.find(code);
  if (it == stations_.end()) return std::nullopt;
  return it->second;
}

}  // namespace travio::search
