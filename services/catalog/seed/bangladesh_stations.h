#pragma once

#include <span>
#include <string_view>

namespace travio::catalog {

/// One bus station of the demo dataset, written by the project from public geographic facts
/// (city centre or main bus terminal coordinates, rounded to four decimals).
struct DemoStation {
  std::string_view code;  // three upper-case letters, unique ("DHK")
  std::string_view name;  // the station as travellers know it ("Dhaka (Gabtoli)")
  std::string_view city;  // the city or town ("Dhaka")
  double lat;
  double lon;
};

/// The major bus stations of Bangladesh: every divisional city, district towns on the busy
/// corridors, tourist and border towns. All in Asia/Dhaka.
std::span<const DemoStation> BangladeshStations();

}  // namespace travio::catalog
