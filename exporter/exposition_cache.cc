#include "exporter/exposition_cache.h"

#include <zlib.h>

#include <new>
#include <utility>

#include "exporter/http_server.h"

namespace dce {
namespace {

// deflateInit2's window bits: 15, the maximum, plus 16 for a gzip header
// and trailer in place of zlib's.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kDefaultMemoryLevel = 8;

}  // namespace

std::string GzipCompress(const std::string& text) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits,
                   kDefaultMemoryLevel, Z_DEFAULT_STRATEGY) != Z_OK) {
    // deflateInit2 fails only without memory, or with invalid arguments,
    // which the constants above are not.
    throw std::bad_alloc();
  }

  std::string compressed;
  compressed.resize(deflateBound(&stream, text.size()));
  // zlib's interface is not const-correct; deflate() only reads the input.
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast)
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  // deflateBound() leaves room for the whole output, so one call finishes.
  const int status = deflate(&stream, Z_FINISH);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) {
    throw std::bad_alloc();
  }
  compressed.shrink_to_fit();
  return compressed;
}

Exposition::Exposition(std::string text) : text_(std::move(text)) {}

const std::string& Exposition::Gzip() const {
  std::call_once(gzip_once_, [this] { gzip_ = GzipCompress(text_); });
  return gzip_;
}

ExpositionCache::ExpositionCache(const SnapshotStore& store,
                                 const prometheus::Collectable& collectable,
                                 std::function<std::string()> other_inputs)
    : store_(store),
      collectable_(collectable),
      other_inputs_(std::move(other_inputs)) {}

std::shared_ptr<const Exposition> ExpositionCache::Current() {
  std::lock_guard lock(mutex_);
  // Both are read before rendering, so the rendering is at least as new as
  // the state it is stored under. A rendering that is newer only causes one
  // more rendering on the next call.
  const auto snapshot = store_.Current();
  auto other_inputs = other_inputs_();
  const bool same_snapshot = !rendered_snapshot_.owner_before(snapshot) &&
                             !snapshot.owner_before(rendered_snapshot_);
  if (exposition_ && same_snapshot && other_inputs == rendered_other_inputs_) {
    return exposition_;
  }

  // Drops the cache's reference first, so that the old rendering is freed
  // before the new one is built unless a response still holds it.
  exposition_.reset();
  exposition_ =
      std::make_shared<const Exposition>(SerializeExposition(collectable_));
  rendered_snapshot_ = snapshot;
  rendered_other_inputs_ = std::move(other_inputs);
  ++render_count_;
  return exposition_;
}

std::uint64_t ExpositionCache::RenderCount() const {
  std::lock_guard lock(mutex_);
  return render_count_;
}

}  // namespace dce
