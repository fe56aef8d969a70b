#pragma once

#include <string>

#include "absl/status/status.h"
#include "platform/rpc/tls.h"

namespace travio::rpc {

/// Checks `identity`'s files before gRPC is given them: the CA and the certificate parse, the
/// key is the certificate's, and the CA signed it. gRPC would otherwise take them and fail
/// every handshake later, with a process that looks ready. kFailedPrecondition names the file
/// and what is wrong with it.
absl::Status CheckIdentityFiles(const TlsFiles& files, const std::string& identity);

}  // namespace travio::rpc
