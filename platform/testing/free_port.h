#pragma once

namespace travio::testing {

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it for a socket bound
/// to port 0, then the socket was closed). Another process may still take it first; callers
/// that start servers retry on a bind failure.
int FreePort();

}  // namespace travio::testing
