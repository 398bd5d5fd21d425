#include "exporter/listen_address.h"

#include <charconv>

namespace dce {
namespace {

Error InvalidListenAddress(std::string_view text, std::string_view why) {
  return Error{"invalid value \"" + std::string(text) +
               "\" for --web.listen-address: " + std::string(why) +
               "; use host:port, :port or [ipv6]:port, such as :9795"};
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return InvalidListenAddress(text, "the port is missing");
  }

  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) {
      return InvalidListenAddress(text, "an IPv6 address lacks its ']'");
    }
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return InvalidListenAddress(text, "an IPv6 address needs brackets");
  }

  int port = -1;
  const char* end = port_text.data() + port_text.size();
  const auto [stop, error] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || error != std::errc() || stop != end || port < 0 ||
      port > 65535) {
    return InvalidListenAddress(text,
                                "the port must be a number from 0 to "
                                "65535");
  }
  return ListenAddress{std::string(host), port};
}

std::string FormatListenAddress(const ListenAddress& address) {
  const std::string host = address.host.empty() ? "0.0.0.0" : address.host;
  if (host.find(':') != std::string::npos) {
    return "[" + host + "]:" + std::to_string(address.port);
  }
  return host + ":" + std::to_string(address.port);
}

}  // namespace dce
