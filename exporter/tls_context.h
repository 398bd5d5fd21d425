#pragma once

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <string>

#include "collectors/result.h"
#include "exporter/web_config.h"

namespace dce {

/// An OpenSSL server context, freed with SSL_CTX_free.
using SslContextPtr = std::shared_ptr<SSL_CTX>;

/// Callbacks of the server's TLS contexts during handshakes. Must outlive
/// every context it is installed in.
struct TlsHooks {
  /// Returns the context to finish a handshake with: the one built from
  /// the current web configuration. Called once per handshake.
  std::function<SslContextPtr()> current_context;
};

/// Builds a server context from `tls`: loads and matches the certificate
/// chain and key, the client CA, the client certificate policy and the
/// minimum version. Returns an error naming the file and OpenSSL's reason.
Result<SslContextPtr> BuildServerContext(const TlsServerConfig& tls);

/// Sets up `base`, the context that accepts every connection, to switch
/// each handshake to `hooks.current_context()` once the ClientHello has
/// arrived, so that a new certificate applies to new connections without
/// a restart.
void InstallTlsHooks(SSL_CTX& base, TlsHooks& hooks);

}  // namespace dce
