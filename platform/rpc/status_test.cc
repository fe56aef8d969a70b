#include "platform/rpc/status.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"

namespace travio::rpc {
namespace {

TEST(StatusMapping, ReasonAndFieldErrorsCrossTheWire) {
  const absl::Status original = WithFieldErrors(
      Error(absl::StatusCode::kInvalidArgument, "weak_password", "Password is too weak."),
      {{"password", "at least 12 characters"}, {"when", "undeclared reference to 'trp'", 1, 9}});
  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), "Password is too weak.");

  const absl::Status received = FromGrpcStatus(wire);
  EXPECT_EQ(received.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(received.message(), "Password is too weak.");
  EXPECT_EQ(ReasonOf(received), "weak_password");
  EXPECT_EQ(FieldErrorsOf(received),
            (std::vector<FieldError>{{"password", "at least 12 characters"},
                                     {"when", "undeclared reference to 'trp'", 1, 9}}));
}

TEST(StatusMapping, ProblemFieldsCrossTheWire) {
  const std::vector<ProblemField> fields = {
      {"quota", std::string("buses")}, {"limit", int64_t{3}}, {"used", int64_t{3}}};
  const absl::Status received = FromGrpcStatus(ToGrpcStatus(WithProblemFields(
      Error(absl::StatusCode::kResourceExhausted, "plan_limit_reached", "Full."), fields)));
  EXPECT_EQ(ProblemFieldsOf(received), fields);
  EXPECT_EQ(ReasonOf(received), "plan_limit_reached");
  EXPECT_TRUE(ProblemFieldsOf(FromGrpcStatus(ToGrpcStatus(absl::AbortedError("x")))).empty());
}

TEST(StatusMapping, ProblemListsCrossTheWire) {
  const absl::Status original =
      WithProblemList(Error(absl::StatusCode::kAlreadyExists, "seats_unavailable", "Taken: A2."),
                      {"unavailable", {"A2", "B1"}});
  const absl::Status received = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(ProblemListOf(received), (ProblemList{"unavailable", {"A2", "B1"}}));
  EXPECT_FALSE(ProblemListOf(FromGrpcStatus(ToGrpcStatus(absl::AbortedError("x")))));
}

TEST(StatusMapping, EveryCanonicalCodeKeepsItsMeaning) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status original(static_cast<absl::StatusCode>(code), code == 0 ? "" : "message");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)).code(), original.code()) << code;
  }
}

TEST(StatusMapping, TransportFailuresWithoutDetailsStayUnavailable) {
  const absl::Status received =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect", "\xff\x01"));
  EXPECT_EQ(received.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(received), "");
}

}  // namespace
}  // namespace travio::rpc
