#pragma once

#include <zlib.h>

#include <array>
#include <string>

namespace dce {

/// Decompresses one gzip member. On failure it returns an error message in
/// place of the text, so the comparison that reads it fails.
inline std::string Gunzip(const std::string& compressed) {
  z_stream stream{};
  // 15 window bits plus 16 accepts a gzip header and trailer only.
  if (inflateInit2(&stream, 15 + 16) != Z_OK) {
    return "inflateInit2 failed";
  }
  std::string text;
  std::array<char, 65536> buffer{};
  stream.next_in =
      reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    status = inflate(&stream, Z_NO_FLUSH);
    text.append(buffer.data(), buffer.size() - stream.avail_out);
  }
  inflateEnd(&stream);
  return status == Z_STREAM_END ? text : "invalid gzip data";
}

}  // namespace dce
