#pragma once

#include <memory>

#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

/// Draws ticket pages as a PDF (A4 portrait, a page per ticket) with cairo, the text shaped by
/// pango (so Bangla and other complex scripts render correctly, with Noto fonts from
/// fontconfig) and the QR code from libqrencode, large enough to scan from a phone screen.
/// Thread-safe: documents render side by side, one per calling thread.
std::unique_ptr<TicketRenderer> MakePdfTicketRenderer();

}  // namespace travio::fulfillment
