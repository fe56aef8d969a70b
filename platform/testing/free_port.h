#pragma once

namespace travio::testing {

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it for a socket bound
/// to port 0, then the socket was closed). Another process may still take it first; callers
/// that start servers retry on a bind failure.
int FreePort();

/// Whether nothing listens on (or holds) 127.0.0.1:`port` right now.
bool PortIsFree(int port);

/// Whether something accepts TCP connections on 127.0.0.1:`port` now.
bool PortAccepts(int port);

}  // namespace travio::testing
