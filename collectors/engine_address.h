#pragma once

#include <string>
#include <string_view>

#include "collectors/result.h"

namespace dce {

/// The address of the Docker engine's API, as the docker CLI spells it in
/// DOCKER_HOST: `unix:///var/run/docker.sock` or `tcp://host:port`.
struct EngineAddress {
  enum class Transport { kUnix, kTcp };

  Transport transport = Transport::kUnix;

  /// The socket's file system path; empty for TCP.
  std::string socket_path;

  /// The URL prefix that request paths are appended to: `http://docker` for
  /// a unix socket, where curl ignores the host name, or `http://host:port`.
  std::string base_url;

  /// The address as the user wrote it, for logs and errors.
  std::string original;
};

/// The engine address that the docker CLI uses when DOCKER_HOST is unset.
inline constexpr std::string_view kDefaultEngineAddress =
    "unix:///var/run/docker.sock";

/// Parses a DOCKER_HOST-style address. `tcp://host` without a port gets the
/// engine's plain-HTTP port, 2375.
Result<EngineAddress> ParseEngineAddress(std::string_view text);

}  // namespace dce
