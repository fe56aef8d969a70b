// The invoice PDF as its reader sees it (poppler's pdftotext): issuer and customer, number,
// period in the billing zone's calendar, plan, every line with its amounts, and the total.
#include "services/subscription/render/pdf_invoice_renderer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "platform/testing/command.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::subscription {
namespace {

using ::travio::testing::RunCommand;

InvoiceSheet Sheet() {
  InvoiceView invoice{
      .id = "0193a0b4-0000-7000-8000-00000000000a",
      .org_id = "org-1",
      .number = "TRV-202612-000042",
      .plan = "starter",
      .currency = "BDT",
      // December in Dhaka (UTC+6).
      .period_start = absl::FromUnixSeconds(1'764'525'600),  // 2025-11-30T18:00Z
      .period_end = absl::FromUnixSeconds(1'767'204'000),    // 2025-12-31T18:00Z
      .issued_at = absl::FromUnixSeconds(1'767'204'100),
      .total = 774'500,
      .lines = {{"plan_fee", "Starter plan, December", 1, 250'000, 250'000},
                {"proration", "Upgrade to Growth for the rest of the month", 1, 500'000, 500'000},
                {"booking_fees", "bookings at 5.00 each", 49, 500, 24'500}}};
  return {.invoice = invoice,
          .issuer = "Travio",
          .customer = "গ্রিন লাইন পরিবহন",
          .time_zone = "Asia/Dhaka"};
}

TEST(PdfInvoiceRendererTest, TheInvoiceSaysWhatWasBilledToWhomAndForWhen) {
  ASSERT_OK_AND_ASSIGN(std::string pdf, MakePdfInvoiceRenderer()->RenderPdf(Sheet()));
  testing::TempDir dir;
  const auto file = (dir / "invoice.pdf").string();
  std::ofstream(file, std::ios::binary) << pdf;
  auto [info_rc, info] = RunCommand("pdfinfo " + file);
  ASSERT_EQ(info_rc, 0) << "is poppler-utils installed? run scripts/bootstrap";
  EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Invoice TRV-202612-000042"), std::string::npos) << info;
  auto [text_rc, text] = RunCommand("pdftotext -layout " + file + " -");
  ASSERT_EQ(text_rc, 0);
  for (const char* words :
       {"Travio", "INVOICE", "TRV-202612-000042", "গ্রিন লাইন পরিবহন",
        "1 December 2025 to 31 December 2025", "31 December 2025", "Starter",
        "Starter plan, December", "BDT 2,500.00", "Upgrade to Growth for the rest of the month",
        "BDT 5,000.00", "bookings at 5.00 each", "49", "BDT 5.00", "BDT 245.00", "TOTAL",
        "BDT 7,745.00"}) {
    EXPECT_NE(text.find(words), std::string::npos) << words << "\n" << text;
  }
}

TEST(PdfInvoiceRendererTest, AnInvoiceWithoutLinesSaysThereIsNothingToBill) {
  InvoiceSheet sheet = Sheet();
  sheet.invoice.lines.clear();
  sheet.invoice.total = 0;
  ASSERT_OK_AND_ASSIGN(std::string pdf, MakePdfInvoiceRenderer()->RenderPdf(sheet));
  testing::TempDir dir;
  const auto file = (dir / "invoice.pdf").string();
  std::ofstream(file, std::ios::binary) << pdf;
  auto [text_rc, text] = RunCommand("pdftotext -layout " + file + " -");
  ASSERT_EQ(text_rc, 0);
  EXPECT_NE(text.find("Nothing to bill for this period."), std::string::npos) << text;
  EXPECT_NE(text.find("BDT 0.00"), std::string::npos) << text;
}

}  // namespace
}  // namespace travio::subscription
