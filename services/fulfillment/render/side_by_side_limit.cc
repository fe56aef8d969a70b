#include "services/fulfillment/render/side_by_side_limit.h"

#include <algorithm>
#include <semaphore>

namespace travio::fulfillment {
namespace {

class SideBySideLimit final : public TicketRenderer {
 public:
  SideBySideLimit(std::unique_ptr<TicketRenderer> inner, int limit)
      : inner_(std::move(inner)), turns_(std::max(limit, 1)) {}

  absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                        const std::string& title) override {
    turns_.acquire();
    absl::StatusOr<std::string> pdf = inner_->RenderPdf(pages, title);
    turns_.release();
    return pdf;
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
