#pragma once

#include <chrono>
#include <stop_token>

#include "collectors/inventory.h"

namespace dce {

/// Refreshes the inventory every `interval` until `stop` is requested, and
/// logs each failure, the engine becoming unreachable and reachable again.
/// The interval is measured from the end of one refresh to the start of the
/// next, so slow refreshes never overlap.
void RunRefreshLoop(Inventory& inventory, std::chrono::milliseconds interval,
                    const std::stop_token& stop);

}  // namespace dce
