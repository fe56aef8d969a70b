#include "platform/events/rabbitmq.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/events/event_json.h"

namespace travio::events {

namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t Bytes(const std::string& text) {
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
}

timeval TimeVal(absl::Duration duration) {
  const int64_t micros = absl::ToInt64Microseconds(duration);
  return timeval{static_cast<time_t>(micros / 1'000'000),
                 static_cast<suseconds_t>(micros % 1'000'000)};
}

absl::Status ReplyStatus(const amqp_rpc_reply_t& reply, const char* what) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return absl::OkStatus();
    case AMQP_RESPONSE_NONE:
      return absl::UnavailableError(absl::StrCat("RabbitMQ ", what, ": no reply"));
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return absl::UnavailableError(
          absl::StrCat("RabbitMQ ", what, ": ", amqp_error_string2(reply.library_error)));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD ||
          reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* close = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
        const std::string text(static_cast<const char*>(close->reply_text.bytes),
                               close->reply_text.len);
        if (close->reply_code == 403) {
          return absl::UnauthenticatedError(absl::StrCat("RabbitMQ ", what, ": ", text));
        }
        return absl::UnavailableError(absl::StrCat("RabbitMQ ", what, ": ", text));
      }
      return absl::UnavailableError(absl::StrCat("RabbitMQ ", what, ": server exception"));
  }
  return absl::UnavailableError(absl::StrCat("RabbitMQ ", what, ": unknown reply"));
}

}  // namespace

/// One blocking AMQP 0-9-1 connection with channel 1 open.
class AmqpConnection {
 public:
  static absl::StatusOr<std::unique_ptr<AmqpConnection>> Open(const RabbitOptions& options) {
    auto connection = std::unique_ptr<AmqpConnection>(new AmqpConnection());
    amqp_connection_state_t state = connection->state_;
    amqp_socket_t* socket = amqp_tcp_socket_new(state);
    if (socket == nullptr) return absl::InternalError("RabbitMQ: no socket");
    timeval timeout = TimeVal(options.timeout);
    if (amqp_socket_open_noblock(socket, options.host.c_str(), options.port, &timeout) !=
        AMQP_STATUS_OK) {
      return absl::UnavailableError(
          absl::StrCat("RabbitMQ unreachable at ", options.host, ":", options.port));
    }
    connection->socket_open_ = true;
    if (amqp_set_handshake_timeout(state, &timeout) != AMQP_STATUS_OK ||
        amqp_set_rpc_timeout(state, &timeout) != AMQP_STATUS_OK) {
      return absl::InternalError("RabbitMQ: could not set timeouts");
    }
    TRAVIO_RETURN_IF_ERROR(
        ReplyStatus(amqp_login(state, options.vhost.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN,
                               options.user.c_str(), options.password.c_str()),
                    "login"));
    connection->logged_in_ = true;
    amqp_channel_open(state, kChannel);
    TRAVIO_RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(state), "channel"));
    connection->channel_open_ = true;
    return connection;
  }

  ~AmqpConnection() {
    if (channel_open_) amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    if (logged_in_) amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(state_);
  }

  amqp_connection_state_t state() const { return state_; }

  absl::Status DeclareExchange(const std::string& exchange) {
    amqp_exchange_declare(state_, kChannel, Bytes(exchange), amqp_cstring_bytes("topic"),
                          /*passive=*/0, /*durable=*/1, /*auto_delete=*/0, /*internal=*/0,
                          amqp_empty_table);
    return ReplyStatus(amqp_get_rpc_reply(state_), "exchange.declare");
  }

 private:
  AmqpConnection() : state_(amqp_new_connection()) {}

  amqp_connection_state_t state_;
  bool socket_open_ = false;
  bool logged_in_ = false;
  bool channel_open_ = false;
};

RabbitPublisher::RabbitPublisher(RabbitOptions options) : options_(std::move(options)) {}
RabbitPublisher::~RabbitPublisher() = default;

absl::Status RabbitPublisher::EnsureOpen() {
  if (connection_ != nullptr) return absl::OkStatus();
  TRAVIO_ASSIGN_OR_RETURN(auto connection, AmqpConnection::Open(options_));
  TRAVIO_RETURN_IF_ERROR(connection->DeclareExchange(options_.exchange));
  amqp_tx_select(connection->state(), kChannel);
  TRAVIO_RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(connection->state()), "tx.select"));
  connection_ = std::move(connection);
  return absl::OkStatus();
}

absl::Status RabbitPublisher::Publish(const Event& event) {
  std::lock_guard lock(mutex_);
  TRAVIO_RETURN_IF_ERROR(EnsureOpen());
  const std::string body = EventToJson(event);
  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                      AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TYPE_FLAG;
  properties.content_type = amqp_cstring_bytes("application/json");
  properties.delivery_mode = 2;  // persistent
  properties.message_id = Bytes(event.id);
  properties.type = Bytes(event.type);
  const int sent = amqp_basic_publish(connection_->state(), kChannel, Bytes(options_.exchange),
                                      Bytes(event.type), /*mandatory=*/0, /*immediate=*/0,
                                      &properties, Bytes(body));
  if (sent != AMQP_STATUS_OK) {
    connection_.reset();
    return absl::UnavailableError(absl::StrCat("RabbitMQ publish: ", amqp_error_string2(sent)));
  }
  // The commit's answer is the broker's word that it has the message.
  amqp_tx_commit(connection_->state(), kChannel);
  if (absl::Status committed = ReplyStatus(amqp_get_rpc_reply(connection_->state()), "tx.commit");
      !committed.ok()) {
    connection_.reset();
    return committed;
  }
  return absl::OkStatus();
}

RabbitConsumer::RabbitConsumer(RabbitOptions options, std::string consumer,
                               std::vector<std::string> types, Deliver deliver, log::Logger logger,
                               std::string instance)
    : options_(std::move(options)),
      consumer_(std::move(consumer)),
      own_queue_(!instance.empty()),
      queue_(options_.exchange + "." + consumer_ + (instance.empty() ? "" : "." + instance)),
      types_(std::move(types)),
      deliver_(std::move(deliver)),
      logger_(logger.With({{"component", "rabbitmq_consumer"}, {"queue", queue_}})) {}

RabbitConsumer::~RabbitConsumer() { Stop(); }

absl::Status RabbitConsumer::Declare(AmqpConnection& connection) {
  TRAVIO_RETURN_IF_ERROR(connection.DeclareExchange(options_.exchange));
  if (own_queue_) {
    // An instance's own queue outlives a short loss of the connection (the instance declares
    // it again and finds its events), not the instance: unused for kInstanceQueueExpiry, the
    // broker deletes it; until then it keeps the newest kInstanceQueueLength events, in at most
    // kInstanceQueueBytes, so instances that come and go cannot fill the broker's memory.
    amqp_table_entry_t limits[3];
    limits[0].key = amqp_cstring_bytes("x-expires");
    limits[0].value.kind = AMQP_FIELD_KIND_I32;
    limits[0].value.value.i32 =
        static_cast<int32_t>(absl::ToInt64Milliseconds(kInstanceQueueExpiry));
    limits[1].key = amqp_cstring_bytes("x-max-length");
    limits[1].value.kind = AMQP_FIELD_KIND_I32;
    limits[1].value.value.i32 = kInstanceQueueLength;
    limits[2].key = amqp_cstring_bytes("x-max-length-bytes");
    limits[2].value.kind = AMQP_FIELD_KIND_I32;
    limits[2].value.value.i32 = kInstanceQueueBytes;
    const amqp_table_t arguments{.num_entries = 3, .entries = limits};
    amqp_queue_declare(connection.state(), kChannel, Bytes(queue_), /*passive=*/0,
                       /*durable=*/0, /*exclusive=*/0, /*auto_delete=*/0, arguments);
  } else {
    amqp_queue_declare(connection.state(), kChannel, Bytes(queue_), /*passive=*/0,
                       /*durable=*/1, /*exclusive=*/0, /*auto_delete=*/0, amqp_empty_table);
  }
  TRAVIO_RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(connection.state()), "queue.declare"));
  for (const std::string& type : types_) {
    const std::string key = type == "*" ? "#" : type;
    amqp_queue_bind(connection.state(), kChannel, Bytes(queue_), Bytes(options_.exchange),
                    Bytes(key), amqp_empty_table);
    TRAVIO_RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(connection.state()), "queue.bind"));
  }
  return absl::OkStatus();
}

absl::Status RabbitConsumer::Start() {
  TRAVIO_ASSIGN_OR_RETURN(auto connection, AmqpConnection::Open(options_));
  TRAVIO_RETURN_IF_ERROR(Declare(*connection));
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void RabbitConsumer::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void RabbitConsumer::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_) {
    absl::StatusOr<std::unique_ptr<AmqpConnection>> opened = AmqpConnection::Open(options_);
    absl::Status status = opened.status();
    if (status.ok()) status = Declare(**opened);
    if (status.ok()) {
      amqp_connection_state_t state = (*opened)->state();
      amqp_basic_qos(state, kChannel, 0, /*prefetch_count=*/32, 0);
      amqp_basic_consume(state, kChannel, Bytes(queue_), amqp_empty_bytes, /*no_local=*/0,
                         /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
      status = ReplyStatus(amqp_get_rpc_reply(state), "basic.consume");
    }
    if (!status.ok()) {
      logger_.Warn("cannot consume; will retry", {{"error", status.ToString()}});
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    amqp_connection_state_t state = (*opened)->state();
    while (!stopping_) {
      amqp_maybe_release_buffers(state);
      amqp_envelope_t envelope;
      timeval wait = TimeVal(absl::Milliseconds(200));
      const amqp_rpc_reply_t reply = amqp_consume_message(state, &envelope, &wait, 0);
      if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
          reply.library_error == AMQP_STATUS_TIMEOUT) {
        continue;  // nothing yet; look at stopping_
      }
      if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        logger_.Warn("connection lost; reconnecting",
                     {{"error", ReplyStatus(reply, "consume").ToString()}});
        break;
      }
      const std::string body(static_cast<const char*>(envelope.message.body.bytes),
                             envelope.message.body.len);
      const uint64_t tag = envelope.delivery_tag;
      amqp_destroy_envelope(&envelope);
      absl::StatusOr<Event> event = EventFromJson(body);
      if (!event.ok()) {
        // Redelivering what nobody can read would block the queue forever.
        logger_.Error("dropped a message that is not an event", {{"bytes", body.size()}});
        amqp_basic_ack(state, kChannel, tag, 0);
        continue;
      }
      const absl::Status delivered = deliver_(*event);
      if (delivered.ok()) {
        amqp_basic_ack(state, kChannel, tag, 0);
        continue;
      }
      logger_.Warn(
          "consumer failed; the event goes back on the queue",
          {{"event_id", event->id}, {"type", event->type}, {"error", delivered.ToString()}});
      amqp_basic_reject(state, kChannel, tag, /*requeue=*/1);
      absl::SleepFor(absl::Milliseconds(200));
    }
  }
}

}  // namespace travio::events
