#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
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

  /// Receives each piece of a streamed body as it arrives; returns false
  /// to end the stream.
  using ChunkHandler = std::function<bool(std::string_view chunk)>;

  /// Sends `GET path` and hands the body to `on_chunk` as it arrives, with
  /// no limit on the whole request's duration, for endpoints that stream
  /// without end such as `/events`. `on_status` is called once with the
  /// HTTP status when the headers have arrived, before any chunk; the body
  /// of a status other than 200 is not handed on. Returns the status when
  /// `on_chunk` declined a chunk, and otherwise an error saying why the
  /// stream ended: the engine closed it, answered with another status than
  /// 200, or the connection failed or was cancelled.
  Result<long> Stream(std::string_view path,
                      const std::function<void(long status)>& on_status,
                      const ChunkHandler& on_chunk);

  const EngineAddress& address() const { return address_; }

  /// Makes requests fail at once, and a request in flight fail within about
  /// a second, while `*cancelled` is true. The flag must outlive the client.
  void SetCancellationFlag(const std::atomic<bool>* cancelled) {
    cancelled_ = cancelled;
  }

 private:
  /// Sets the options that every request shares: the URL, the socket, the
  /// connect timeout, cancellation and the error buffer.
  void PrepareRequest(std::string_view path, char* error_text);

  /// Describes a failed transfer, naming the socket when it could not be
  /// reached.
  std::string DescribeFailure(std::string_view path, int curl_code,
                              const char* error_text) const;

  EngineAddress address_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>* cancelled_ = nullptr;
  void* curl_;  // CURL*, kept opaque so that includers need no curl.h.
};

}  // namespace dce
