#include "platform/kv/redis_connection.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/kv/redis_reply.h"

namespace travio::kv {
namespace {

// hiredis 0.14 sends with write(2), which raises SIGPIPE once the server has closed the socket;
// the default action would end the whole process. Blocking the signal on this thread while
// writing, and consuming one we caused, turns it into a plain EPIPE without touching the
// process-wide disposition (libpq does the same).
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
  }

  ~ScopedSigpipeBlock() {
    const int saved_errno = errno;
    if (raised_ && !was_pending_) {
      const timespec no_wait{};
      sigtimedwait(&sigpipe_, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    errno = saved_errno;
  }

  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

  void NoteWriteError(int error) { raised_ = raised_ || error == EPIPE; }

 private:
  sigset_t sigpipe_;
  sigset_t previous_;
  bool was_pending_ = false;
  bool raised_ = false;
};

bool IsTimeout(int error) { return error == EAGAIN || error == EWOULDBLOCK || error == ETIMEDOUT; }

// Classifies a failure that left hiredis' context in error. `error` is errno as it was right
// after the failing call, since hiredis keeps only the message.
CommandOutcome Failure(const redisContext& context, int error, bool maybe_sent) {
  CommandOutcome outcome;
  outcome.maybe_sent = maybe_sent;
  const std::string what = absl::StrCat("Redis connection failed: ", context.errstr);
  switch (context.err) {
    case REDIS_ERR_EOF:
      outcome.reply = absl::UnavailableError(what);
      outcome.connection_lost = true;
      break;
    case REDIS_ERR_IO:
      if (IsTimeout(error)) {
        outcome.reply = absl::DeadlineExceededError(
            absl::StrCat("Redis did not answer in time: ", context.errstr));
      } else {
        outcome.reply = absl::UnavailableError(what);
        outcome.connection_lost = true;
      }
      break;
    case REDIS_ERR_OOM:
      outcome.reply = absl::ResourceExhaustedError(what);
      break;
    default:  // protocol errors: the stream cannot be trusted, and retrying would not help
      outcome.reply = absl::InternalError(what);
      break;
  }
  return outcome;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisOptions& options) {
  const timeval timeout = absl::ToTimeval(options.timeout);
  ContextPtr context(redisConnectWithTimeout(options.host.c_str(), options.port, timeout));
  if (context == nullptr) {
    return absl::ResourceExhaustedError("cannot allocate a Redis connection");
  }
  if (context->err != 0) {
    return absl::UnavailableError(absl::StrCat("cannot connect to Redis at ", options.host, ":",
                                               options.port, ": ", context->errstr));
  }
  // Bounds every reply too, not only the connect: a stalled server must not block a caller forever.
  if (redisSetTimeout(context.get(), timeout) != REDIS_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot set the Redis socket timeout: ", context->errstr));
  }
  std::unique_ptr<RedisConnection> connection(new RedisConnection(std::move(context)));

  if (!options.password.empty()) {
    const std::string_view args[] = {"AUTH", options.password};
    CommandOutcome outcome = connection->Command(args);
    if (!outcome.reply.ok()) return std::move(outcome.reply).status();
    const redisReply& reply = **outcome.reply;
    if (reply.type == REDIS_REPLY_ERROR) {
      return absl::UnauthenticatedError(
          absl::StrCat("Redis refused AUTH: ", absl::string_view(reply.str, reply.len)));
    }
  }
  if (!options.client_name.empty()) {
    const std::string_view args[] = {"CLIENT", "SETNAME", options.client_name};
    CommandOutcome outcome = connection->Command(args);
    if (!outcome.reply.ok()) return std::move(outcome.reply).status();
    const redisReply& reply = **outcome.reply;
    if (reply.type == REDIS_REPLY_ERROR) return ErrorReplyStatus(reply);
  }
  return connection;
}

CommandOutcome RedisConnection::Command(std::span<const std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  redisContext* context = context_.get();
  if (redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()) !=
      REDIS_OK) {
    return Failure(*context, errno, /*maybe_sent=*/false);
  }

  // Flushing by hand, instead of letting redisGetReply do it, tells a command that never fully
  // left (safe to retry anywhere) from one whose reply was lost (it may have run).
  {
    ScopedSigpipeBlock block_sigpipe;
    int done = 0;
    while (done == 0) {
      if (redisBufferWrite(context, &done) != REDIS_OK) {
        const int error = errno;
        block_sigpipe.NoteWriteError(error);
        return Failure(*context, error, /*maybe_sent=*/false);
      }
    }
  }

  void* reply = nullptr;
  if (redisGetReply(context, &reply) != REDIS_OK) {
    return Failure(*context, errno, /*maybe_sent=*/true);
  }
  CommandOutcome outcome;
  outcome.reply = ReplyPtr(static_cast<redisReply*>(reply));
  return outcome;
}

bool RedisConnection::LooksAlive() const {
  if (context_->err != 0) return false;
  // An idle RESP2 connection never has anything to read; readiness means EOF, a reset, or stray
  // bytes, and each leaves the connection unusable.
  pollfd descriptor{};
  descriptor.fd = context_->fd;
  descriptor.events = POLLIN | POLLRDHUP;
  return poll(&descriptor, 1, 0) == 0;
}

}  // namespace travio::kv
