#include "services/gateway/routes/export_pump.h"

#include "platform/base/errors.h"

namespace travio::gateway {

// What the pump's threads and its exports share; exports hold it, so a page finishing after
// the pump is gone finds a stopped queue rather than freed memory.
struct ExportPump::Shared {
  Shared(ExportLimits limits, const Clock& clock, log::Logger logger)
      : limits(limits), clock(clock), logger(std::move(logger)) {}

  ExportLimits limits;
  const Clock& clock;
  log::Logger logger;
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> tasks;
  std::map<std::string, size_t> per_org;
  size_t running = 0;
  bool stopping = false;

  void Post(std::function<void()> task) {
    {
      std::lock_guard lock(mutex);
      if (stopping) return;
      tasks.push_back(std::move(task));
    }
    wake.notify_one();
  }

  void Release(const std::string& org) {
    std::lock_guard lock(mutex);
    --running;
    if (--per_org[org] == 0) per_org.erase(org);
  }
};

// One of an organization's places, held from before the first page is read until the export
// ends, whichever way.
class ExportPump::Place {
 public:
  Place(std::shared_ptr<Shared> shared, std::string org)
      : shared_(std::move(shared)), org_(std::move(org)) {}
  ~Place() { shared_->Release(org_); }
  Place(const Place&) = delete;
  Place& operator=(const Place&) = delete;

  Shared& shared() const { return *shared_; }
  const std::shared_ptr<Shared>& shared_ptr() const { return shared_; }

 private:
  std::shared_ptr<Shared> shared_;
  std::string org_;
};

class ExportPump::Export final : public http::EventStream,
                                 public std::enable_shared_from_this<Export> {
 public:
  Export(std::unique_ptr<Place> place, Page first, PageSource source)
      : place_(std::move(place)),
        started_(place_->shared().clock.Now()),
        first_(std::move(first)),
        source_(std::move(source)) {}

  void Open(std::shared_ptr<http::StreamSink> sink) override {
    sink_ = std::move(sink);
    if (!sink_->Send(std::move(first_.text))) return;
    Continue(std::move(first_.next_cursor));
  }
  void Cancel() override { cancelled_ = true; }

 private:
  void Continue(std::string cursor) {
    if (cursor.empty()) return sink_->Close();
    // The sink keeps this callback until the page is written, or drops it with the connection;
    // the export then ends with its last holder.
    sink_->WhenWritten([self = shared_from_this(), cursor = std::move(cursor)]() mutable {
      std::shared_ptr<Shared> shared = self->place_->shared_ptr();
      shared->Post([self = std::move(self), cursor = std::move(cursor)]() mutable {
        self->Fetch(std::move(cursor));
      });
    });
  }

  void Fetch(std::string cursor) {
    if (cancelled_) return;
    Shared& shared = place_->shared();
    if (shared.clock.Now() - started_ > shared.limits.lifetime) {
      shared.logger.Warn("an export outlived its time and was cut short");
      return sink_->Abort();
    }
    absl::StatusOr<Page> page = source_(cursor, /*first=*/false);
    if (!page.ok()) {
      shared.logger.Warn("an export was cut short", {{"error", page.status().ToString()}});
      return sink_->Abort();
    }
    if (!sink_->Send(std::move(page->text))) return;
    Continue(std::move(page->next_cursor));
  }

  std::unique_ptr<Place> place_;
  absl::Time started_;
  Page first_;
  PageSource source_;
  std::shared_ptr<http::StreamSink> sink_;
  std::atomic<bool> cancelled_{false};
};

ExportPump::ExportPump(int threads, ExportLimits limits, const Clock& clock, log::Logger logger)
    : shared_(std::make_shared<Shared>(limits, clock, std::move(logger))) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([shared = shared_] {
      while (true) {
        std::function<void()> task;
        {
          std::unique_lock lock(shared->mutex);
          shared->wake.wait(lock, [&] { return shared->stopping || !shared->tasks.empty(); });
          if (shared->stopping) return;
          task = std::move(shared->tasks.front());
          shared->tasks.pop_front();
        }
        task();
      }
    });
  }
}

ExportPump::~ExportPump() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    dropped.swap(shared_->tasks);
  }
  shared_->wake.notify_all();
  for (std::thread& thread : threads_) thread.join();
  // The exports the dropped tasks held end here, outside the lock their end takes.
  dropped.clear();
}

absl::StatusOr<std::shared_ptr<http::EventStream>> ExportPump::Start(const std::string& org,
                                                                     std::string head,
                                                                     const std::string& cursor,
                                                                     PageSource source) {
  {
    std::lock_guard lock(shared_->mutex);
    size_t& mine = shared_->per_org[org];
    if (shared_->running >= shared_->limits.total || mine >= shared_->limits.per_org) {
      if (mine == 0) shared_->per_org.erase(org);
      return WithRetryAfter(Error(reasons::kTooManyStreams,
                                  "Too many exports are running; try again when one has finished."),
                            absl::Seconds(10));
    }
    ++mine;
    ++shared_->running;
  }
  auto place = std::make_unique<Place>(shared_, org);
  absl::StatusOr<Page> first = source(cursor, /*first=*/true);
  if (!first.ok()) return first.status();  // the place goes back with `place`
  first->text = head + first->text;
  return std::make_shared<Export>(std::move(place), *std::move(first), std::move(source));
}

size_t ExportPump::running() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->running;
}

}  // namespace travio::gateway
