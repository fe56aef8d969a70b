#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace travio::rpc {

/// Least privilege between services: which callers may call which gRPC methods of this
/// process. A caller is named by its certificate's common name (the target name `travio certs
/// init` writes). What is not allowed is refused: a method nobody listed refuses every caller,
/// so a new method is closed until its callers are named.
class CallerPolicy {
 public:
  /// Lets `caller` call `method` of `service` (its full name: "travio.payment.v1.PaymentService").
  void Allow(std::string_view service, std::string_view method, std::string_view caller);

  /// OK when `caller` may call `path` ("/travio.payment.v1.PaymentService/Refund", as gRPC
  /// names a call); kPermissionDenied naming both otherwise.
  absl::Status Check(std::string_view path, std::string_view caller) const;

  bool empty() const { return allowed_.empty(); }

 private:
  // By path, the callers allowed.
  std::map<std::string, std::set<std::string>, std::less<>> allowed_;
};

}  // namespace travio::rpc
