// Keeps the gRPC library alive for as long as a process serves, and tears it down on the
// calling thread when the process is done with it.
#pragma once

#include "absl/time/time.h"

namespace travio::rpc {

// gRPC counts its users: every channel and server holds the library, and whoever releases it
// last runs its clean-up. A channel still reconnecting to a stopped peer is released by one of
// gRPC's own threads, and gRPC then cleans up on a detached thread of its own, which can still be
// running while the process exits and its static objects are destroyed (seen: a crash in a gRPC
// thread during the sanitizer's exit-time check). Holding the library from start to finish and
// waiting, bounded, for the library to be fully down makes the exit orderly.
class GrpcLibraryLifetime {
 public:
  explicit GrpcLibraryLifetime(absl::Duration wait_at_exit = absl::Seconds(10));
  /// Shuts gRPC down if ShutDown was not called.
  ~GrpcLibraryLifetime();

  /// Lets go of the library and waits for its clean-up. False when gRPC was still running when
  /// the wait ended (a channel or server outlived the runtime): the caller says so.
  bool ShutDown();

  GrpcLibraryLifetime(const GrpcLibraryLifetime&) = delete;
  GrpcLibraryLifetime& operator=(const GrpcLibraryLifetime&) = delete;

 private:
  absl::Duration wait_at_exit_;
  bool released_ = false;
};

}  // namespace travio::rpc
