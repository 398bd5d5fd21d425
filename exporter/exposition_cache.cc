#include "exporter/exposition_cache.h"

#include <zlib.h>

#include <new>
#include <utility>

namespace dce {
namespace {

// deflateInit2's window bits: 15, the maximum, plus 16 for a gzip header
// and trailer in place of zlib's.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kDefaultMemoryLevel = 8;

// The first output buffer's share of the input, and its minimum size.
constexpr std::size_t kExpectedRatio = 16;
constexpr std::size_t kMinOutputBytes = 64;

}  // namespace

std::string GzipCompress(const std::string& text) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits,
                   kDefaultMemoryLevel, Z_DEFAULT_STRATEGY) != Z_OK) {
    // deflateInit2 fails without memory, with invalid arguments, which the
    // constants above are not, or with a zlib library that does not match
    // its header. The last cannot happen in a correctly installed system.
    throw std::bad_alloc();
  }

  // The exposition compresses well (2.8 MiB to 164 KiB at 1,000
  // containers), so the output starts at a sixteenth of the input and
  // doubles when full. deflateBound() would reserve more than the input.
  std::string compressed;
  compressed.resize(text.size() / kExpectedRatio + kMinOutputBytes);
  // zlib's interface is not const-correct; deflate() only reads the input.
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast)
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  while (true) {
    const int status = deflate(&stream, Z_FINISH);
    if (status == Z_STREAM_END) {
      break;
    }
    // With all input given and Z_FINISH, anything but a full output buffer
    // is an error that a valid stream cannot have.
    if ((status != Z_OK && status != Z_BUF_ERROR) || stream.avail_out != 0) {
      deflateEnd(&stream);
      throw std::bad_alloc();
    }
    compressed.resize(compressed.size() * 2);
    stream.next_out =
        reinterpret_cast<Bytef*>(compressed.data() + stream.total_out);
    stream.avail_out = static_cast<uInt>(compressed.size() - stream.total_out);
  }
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  compressed.shrink_to_fit();
  return compressed;
}

Exposition::Exposition(std::string text)
    : text_(std::move(text)), gzip_(GzipCompress(text_)) {}

ExpositionCache::ExpositionCache(const SnapshotStore& store,
                                 std::function<std::string()> render,
                                 std::function<std::string()> other_inputs)
    : store_(store),
      render_(std::move(render)),
      other_inputs_(std::move(other_inputs)) {}

std::shared_ptr<const Exposition> ExpositionCache::Current() {
  std::unique_lock lock(mutex_);
  while (true) {
    // Both are read before rendering, so the rendering is at least as new
    // as the state it is stored under. A newer rendering only causes one
    // more rendering on a later call.
    const auto snapshot = store_.Current();
    auto other_inputs = other_inputs_();
    const bool same_snapshot = !rendered_snapshot_.owner_before(snapshot) &&
                               !snapshot.owner_before(rendered_snapshot_);
    if (exposition_ && same_snapshot &&
        other_inputs == rendered_other_inputs_) {
      return exposition_;
    }
    if (rendering_ && exposition_) {
      return exposition_;
    }
    if (rendering_) {
      rendering_done_.wait(lock);
      continue;
    }

    rendering_ = true;
    lock.unlock();
    std::shared_ptr<const Exposition> rendered;
    try {
      rendered = std::make_shared<const Exposition>(render_());
    } catch (...) {
      lock.lock();
      rendering_ = false;
      rendering_done_.notify_all();
      throw;
    }
    lock.lock();
    rendering_ = false;
    // The cache's reference to the previous rendering goes here, and the
    // rendering is freed once no response holds it.
    exposition_ = rendered;
    rendered_snapshot_ = snapshot;
    rendered_other_inputs_ = std::move(other_inputs);
    ++render_count_;
    rendering_done_.notify_all();
    return rendered;
  }
}

std::uint64_t ExpositionCache::RenderCount() const {
  std::lock_guard lock(mutex_);
  return render_count_;
}

}  // namespace dce
