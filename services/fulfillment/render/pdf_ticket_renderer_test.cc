// The ticket PDF as a person and a phone camera read it: poppler's pdftotext finds what the
// page says (Bangla names included), pdftoppm renders each page and zbarimg reads each QR code
// back to the ticket's signed text.
#include "services/fulfillment/render/pdf_ticket_renderer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/testing/command.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/fulfillment/domain/ticket_page.h"

namespace travio::fulfillment {
namespace {

using ::travio::testing::RunCommand;

TicketPage Page(const std::string& passenger, const std::string& seat, const std::string& number,
                const std::string& qr) {
  TicketPage page;
  page.operator_name = "Green Line Paribahan";
  page.route = "Dhaka - Cox's Bazar";
  page.from = "Dhaka (DHK)";
  page.to = "Cox's Bazar (CXB)";
  page.departure_date = "Sunday, 20 December 2026";
  page.departure_time = "22:30";
  page.departure_zone = "Asia/Dhaka (UTC+06:00)";
  page.arrival = "06:30, Monday 21 December";
  page.passenger = passenger;
  page.seat = seat;
  page.number = number;
  page.fare = "BDT 1,500.00";
  page.bus = "AC sleeper, DHAKA-11-2233";
  page.order_id = "0193a0b4-0000-7000-8000-000000000009";
  page.qr = qr;
  page.page_label = "Ticket 1 of 2";
  page.terms = {"Show this code at boarding."};
  return page;
}

// A token-sized code: what real tickets carry is about this long.
std::string LongCode(char fill) {
  return absl::StrCat("v4.public.", std::string(330, fill), ".eyJraWQiOiJrMSJ9");
}

class PdfTicketRendererTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& pdf) {
    const auto path = dir_ / "tickets.pdf";
    std::ofstream(path, std::ios::binary) << pdf;
    return path.string();
  }

  testing::TempDir dir_;
  std::unique_ptr<TicketRenderer> renderer_ = MakePdfTicketRenderer();
};

TEST_F(PdfTicketRendererTest, APagePerTicketThatSaysWhatTheTicketIs) {
  ASSERT_OK_AND_ASSIGN(
      std::string pdf,
      renderer_->RenderPdf({Page("Rahim Uddin", "A1", "K7Q2M-9XD3F", LongCode('a')),
                            Page("করিম আহমেদ", "A2", "Q8HSC-642BY", LongCode('b'))},
                           "Tickets of order 9"));
  ASSERT_TRUE(pdf.starts_with("%PDF-"));
  const std::string file = Write(pdf);
  auto [info_rc, info] = RunCommand("pdfinfo " + file);
  ASSERT_EQ(info_rc, 0) << "is poppler-utils installed? run scripts/bootstrap";
  const size_t pages = info.find("Pages:");
  ASSERT_NE(pages, std::string::npos) << info;
  EXPECT_EQ(std::string(absl::StripAsciiWhitespace(
                info.substr(pages + 6, info.find('\n', pages) - pages - 6))),
            "2")
      << info;
  EXPECT_NE(info.find("Tickets of order 9"), std::string::npos) << info;

  auto [rc1, page1] = RunCommand("pdftotext -f 1 -l 1 " + file + " -");
  ASSERT_EQ(rc1, 0);
  for (const char* text : {"Rahim Uddin", "A1", "K7Q2M-9XD3F", "22:30", "Sunday, 20 December 2026",
                           "Dhaka (DHK)", "Cox's Bazar (CXB)", "BDT 1,500.00", "Green Line"}) {
    EXPECT_NE(page1.find(text), std::string::npos) << text << " missing from\n" << page1;
  }
  auto [rc2, page2] = RunCommand("pdftotext -f 2 -l 2 " + file + " -");
  ASSERT_EQ(rc2, 0);
  // The Bangla name comes back as the same characters: shaped with a Bengali font, not boxes.
  EXPECT_NE(page2.find("করিম আহমেদ"), std::string::npos) << page2;
  EXPECT_NE(page2.find("Q8HSC-642BY"), std::string::npos) << page2;
}

TEST_F(PdfTicketRendererTest, EachQrCodeReadsBackToItsTicketsCode) {
  ASSERT_OK_AND_ASSIGN(std::string pdf,
                       renderer_->RenderPdf({Page("A", "A1", "K7Q2M-9XD3F", LongCode('a')),
                                             Page("B", "A2", "Q8HSC-642BY", LongCode('b'))},
                                            "t"));
  const std::string file = Write(pdf);
  // 100 dpi: about what a phone screen shows of an A4 page.
  ASSERT_EQ(RunCommand("pdftoppm -r 100 -png " + file + " " + (dir_ / "page").string()).first, 0);
  for (auto [page, fill] : {std::pair{1, 'a'}, std::pair{2, 'b'}}) {
    const std::string png = (dir_ / absl::StrCat("page-", page, ".png")).string();
    auto [rc, decoded] = RunCommand("zbarimg -q --raw " + png + " 2>/dev/null");
    ASSERT_EQ(rc, 0) << "no QR code found on page " << page << " (is zbar-tools installed?)";
    EXPECT_EQ(std::string(absl::StripTrailingAsciiWhitespace(decoded)), LongCode(fill));
  }
}

// The fulfillment workers render side by side through one renderer: every document comes out
// whole and its own (its passenger's text, its page count), as when rendered alone.
TEST_F(PdfTicketRendererTest, DocumentsRenderedSideBySideAreEachWhole) {
  constexpr int kThreads = 4;
  std::vector<std::string> pdfs(kThreads);
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 3; ++round) {
        std::vector<TicketPage> pages;
        for (int p = 0; p <= i; ++p) {
          pages.push_back(Page(absl::StrCat("যাত্রী Passenger-", i), absl::StrCat("B", p + 1),
                               "K7Q2M-9XD3F", LongCode(static_cast<char>('a' + i))));
        }
        auto pdf = renderer_->RenderPdf(pages, absl::StrCat("order ", i));
        if (!pdf.ok()) {
          results[i] = pdf.status();
          return;
        }
        pdfs[i] = *std::move(pdf);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_OK(results[i]);
    const auto path = dir_ / absl::StrCat("order-", i, ".pdf");
    std::ofstream(path, std::ios::binary) << pdfs[i];
    auto [rc, text] = RunCommand("pdftotext " + path.string() + " -");
    ASSERT_EQ(rc, 0) << "document " << i << " does not parse";
    EXPECT_NE(text.find(absl::StrCat("যাত্রী Passenger-", i)), std::string::npos) << text;
    for (int other = 0; other < kThreads; ++other) {
      if (other == i) continue;
      EXPECT_EQ(text.find(absl::StrCat("Passenger-", other)), std::string::npos) << text;
    }
    EXPECT_NE(text.find(absl::StrCat("B", i + 1)), std::string::npos) << text;
  }
}

TEST_F(PdfTicketRendererTest, NoPagesIsAnError) {
  EXPECT_FALSE(renderer_->RenderPdf({}, "empty").ok());
}

}  // namespace
}  // namespace travio::fulfillment
