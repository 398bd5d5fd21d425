#include "collectors/engine_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace dce {
namespace {

struct ResponseBuffer {
  std::string body;
  bool too_large = false;
};

std::size_t AppendBody(char* data, std::size_t size, std::size_t count,
                       void* user_data) {
  auto* buffer = static_cast<ResponseBuffer*>(user_data);
  const std::size_t bytes = size * count;
  if (buffer->body.size() + bytes > EngineClient::kMaxResponseBytes) {
    buffer->too_large = true;
    return 0;  // Any other count than `bytes` makes curl abort the transfer.
  }
  buffer->body.append(data, bytes);
  return bytes;
}

// libcurl calls this about once a second while a transfer waits, and
// aborts the transfer when it returns non-zero.
int AbortWhenCancelled(void* user_data, curl_off_t, curl_off_t, curl_off_t,
                       curl_off_t) {
  const auto* cancelled = static_cast<const std::atomic<bool>*>(user_data);
  return cancelled->load() ? 1 : 0;
}

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

}  // namespace

EngineClient::EngineClient(EngineAddress address,
                           std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {
  InitializeCurlOnce();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) {
    throw std::runtime_error("curl_easy_init failed");
  }
}

EngineClient::~EngineClient() { curl_easy_cleanup(curl_); }

void EngineClient::PrepareRequest(std::string_view path, char* error_text) {
  CURL* curl = curl_;
  const std::string url = address_.base_url + std::string(path);

  // Every option is set again on each request, because curl keeps options
  // between transfers on one handle and only the connection should carry
  // over.
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  // Nothing but the engine's API is ever fetched, so no other protocol may
  // be reached, whatever the address names.
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (address_.transport == EngineAddress::Transport::kUnix) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH,
                     address_.socket_path.c_str());
  }
  if (address_.tls) {
    const EngineTls& tls = *address_.tls;
    curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
    // Only the named authority, not the system's, may vouch for the engine.
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION,
                     static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!tls.cert_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
      curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
    }
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(timeout_.count()));
  // Signals are not safe for timeouts in a multi-threaded program.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  if (cancelled_ != nullptr) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &AbortWhenCancelled);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA,
                     const_cast<std::atomic<bool>*>(cancelled_));
  }
}

std::string EngineClient::DescribeFailure(std::string_view path, int curl_code,
                                          const char* error_text) const {
  const auto code = static_cast<CURLcode>(curl_code);
  std::string detail =
      error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
  // curl words a unix socket failure as if it were TCP ("Failed to connect
  // to docker port 80"), so name the socket and errno instead.
  long os_errno = 0;
  curl_easy_getinfo(static_cast<CURL*>(curl_), CURLINFO_OS_ERRNO, &os_errno);
  if (code == CURLE_COULDNT_CONNECT &&
      address_.transport == EngineAddress::Transport::kUnix) {
    detail = "cannot connect to the socket " + address_.socket_path;
    if (os_errno != 0) {
      detail += ": " + std::string(std::strerror(static_cast<int>(os_errno)));
    }
    detail += " (is the engine running, and may this user open it?)";
  }
  return "GET " + std::string(path) + " on " + address_.original +
         " failed: " + detail;
}

Result<EngineResponse> EngineClient::Get(std::string_view path) {
  CURL* curl = curl_;
  if (cancelled_ != nullptr && cancelled_->load()) {
    return Error{"GET " + std::string(path) + " was cancelled"};
  }
  ResponseBuffer buffer;
  char error_text[CURL_ERROR_SIZE] = {};
  PrepareRequest(path, error_text);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buffer);

  const CURLcode code = curl_easy_perform(curl);
  if (buffer.too_large) {
    return Error{"GET " + std::string(path) + " on " + address_.original +
                 ": the response is larger than " +
                 std::to_string(kMaxResponseBytes) + " bytes"};
  }
  if (code != CURLE_OK) {
    return Error{DescribeFailure(path, code, error_text)};
  }

  EngineResponse response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(buffer.body);
  return response;
}

namespace {

// The state of a streamed transfer, shared by its callbacks.
struct StreamState {
  CURL* curl = nullptr;
  const std::function<void(long)>* on_status = nullptr;
  const EngineClient::ChunkHandler* on_chunk = nullptr;
  long status = 0;
  /// The start of an error response's body, kept for the error message.
  std::string error_body;
  bool declined = false;
};

constexpr std::size_t kMaxErrorBodyBytes = 4096;

// Called once per header line; the empty line ends the headers, which is
// when the final status is known.
std::size_t OnStreamHeader(char* data, std::size_t size, std::size_t count,
                           void* user_data) {
  auto* state = static_cast<StreamState*>(user_data);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line == "\r\n" || line == "\n") {
    long status = 0;
    curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &status);
    // An interim 1xx response is followed by the real one.
    if (status >= 200 && state->status == 0) {
      state->status = status;
      (*state->on_status)(status);
    }
  }
  return bytes;
}

std::size_t OnStreamBody(char* data, std::size_t size, std::size_t count,
                         void* user_data) {
  auto* state = static_cast<StreamState*>(user_data);
  const std::size_t bytes = size * count;
  if (state->status != 200) {
    const std::size_t room = kMaxErrorBodyBytes - state->error_body.size();
    state->error_body.append(data, std::min(room, bytes));
    return bytes;
  }
  if (!(*state->on_chunk)(std::string_view(data, bytes))) {
    state->declined = true;
    return 0;  // Any other count than `bytes` makes curl abort the transfer.
  }
  return bytes;
}

}  // namespace

Result<long> EngineClient::Stream(
    std::string_view path, const std::function<void(long status)>& on_status,
    const ChunkHandler& on_chunk) {
  CURL* curl = curl_;
  if (cancelled_ != nullptr && cancelled_->load()) {
    return Error{"GET " + std::string(path) + " was cancelled"};
  }
  StreamState state;
  state.curl = curl;
  state.on_status = &on_status;
  state.on_chunk = &on_chunk;
  char error_text[CURL_ERROR_SIZE] = {};
  PrepareRequest(path, error_text);
  // A stream has no end, so only connecting is bounded. Keep-alive probes
  // notice a TCP peer that vanished without closing the connection.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnStreamHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnStreamBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);

  const CURLcode code = curl_easy_perform(curl);
  if (state.declined) {
    return state.status;
  }
  if (code != CURLE_OK) {
    return Error{DescribeFailure(path, code, error_text)};
  }
  if (state.status != 200) {
    std::string body = state.error_body.substr(0, 200);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
      body.pop_back();
    }
    return Error{"GET " + std::string(path) + " on " + address_.original +
                 " returned HTTP " + std::to_string(state.status) + ": " +
                 body};
  }
  return Error{"GET " + std::string(path) + " on " + address_.original +
               ": the engine closed the stream"};
}

}  // namespace dce
