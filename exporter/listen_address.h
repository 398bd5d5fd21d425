#pragma once

#include <string>
#include <string_view>

#include "collectors/result.h"

namespace dce {

/// A host and port to listen on, from `--web.listen-address`.
struct ListenAddress {
  /// Empty means every interface, as in `:9795`. IPv6 literals are stored
  /// without brackets.
  std::string host;
  int port = 0;
};

/// Parses `host:port`, `:port` or `[ipv6]:port`. Port 0 picks a free port.
Result<ListenAddress> ParseListenAddress(std::string_view text);

/// Formats an address for logs: `[::1]:9795`, `0.0.0.0:9795`.
std::string FormatListenAddress(const ListenAddress& address);

}  // namespace dce
