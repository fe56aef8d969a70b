#include "services/fulfillment/render/side_by_side_limit.h"

#include <algorithm>
#include <semaphore>

namespace travio::fulfillment {
namespace {

// Holds one of the turns for its lifetime, whatever way the rendering ends.
class Turn {
 public:
  explicit Turn(std::counting_semaphore<>& turns) : turns_(turns) { turns_.acquire(); }
  ~Turn() { turns_.release(); }
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;

 private:
  std::counting_semaphore<>& turns_;
};

class SideBySideLimit final : public TicketRenderer {
 public:
  SideBySideLimit(std::unique_ptr<TicketRenderer> inner, int limit)
      : inner_(std::move(inner)), turns_(std::max(limit, 1)) {}

  absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                        const std::string& title) override {
    Turn turn(turns_);
    return inner_->RenderPdf(pages, title);
  }

 private:
  std::unique_ptr<TicketRenderer> inner_;
  std::counting_semaphore<> turns_;
};

}  // namespace

std::unique_ptr<TicketRenderer> LimitSideBySide(std::unique_ptr<TicketRenderer> inner, int limit) {
  return std::make_unique<SideBySideLimit>(std::move(inner), limit);
}

}  // namespace travio::fulfillment
