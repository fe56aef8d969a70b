#pragma once

#include <memory>

#include "services/subscription/app/ports.h"

namespace travio::subscription {

/// Draws an invoice as a one-page A4 PDF with the tickets' toolkit (platform/pdf): who issued it
/// and to whom, its number, period and plan, a table of its lines and the total.
std::unique_ptr<InvoiceRenderer> MakePdfInvoiceRenderer();

}  // namespace travio::subscription
