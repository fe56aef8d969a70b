#pragma once

#include <memory>

#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

/// `inner`, rendering at most `limit` documents at a time; more callers wait their turn.
/// Rendering is CPU-bound and each rendering thread keeps its own fonts, so the workers and the
/// ticket downloads together never take more than their share of the cores.
std::unique_ptr<TicketRenderer> LimitSideBySide(std::unique_ptr<TicketRenderer> inner, int limit);

}  // namespace travio::fulfillment
