// The document toolkit as a reader sees the result: poppler's pdfinfo and pdftotext find its
// pages, title and words (Bangla included, amounts set to the right), zbarimg reads its QR code.
#include "platform/pdf/document.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "platform/testing/command.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::pdf {
namespace {

using ::travio::testing::RunCommand;
using ::travio::testing::StatusIs;

class DocumentTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& bytes) {
    const auto path = dir_ / "document.pdf";
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  testing::TempDir dir_;
};

TEST_F(DocumentTest, PagesTextAndACodeComeOutAsDrawn) {
  auto document = Document::Create("Invoice TRV-202612-000001");
  document->Fill(0, 0, kA4Width, 96, kBrand);
  document->Text("Green Line Paribahan", 42, 26, {.size = 22, .color = kWhite, .bold = true});
  const double height = document->Text("গ্রিন লাইন পরিবহন", 42, 120, {.size = 14});
  EXPECT_GT(height, 10);
  document->Text("BDT 12,345.00", 42, 160, {.size = 11, .width = 500, .align_right = true});
  ASSERT_OK(document->Qr("TRV-202612-000001", 42, 200, 150));
  document->NextPage();
  document->Outline(42, 42, 200, 40, kRule, 1);
  document->Text("Page two", 50, 50, {});
  ASSERT_OK_AND_ASSIGN(std::string pdf, document->Finish());
  ASSERT_TRUE(pdf.starts_with("%PDF-"));

  const std::string file = Write(pdf);
  auto [info_rc, info] = RunCommand("pdfinfo " + file);
  ASSERT_EQ(info_rc, 0) << "is poppler-utils installed? run scripts/bootstrap";
  EXPECT_TRUE(std::regex_search(info, std::regex("Pages:\\s+2\\n"))) << info;
  EXPECT_NE(info.find("Invoice TRV-202612-000001"), std::string::npos) << info;
  auto [text_rc, text] = RunCommand("pdftotext -layout " + file + " -");
  ASSERT_EQ(text_rc, 0);
  for (const char* words : {"Green Line Paribahan", "গ্রিন লাইন পরিবহন", "Page two"}) {
    EXPECT_NE(text.find(words), std::string::npos) << words << "\n" << text;
  }
  // Set flush right: the amount ends at the right edge of its 500 points (x 542), not at the
  // left margin. pdftotext -bbox gives each word's box.
  auto [box_rc, boxes] = RunCommand("pdftotext -bbox -f 1 -l 1 " + file + " -");
  ASSERT_EQ(box_rc, 0);
  std::smatch word;
  ASSERT_TRUE(std::regex_search(
      boxes, word,
      std::regex("xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\"[^>]*>12,345.00<")))
      << boxes;
  EXPECT_NEAR(std::stod(word[2]), 542, 3) << boxes;
  EXPECT_GT(std::stod(word[1]), 400) << boxes;

  auto [png_rc, png] =
      RunCommand("pdftoppm -r 150 -f 1 -l 1 -png " + file + " " + (dir_ / "page").string());
  ASSERT_EQ(png_rc, 0) << png;
  auto [scan_rc, scanned] =
      RunCommand("zbarimg -q --raw " + (dir_ / "page-1.png").string() + " 2>/dev/null");
  ASSERT_EQ(scan_rc, 0) << scanned;
  EXPECT_EQ(scanned, "TRV-202612-000001\n");
}

TEST_F(DocumentTest, TextTooLongForAQrCodeIsRefused) {
  auto document = Document::Create("too long");
  EXPECT_THAT(document->Qr(std::string(5000, 'x'), 0, 0, 100),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(document->Finish().status());
}

}  // namespace
}  // namespace travio::pdf
