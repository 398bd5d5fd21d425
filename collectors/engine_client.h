#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "collectors/engine_address.h"
#include "collectors/result.h"

namespace dce {

/// An HTTP response from the engine.
struct EngineResponse {
  long status = 0;
  std::string body;
};

/// An HTTP/1.1 client for the Docker engine's API over a unix socket or
/// plain TCP, built on libcurl. It keeps its connection open between
/// requests.
///
/// It can only send GET requests: the type offers no other method, so the
/// exporter cannot change the engine's state.
///
/// Not thread-safe: give each thread its own client.
class EngineClient {
 public:
  /// Refuses a response body larger than this many bytes, so that a broken
  /// engine cannot make the exporter allocate without bound.
  static constexpr std::size_t kMaxResponseBytes =
      std::size_t{64} * 1024 * 1024;

  /// `timeout` bounds connecting and, separately, each whole request.
  EngineClient(EngineAddress address, std::chrono::milliseconds timeout);
  ~EngineClient();

  EngineClient(const EngineClient&) = delete;
  EngineClient& operator=(const EngineClient&) = delete;

  /// Sends `GET path` (path and query, such as `/v1.41/containers/json`)
  /// and returns the response, whatever its status. Fails when no complete
  /// response arrives in time.
  Result<EngineResponse> Get(std::string_view path);

  const EngineAddress& address() const { return address_; }

  /// Makes requests fail at once, and a request in flight fail within about
  /// a second, while `*cancelled` is true. The flag must outlive the client.
  void SetCancellationFlag(const std::atomic<bool>* cancelled) {
    cancelled_ = cancelled;
  }

 private:
  EngineAddress address_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>* cancelled_ = nullptr;
  void* curl_;  // CURL*, kept opaque so that includers need no curl.h.
};

}  // namespace dce
