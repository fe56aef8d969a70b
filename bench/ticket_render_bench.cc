// Ticket PDFs rendered per second (cairo, pango, libqrencode: the fulfillment service's
// renderer), for orders of 1 and 4 tickets with real-length signed codes and a Bangla name; and
// the same pages with only the QR code drawn, the reference that shows what the text costs;
// then orders of 1 ticket on as many threads as there are cores, as the fulfillment workers
// render them.
//
//   travio_ticket_render_bench [SECONDS]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench_stats.h"
#include "services/fulfillment/domain/ticket_page.h"
#include "services/fulfillment/render/pdf_ticket_renderer.h"

namespace travio::bench {
namespace {

fulfillment::TicketPage Page(int index, bool text) {
  fulfillment::TicketPage page;
  page.qr = absl::StrCat("v4.public.", std::string(330, static_cast<char>('a' + index % 26)),
                         ".eyJraWQiOiJrMSJ9");
  if (!text) return page;
  page.operator_name = "Green Line Paribahan";
  page.route = "Dhaka - Chattogram - Cox's Bazar";
  page.from = "Dhaka (DHK)";
  page.to = "Cox's Bazar (CXB)";
  page.departure_date = "Sunday, 20 December 2026";
  page.departure_time = "22:30";
  page.departure_zone = "Asia/Dhaka (UTC+06:00)";
  page.arrival = "06:30, Monday 21 December";
  page.passenger = index % 2 == 0 ? "Rahim Uddin" : "করিম আহমেদ";
  page.seat = absl::StrCat("A", index + 1);
  page.number = "K7Q2M-9XD3F";
  page.fare = "BDT 1,500.00";
  page.bus = "AC sleeper, DHAKA-11-2233";
  page.order_id = "0193f1d0-0a1b-7c2d-8e3f-4a5b6c7d8e10";
  page.page_label = absl::StrCat("Ticket ", index + 1);
  page.terms = {"Show this code at boarding, on paper or on your phone.",
                "Be at the boarding station 15 minutes before departure."};
  return page;
}

// Tickets per second rendering orders of `pages` tickets for `seconds` on `threads` threads.
double Rate(fulfillment::TicketRenderer& renderer, int pages, bool text, int seconds, size_t* bytes,
            int threads = 1) {
  std::vector<fulfillment::TicketPage> order;
  for (int i = 0; i < pages; ++i) order.push_back(Page(i, text));
  std::atomic<int64_t> tickets{0};
  std::atomic<size_t> size{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> renderers;
  for (int t = 0; t < threads; ++t) {
    renderers.emplace_back([&] {
      while (MicrosSince(started) < seconds * 1e6) {
        auto pdf = renderer.RenderPdf(order, "bench");
        if (!pdf.ok()) {
          std::fprintf(stderr, "render failed: %s\n", std::string(pdf.status().message()).c_str());
          std::exit(1);
        }
        size = pdf->size();
        tickets += pages;
      }
    });
  }
  for (auto& thread : renderers) thread.join();
  *bytes = size;
  return static_cast<double>(tickets) / (MicrosSince(started) / 1e6);
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  using namespace travio::bench;
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 5;
  auto renderer = travio::fulfillment::MakePdfTicketRenderer();
  size_t bytes = 0;
  (void)Rate(*renderer, 1, true, 1, &bytes);  // fonts loaded, caches warm
  const double one = Rate(*renderer, 1, true, seconds, &bytes);
  Report("tickets/s, orders of 1 ticket", one, "tickets/s");
  Report("PDF size, 1 ticket", bytes / 1024.0, "KiB");
  const double four = Rate(*renderer, 4, true, seconds, &bytes);
  Report("tickets/s, orders of 4 tickets", four, "tickets/s");
  Report("PDF size, 4 tickets", bytes / 1024.0, "KiB");
  const double codes_only = Rate(*renderer, 4, false, seconds, &bytes);
  Report("pages/s, QR code only (reference)", codes_only, "pages/s");
  ReportRatio("tickets (4 per order) / QR-only pages", four / codes_only);
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  (void)Rate(*renderer, 1, true, 1, &bytes, cores);  // every thread's fonts loaded
  const double side_by_side = Rate(*renderer, 1, true, seconds, &bytes, cores);
  Report(absl::StrCat("tickets/s, orders of 1 ticket, ", cores, " renderers side by side"),
         side_by_side, "tickets/s");
  ReportRatio("side by side / one renderer", side_by_side / one);
  return 0;
}
