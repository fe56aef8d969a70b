#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::pdf {

/// A colour as cairo takes it: red, green and blue from 0 to 1.
struct Rgb {
  double r, g, b;
};

/// Travio's documents share one look: the brand's band, ink, muted labels, hairline rules.
inline constexpr Rgb kBrand{0.05, 0.33, 0.45};
inline constexpr Rgb kInk{0.11, 0.13, 0.16};
inline constexpr Rgb kMuted{0.38, 0.42, 0.47};
inline constexpr Rgb kRule{0.82, 0.85, 0.88};
inline constexpr Rgb kWhite{1, 1, 1};

/// A4 portrait, in PostScript points.
inline constexpr double kA4Width = 595.28;
inline constexpr double kA4Height = 841.89;

struct TextStyle {
  double size = 10;  // points
  Rgb color = kInk;
  bool bold = false;
  /// Wrapped at this width in points (0: one line as long as it is).
  double width = 0;
  /// Set flush with the right edge of `width` (amounts in a column).
  bool align_right = false;
};

/// A PDF drawn page after page with cairo, its text shaped by pango (so Bangla and other complex
/// scripts render correctly, in Noto Sans and Noto Sans Bengali from fontconfig) and QR codes
/// from libqrencode. Coordinates are points from a page's top-left corner. One document per
/// thread; documents on several threads at once are safe.
class Document {
 public:
  /// A document of A4 pages whose metadata title is `title`, on its first page.
  static std::unique_ptr<Document> Create(const std::string& title);
  virtual ~Document() = default;

  /// Draws `text` with its top-left corner at (x, y); returns the height it took.
  virtual double Text(std::string_view text, double x, double y, const TextStyle& style) = 0;
  /// A filled rectangle.
  virtual void Fill(double x, double y, double width, double height, Rgb color) = 0;
  /// A rectangle's outline, `line` points wide.
  virtual void Outline(double x, double y, double width, double height, Rgb color, double line) = 0;
  /// `text` as a QR code (error correction M, four modules of quiet zone) in a square of
  /// `size` points. kInvalidArgument when it does not fit a QR code.
  virtual absl::Status Qr(const std::string& text, double x, double y, double size) = 0;
  /// Ends this page; what is drawn next is on a new one.
  virtual void NextPage() = 0;
  /// Ends the last page and gives the document's bytes; kInternal when cairo failed. Nothing
  /// may be drawn after.
  virtual absl::StatusOr<std::string> Finish() = 0;
};

}  // namespace travio::pdf
