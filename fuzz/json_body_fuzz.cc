// Request bodies (services/gateway/routes/json_body.h), the reader every route's body goes
// through: any bytes as a body, read by a sequence of field reads of every kind that the input
// chooses, over the field names the API uses. Reading never throws or crashes, and the verdict
// is OK or 400 `validation_failed`, never anything else.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz/fuzz_keys.h"
#include "platform/base/errors.h"
#include "services/gateway/routes/json_body.h"

namespace {

constexpr const char* kFields[] = {"name",  "email", "seats", "trip_id", "from",    "to",
                                   "rows",  "mode",  "lat",   "layout",  "stops",   "opens_at",
                                   "price", "code",  "cells", "",        "a\"b\\c", "\xff\xfe"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using travio::gateway::JsonBody;
  FuzzedDataProvider input(data, size);
  const bool may_be_empty = input.ConsumeBool();
  const int reads = input.ConsumeIntegralInRange(0, 12);
  std::vector<std::pair<int, std::string>> plan;
  for (int i = 0; i < reads; ++i) {
    plan.emplace_back(input.ConsumeIntegralInRange(0, 10), input.PickValueInArray(kFields));
  }
  travio::http::Request request;
  request.method = "POST";
  const char* const content_types[] = {"application/json", "Application/JSON; charset=utf-8",
                                       "text/plain", "application/jsonx"};
  if (input.ConsumeBool())
    request.headers.emplace("Content-Type", input.PickValueInArray(content_types));
  request.body = input.ConsumeRemainingBytesAsString();
  absl::StatusOr<JsonBody> body = JsonBody::Parse(request, may_be_empty);
  if (!body.ok()) {
    const std::string reason = travio::ReasonOf(body.status());
    if (reason != "malformed_json" && reason != "unsupported_media_type") {
      travio::fuzz::Violated("an unreadable body is malformed_json or unsupported_media_type");
    }
    return 0;
  }
  for (const auto& [kind, field] : plan) {
    switch (kind) {
      case 0:
        (void)body->Required(field, 8);
        break;
      case 1:
        (void)body->Optional(field);
        break;
      case 2:
        (void)body->Bool(field, false);
        break;
      case 3:
        (void)body->OptionalBool(field);
        break;
      case 4:
        (void)body->Int(field, -5, 5);
        break;
      case 5:
        (void)body->OptionalInt(field, 0, INT64_MAX);
        break;
      case 6:
        (void)body->Number(field, -90, 90);
        break;
      case 7:
        (void)body->Strings(field, 3, 4);
        break;
      case 8:
        (void)body->OptionalStrings(field, 40, 16);
        break;
      case 9:
        (void)body->Raw(field, true);
        break;
      default:
        (void)body->Has(field);
        break;
    }
  }
  const absl::Status verdict = body->Finish();
  if (!verdict.ok() && travio::ReasonOf(verdict) != "validation_failed") {
    travio::fuzz::Violated("field problems are a 400 validation_failed");
  }
  return 0;
}
