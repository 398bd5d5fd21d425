#include "collectors/engine_client.h"

#include <curl/curl.h>

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

Result<EngineResponse> EngineClient::Get(std::string_view path) {
  CURL* curl = curl_;
  if (cancelled_ != nullptr && cancelled_->load()) {
    return Error{"GET " + std::string(path) + " was cancelled"};
  }
  const std::string url = address_.base_url + std::string(path);
  ResponseBuffer buffer;
  char error_text[CURL_ERROR_SIZE] = {};

  // Every option is set again on each request, because curl keeps options
  // between transfers on one handle and only the connection should carry
  // over.
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (address_.transport == EngineAddress::Transport::kUnix) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH,
                     address_.socket_path.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(timeout_.count()));
  // Signals are not safe for timeouts in a multi-threaded program.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buffer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  if (cancelled_ != nullptr) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &AbortWhenCancelled);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA,
                     const_cast<std::atomic<bool>*>(cancelled_));
  }

  const CURLcode code = curl_easy_perform(curl);
  if (buffer.too_large) {
    return Error{"GET " + std::string(path) + " on " + address_.original +
                 ": the response is larger than " +
                 std::to_string(kMaxResponseBytes) + " bytes"};
  }
  if (code != CURLE_OK) {
    std::string detail =
        error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    // curl words a unix socket failure as if it were TCP ("Failed to
    // connect to docker port 80"), so name the socket and errno instead.
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    if (code == CURLE_COULDNT_CONNECT &&
        address_.transport == EngineAddress::Transport::kUnix) {
      detail = "cannot connect to the socket " + address_.socket_path;
      if (os_errno != 0) {
        detail += ": " + std::string(std::strerror(static_cast<int>(os_errno)));
      }
      detail += " (is the engine running, and may this user open it?)";
    }
    return Error{"GET " + std::string(path) + " on " + address_.original +
                 " failed: " + detail};
  }

  EngineResponse response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(buffer.body);
  return response;
}

}  // namespace dce
