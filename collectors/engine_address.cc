#include "collectors/engine_address.h"

#include <charconv>
#include <string>
#include <utility>

namespace dce {
namespace {

constexpr std::string_view kUnixScheme = "unix://";
constexpr std::string_view kTcpScheme = "tcp://";
constexpr std::string_view kDefaultTcpPort = "2375";
constexpr std::string_view kDefaultTlsPort = "2376";

// Unix socket paths are limited by sockaddr_un::sun_path, 108 bytes on Linux
// including the terminating NUL.
constexpr std::size_t kMaxSocketPathLength = 107;

Error InvalidAddress(std::string_view text, std::string_view why) {
  return Error{"invalid engine address \"" + std::string(text) +
               "\": " + std::string(why) +
               "; use unix:///path/to/docker.sock or tcp://host:port"};
}

bool HasExplicitPort(std::string_view authority) {
  // An IPv6 literal is bracketed, so its own colons come before the ']'.
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  return bracket == std::string_view::npos || colon > bracket;
}

// An IPv6 literal without brackets, such as ::1:2375, cannot be separated
// from its port.
bool HasUnbracketedIpv6(std::string_view authority) {
  return !authority.starts_with('[') &&
         authority.find(':') != authority.rfind(':');
}

}  // namespace

Result<EngineAddress> ParseEngineAddress(std::string_view text,
                                         std::optional<EngineTls> tls) {
  EngineAddress address;
  address.original = std::string(text);

  if (text.starts_with(kUnixScheme)) {
    const std::string_view path = text.substr(kUnixScheme.size());
    if (path.empty() || path.front() != '/') {
      return InvalidAddress(text, "the socket path must be absolute");
    }
    if (path.size() > kMaxSocketPathLength) {
      return InvalidAddress(text, "the socket path is longer than 107 bytes");
    }
    address.transport = EngineAddress::Transport::kUnix;
    address.socket_path = std::string(path);
    address.base_url = "http://docker";
    return address;
  }

  if (text.starts_with(kTcpScheme)) {
    std::string_view authority = text.substr(kTcpScheme.size());
    while (authority.ends_with('/')) {
      authority.remove_suffix(1);
    }
    if (authority.empty() || authority.find('/') != std::string_view::npos) {
      return InvalidAddress(text, "expected tcp://host:port");
    }
    // The value is left out of this message, because it contains a password.
    if (authority.find('@') != std::string_view::npos) {
      return Error{
          "invalid engine address: tcp:// addresses with a user or "
          "password are not supported; remove them"};
    }
    if (HasUnbracketedIpv6(authority)) {
      return InvalidAddress(text,
                            "put an IPv6 address in brackets, such as "
                            "tcp://[::1]:2375");
    }
    address.transport = EngineAddress::Transport::kTcp;
    address.base_url = tls ? "https://" : "http://";
    address.tls = std::move(tls);
    address.base_url.append(authority);
    if (HasExplicitPort(authority)) {
      const std::string_view port = authority.substr(authority.rfind(':') + 1);
      int number = 0;
      const auto [end, error] =
          std::from_chars(port.data(), port.data() + port.size(), number);
      if (port.empty() || error != std::errc() ||
          end != port.data() + port.size() || number < 1 || number > 65535) {
        return InvalidAddress(text,
                              "the port must be a number from 1 to "
                              "65535");
      }
    } else {
      address.base_url.append(":").append(address.tls ? kDefaultTlsPort
                                                      : kDefaultTcpPort);
    }
    return address;
  }

  return InvalidAddress(text, "the scheme must be unix:// or tcp://");
}

}  // namespace dce
