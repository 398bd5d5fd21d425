#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "collectors/snapshot.h"

namespace dce {

/// One rendering of the `/metrics` body in the text exposition format and
/// its gzip form, shared by every scrape that reads it. Immutable, so
/// thread-safe.
class Exposition {
 public:
  /// Compresses `text` here, so that the scrape that renders pays for it
  /// and no gzip scrape waits for a compression.
  explicit Exposition(std::string text);

  const std::string& Text() const { return text_; }

  /// The text compressed as one gzip member at zlib's default level.
  const std::string& Gzip() const { return gzip_; }

 private:
  std::string text_;
  std::string gzip_;
};

/// Compresses `text` as one gzip member at zlib's default level, as
/// cpp-httplib 0.11 compresses responses.
std::string GzipCompress(const std::string& text);

/// Renders the exposition once for each published snapshot and state of the
/// inputs outside it, and hands the same rendering to every scrape until one
/// of them changes. The scrape that finds the rendering out of date renders
/// it, and scrapes during that rendering get the previous one, as if they
/// had come a moment earlier. Only the first rendering makes them wait.
/// Thread-safe.
class ExpositionCache {
 public:
  /// `render` renders the whole exposition from `store`'s current
  /// snapshot. `other_inputs` returns text that changes whenever something
  /// `render` renders changes without a new snapshot: event counts, reload
  /// status, waiver states.
  ExpositionCache(const SnapshotStore& store,
                  std::function<std::string()> render,
                  std::function<std::string()> other_inputs);

  /// Returns the rendering of the current snapshot, rendering it first if
  /// the snapshot or the other inputs changed since the last rendering,
  /// unless another call is rendering already.
  std::shared_ptr<const Exposition> Current();

  /// Renderings made since construction.
  std::uint64_t RenderCount() const;

 private:
  const SnapshotStore& store_;
  std::function<std::string()> render_;
  std::function<std::string()> other_inputs_;

  mutable std::mutex mutex_;
  // A weak pointer, so that the cache keeps no replaced snapshot alive,
  // and the control block it keeps alive means no later snapshot can take
  // the same address and pass for this one.
  std::weak_ptr<const Snapshot> rendered_snapshot_;
  std::string rendered_other_inputs_;
  std::shared_ptr<const Exposition> exposition_;
  std::uint64_t render_count_ = 0;
  // Set while one call renders outside the lock.
  bool rendering_ = false;
  std::condition_variable rendering_done_;
};

}  // namespace dce
