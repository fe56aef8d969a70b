#include "platform/rpc/library_lifetime.h"

#include <grpc/grpc.h>

#include <chrono>
#include <thread>

namespace travio::rpc {

GrpcLibraryLifetime::GrpcLibraryLifetime(absl::Duration wait_at_exit)
    : wait_at_exit_(wait_at_exit) {
  grpc_init();
}

GrpcLibraryLifetime::~GrpcLibraryLifetime() { (void)ShutDown(); }

bool GrpcLibraryLifetime::ShutDown() {
  if (released_) return grpc_is_initialized() == 0;
  released_ = true;
  // When this is the last user, clean-up runs here, on this thread.
  grpc_shutdown_blocking();
  // Otherwise a channel is still being torn down on a gRPC thread; its release runs the clean-up
  // under the library's lock, which grpc_is_initialized also takes, so a false answer means the
  // clean-up has finished.
  const auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoMilliseconds(wait_at_exit_);
  while (grpc_is_initialized() != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return grpc_is_initialized() == 0;
}

}  // namespace travio::rpc
