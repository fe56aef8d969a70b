// The PostgreSQL driver: a fixed pool of libpq connections, each lent to one caller at a time,
// for one autocommit statement or for a whole transaction.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/db/database.h"
#include "platform/db/postgres_connection.h"

namespace travio::db {
namespace {

using internal::PgConnection;

class ConnectionPool {
 public:
  // A borrowed connection, returned to the pool on destruction.
  class Lease {
   public:
    Lease(ConnectionPool& pool, PgConnection connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other)
        : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Release(std::move(connection_));
    }
    PGconn* get() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    PgConnection connection_;
  };

  ConnectionPool(std::string dsn, int size, std::chrono::milliseconds acquire_timeout)
      : dsn_(std::move(dsn)), size_(size), acquire_timeout_(acquire_timeout) {
    // Empty slots connect on first use, so an idle service holds few server connections.
    idle_.resize(static_cast<size_t>(size));
  }

  absl::StatusOr<Lease> Acquire() {
    PgConnection connection;
    {
      std::unique_lock lock(mutex_);
      if (!available_.wait_for(lock, acquire_timeout_, [this] { return !idle_.empty(); })) {
        return absl::UnavailableError(absl::StrCat("postgres: all ", size_,
                                                   " connections stayed busy for ",
                                                   acquire_timeout_.count(), " ms"));
      }
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
    // Connecting happens outside the lock: it can take as long as the connect timeout.
    if (connection == nullptr) {
      absl::StatusOr<PgConnection> connected = internal::Connect(dsn_);
      if (!connected.ok()) {
        Release(nullptr);
        return connected.status();
      }
      connection = *std::move(connected);
    } else if (PQstatus(connection.get()) == CONNECTION_BAD) {
      PQreset(connection.get());
      if (PQstatus(connection.get()) == CONNECTION_BAD) {
        absl::Status status = absl::UnavailableError(
            absl::StrCat("postgres: reconnect failed: ", PQerrorMessage(connection.get())));
        Release(std::move(connection));
        return status;
      }
    }
    return Lease(*this, std::move(connection));
  }

 private:
  void Release(PgConnection connection) {
    // A caller that vanished mid-transaction must not hand its transaction to the next one.
    if (connection != nullptr && PQstatus(connection.get()) == CONNECTION_OK &&
        PQtransactionStatus(connection.get()) != PQTRANS_IDLE) {
      (void)internal::Execute(connection.get(), "ROLLBACK", {});
    }
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

  const std::string dsn_;
  const int size_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<PgConnection> idle_;  // guarded by mutex_; nullptr = not connected yet
};

class PostgresTransaction final : public Transaction {
 public:
  explicit PostgresTransaction(ConnectionPool::Lease lease) : lease_(std::move(lease)) {}
  ~PostgresTransaction() override { (void)Rollback(); }

  absl::StatusOr<Result> Execute(std::string_view sql, std::span<const Value> params) override {
    if (!lease_) return Ended();
    return internal::Execute(lease_->get(), sql, params);
  }

  absl::Status Commit() override {
    if (!lease_) return Ended();
    // COMMIT of a failed transaction "succeeds" as a ROLLBACK; report what really happened.
    if (PQtransactionStatus(lease_->get()) == PQTRANS_INERROR) {
      (void)Rollback();
      return absl::FailedPreconditionError(
          "postgres: transaction rolled back because a statement failed");
    }
    absl::Status status = internal::Execute(lease_->get(), "COMMIT", {}).status();
    lease_.reset();
    return status;
  }

  absl::Status Rollback() override {
    if (!lease_) return absl::OkStatus();
    absl::Status status;
    if (PQstatus(lease_->get()) == CONNECTION_OK) {
      status = internal::Execute(lease_->get(), "ROLLBACK", {}).status();
    }
    lease_.reset();
    return status;
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

 private:
  static absl::Status Ended() {
    return absl::FailedPreconditionError("postgres: the transaction has already ended");
  }

  std::optional<ConnectionPool::Lease> lease_;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const PostgresOptions& options)
      : pool_(options.dsn, options.pool_size,
              std::chrono::milliseconds(options.acquire_timeout_ms)) {}

  absl::StatusOr<Result> Execute(std::string_view sql, std::span<const Value> params) override {
    TRAVIO_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_.Acquire());
    return internal::Execute(lease.get(), sql, params);
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin() override {
    TRAVIO_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_.Acquire());
    TRAVIO_RETURN_IF_ERROR(internal::Execute(lease.get(), "BEGIN", {}).status());
    return std::make_unique<PostgresTransaction>(std::move(lease));
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  // Connects one slot now so that a wrong DSN or an unreachable server fails at start.
  absl::Status Probe() { return pool_.Acquire().status(); }

 private:
  ConnectionPool pool_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options) {
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("postgres: pool_size must be at least 1");
  }
  TRAVIO_RETURN_IF_ERROR(internal::ValidateDsn(options.dsn));
  auto database = std::make_unique<PostgresDatabase>(options);
  TRAVIO_RETURN_IF_ERROR(database->Probe());
  return database;
}

}  // namespace travio::db
