#include "platform/base/text.h"

#include <gtest/gtest.h>

#include <string>

namespace travio {
namespace {

TEST(TextTest, PrintableUtf8RefusesControlsAndMalformedSequences) {
  EXPECT_TRUE(IsPrintableUtf8("Dhaka \xE0\xA6\xA2\xE0\xA6\xBE\xE0\xA6\x95\xE0\xA6\xBE"));  // ঢাকা
  EXPECT_FALSE(IsPrintableUtf8("line\nbreak"));
  EXPECT_FALSE(IsPrintableUtf8("del\x7f"));
  EXPECT_FALSE(IsPrintableUtf8("c1 \xC2\x85"));       // U+0085, next line
  EXPECT_FALSE(IsPrintableUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsPrintableUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsPrintableUtf8("cut \xE2\x82"));      // a sequence cut short
  EXPECT_FALSE(IsPrintableUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(TextTest, FitPrintableKeepsTextAndMarksWhatCannotBeShown) {
  EXPECT_EQ(FitPrintableUtf8("DHK-1234", 256), "DHK-1234");
  EXPECT_EQ(FitPrintableUtf8("line\nbreak\x7f", 256), "line?break?");
  EXPECT_EQ(FitPrintableUtf8("next\xC2\x85line", 256), "next?line");
  // Right-to-left override and isolates: "user-1 approved" must not read as something else.
  EXPECT_EQ(FitPrintableUtf8("a\xE2\x80\xAE"
                             "cba\xE2\x81\xA6x\xE2\x80\x8F",
                             256),
            "a?cba?x?");
  EXPECT_EQ(FitPrintableUtf8("a\xD8\x9C"
                             "1-2",
                             64),
            "a?1-2");  // U+061C, the Arabic letter mark
  // A line separator, a zero-width space, a byte-order mark and a tag character hide; the
  // zero-width joiner of Bangla spelling (র‍্য) does not.
  EXPECT_EQ(FitPrintableUtf8("a\xE2\x80\xA8"
                             "b\xE2\x80\x8B"
                             "c\xEF\xBB\xBF"
                             "d\xF3\xA0\x80\x81",
                             64),
            "a?b?c?d?");
  EXPECT_EQ(FitPrintableUtf8("ad\xC2\xAD"
                             "min",
                             64),
            "ad?min");  // a soft hyphen
  EXPECT_EQ(FitPrintableUtf8("a\xE3\x85\xA4"
                             "b",
                             64),
            "a?b");  // a Hangul filler
  EXPECT_EQ(FitPrintableUtf8("a\xCD\x8F"
                             "b",
                             64),
            "a?b");  // U+034F
  EXPECT_EQ(FitPrintableUtf8("a\xF0\x9B\xB2\xA0"
                             "b",
                             64),
            "a?b");  // U+1BCA0
  EXPECT_EQ(FitPrintableUtf8("a\xEF\xB8\x8F"
                             "b",
                             64),
            "a\xEF\xB8\x8F"
            "b");  // U+FE0F stays
  const std::string bangla = "\xE0\xA6\xB0\xE2\x80\x8D\xE0\xA7\x8D\xE0\xA6\xAF";
  EXPECT_EQ(FitPrintableUtf8(bangla, 64), bangla);
  // Bytes that are not UTF-8 become U+FFFD, one for each, and the rest is kept.
  EXPECT_EQ(FitPrintableUtf8("bad \xFF\xC0 end", 256), "bad \xEF\xBF\xBD\xEF\xBF\xBD end");
  EXPECT_TRUE(IsPrintableUtf8(FitPrintableUtf8("\xE2\x82 \xED\xA0\x80\x01", 256)));
}

TEST(TextTest, FitPrintableCutsBetweenCharacters) {
  const std::string euros = "\xE2\x82\xAC\xE2\x82\xAC";
  EXPECT_EQ(FitPrintableUtf8(euros, 5), "\xE2\x82\xAC");
  EXPECT_EQ(FitPrintableUtf8(euros, 3), "\xE2\x82\xAC");
  EXPECT_EQ(FitPrintableUtf8(euros, 2), "");
  EXPECT_EQ(FitPrintableUtf8(euros, 6), euros);
  EXPECT_EQ(FitPrintableUtf8("\xFF"
                             "abc",
                             2),
            "");  // the replacement does not fit
}

}  // namespace
}  // namespace travio
