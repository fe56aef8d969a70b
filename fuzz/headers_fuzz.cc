// The headers the gateway's limits read: `Idempotency-Key` (services/gateway/security/
// idempotency.h) and `X-Forwarded-For` with `http.trusted_proxies` (platform/http/
// client_address.h). Nothing crashes; a client address is always canonical; a request with a
// usable key runs its handler once and replays the same answer; one without runs nothing.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz/fuzz_keys.h"
#include "platform/base/clock.h"
#include "platform/http/client_address.h"
#include "platform/kv/memory_store.h"
#include "platform/paging/paging.h"
#include "services/gateway/security/idempotency.h"

namespace travio::fuzz {
namespace {

void ForwardedFor(FuzzedDataProvider& input) {
  absl::StatusOr<http::TrustedProxies> proxies =
      http::TrustedProxies::Parse(input.ConsumeRandomLengthString(128));
  if (!proxies.ok()) proxies = http::TrustedProxies::Parse("127.0.0.0/8, ::1, 10.0.0.0/8");
  std::vector<std::string> lines;
  const int count = input.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < count; ++i) lines.push_back(input.ConsumeRandomLengthString(256));
  const std::string peer = input.ConsumeBool() ? "127.0.0.1" : "::ffff:10.1.2.3";
  const std::string client = http::ClientAddress(peer, lines, *proxies);
  if (http::CanonicalAddress(client) != client) Violated("the client address is canonical");
  (void)http::AddressBlock(client);
  const std::string anything = input.ConsumeRandomLengthString(64);
  (void)http::CanonicalAddress(anything);
  (void)http::AddressBlock(anything);
  (void)proxies->Contains(anything);
}

void IdempotencyKey(FuzzedDataProvider& input) {
  static ManualClock clock;
  static const std::unique_ptr<kv::KeyValueStore> store = kv::MakeMemoryStore(clock);
  static const gateway::Idempotency idempotency(*store, clock, {.keys_per_caller_per_day = 0});
  clock.Advance(absl::Hours(25));  // what earlier inputs kept has expired
  http::Request request;
  request.method = "POST";
  request.path = "/v1/orders";
  request.route = "/v1/orders";
  request.headers.emplace("Idempotency-Key", input.ConsumeRandomLengthString(300));
  const int status = input.PickValueInArray({201, 200, 400, 409, 422, 500, 503});
  const std::string answer = input.ConsumeRandomLengthString(512);
  request.body = input.ConsumeRemainingBytesAsString();
  int runs = 0;
  auto handler = [&] {
    ++runs;
    return http::Response::Text(status, answer, "application/json");
  };
  const http::Response first = idempotency.Run(request, "caller", handler);
  const http::Response second = idempotency.Run(request, "caller", handler);
  if (first.status == 400 && runs == 0) return;  // no usable key: nothing ran
  if (runs == 0) Violated("a request with a usable key runs");
  const bool kept = status < 500 && status != 400 && status != 422;
  if (!kept && runs != 2) Violated("an answer that is not kept lets a retry run again");
  http::Request other = request;
  other.body += "x";
  const http::Response reused = idempotency.Run(other, "caller", handler);
  if (kept && reused.status != 422) Violated("the key with another request is refused");
  if (kept && (runs != 1 || second.status != status || second.body != answer)) {
    Violated("a kept answer is replayed as it was, the handler run once");
  }
}

// Request targets and list cursors: the path as the server decodes it, the query as routes
// read it, `?cursor=` as lists read it.
void TargetAndCursor(FuzzedDataProvider& input) {
  const std::string raw = input.ConsumeRandomLengthString(256);
  std::optional<std::string> path = http::PercentDecode(raw, false);
  std::optional<std::string> query = http::PercentDecode(raw, true);
  if (path && path->size() > raw.size()) Violated("decoding never lengthens");
  (void)query;
  http::Request request;
  request.query = input.ConsumeRandomLengthString(256);
  (void)request.Query("cursor");
  (void)request.Query(input.ConsumeRandomLengthString(16));
  PageRequest page{.limit = input.ConsumeIntegralInRange<int>(-5, 500),
                   .cursor = input.ConsumeRemainingBytesAsString()};
  absl::StatusOr<std::optional<ListPosition>> start = PageStart(page);
  if (start.ok() && *start) {
    // A cursor that is read back is one this code could have written.
    absl::StatusOr<std::optional<ListPosition>> again =
        PageStart({.limit = page.limit, .cursor = CursorAfter(**start)});
    if (!again.ok() || !*again || (*again)->at != (*start)->at || (*again)->id != (*start)->id) {
      Violated("a cursor round-trips");
    }
  }
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  switch (input.ConsumeIntegralInRange(0, 2)) {
    case 0:
      travio::fuzz::ForwardedFor(input);
      break;
    case 1:
      travio::fuzz::IdempotencyKey(input);
      break;
    default:
      travio::fuzz::TargetAndCursor(input);
      break;
  }
  return 0;
}
