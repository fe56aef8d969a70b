#pragma once

// A deployment started for a test; what the cases of a suite that share one keep between them;
// the stations their trip networks run between, registered once per deployment.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/http_client.h"
#include "tests/e2e/api_basics.h"
#include "tests/e2e/deployments.h"

namespace travio::e2e {

/// A started deployment of `mode`; null when it did not start (the test fails, with the logs).
inline std::shared_ptr<Deployment> StartDeployment(Mode mode,
                                                   std::map<std::string, std::string> environment,
                                                   std::set<std::string> doubled = {}) {
  std::shared_ptr<Deployment> deployment;
  if (mode == Mode::kMonolith) {
    deployment = std::make_shared<Monolith>(std::move(environment), testing::FailTheTest);
  } else {
    deployment = std::make_shared<Microservices>(std::move(environment), testing::FailTheTest,
                                                 std::move(doubled));
  }
  const absl::Status started = deployment->Start();
  EXPECT_TRUE(started.ok()) << started << "\n" << deployment->Logs();
  return started.ok() ? deployment : nullptr;
}

/// What the cases of a suite that share a deployment (one CTest test per mode,
/// tests/e2e/CMakeLists.txt) keep between them in their test process, per mode: the deployment,
/// and whether its stations are registered. The suite's TearDownTestSuite clears it.
struct SharedDeployment {
  std::shared_ptr<Deployment> deployment;
  bool stations_registered = false;
};

/// The bodies that register the stations the suites' networks run between (Dhaka, Chattogram,
/// Cox's Bazar): once per deployment, as station codes are the platform's.
inline std::vector<json> NetworkStations() {
  std::vector<json> stations;
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"DHK", "Dhaka"}, {"CTG", "Chattogram"}, {"CXB", "Cox's Bazar"}}) {
    stations.push_back({{"code", code},
                        {"name", name},
                        {"city", name},
                        {"lat", 22.5},
                        {"lon", 91.0},
                        {"timezone", "Asia/Dhaka"}});
  }
  return stations;
}

/// Registers NetworkStations() through `client` as `token`'s organization (the deployment
/// lets any organization register stations); whether all were created.
inline bool RegisterNetworkStations(HttpClient& client, const std::string& token) {
  bool created = true;
  for (const json& station : NetworkStations()) {
    const HttpResult result =
        client.Send("POST", "/v1/catalog/stations", station.dump(),
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    EXPECT_EQ(result.status, 201) << result.body;
    created = created && result.status == 201;
  }
  return created;
}

}  // namespace travio::e2e
