#include "exporter/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <array>

namespace dce {
namespace {

// Session resumption with client certificates needs an id for the context
// that issued the session. Every context shares it, so that sessions
// survive a certificate reload.
constexpr std::string_view kSessionIdContext = "docker_compliance_exporter";

std::string OpenSslReason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return "unknown OpenSSL error";
  }
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

// Accepts any client certificate: RequestClientCert and
// RequireAnyClientCert ask for one without checking who signed it.
int AcceptAnyCertificate(int /*preverified*/, X509_STORE_CTX* /*store*/) {
  return 1;
}

int SwitchContext(SSL* ssl, int* alert, void* argument) {
  auto* hooks = static_cast<TlsHooks*>(argument);
  const SslContextPtr current = hooks->current_context();
  if (!current) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  // SSL_set_SSL_CTX takes the certificate, key, trust store and CA list,
  // but the verify mode and the minimum version were copied from the base
  // context when the connection was created.
  SSL_set_SSL_CTX(ssl, current.get());
  SSL_set_verify(ssl, SSL_CTX_get_verify_mode(current.get()),
                 SSL_CTX_get_verify_callback(current.get()));
  SSL_set_min_proto_version(ssl, SSL_CTX_get_min_proto_version(current.get()));
  return SSL_CLIENT_HELLO_SUCCESS;
}

void ApplyCommonSettings(SSL_CTX& context) {
  SSL_CTX_set_options(
      &context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION);
  SSL_CTX_set_session_id_context(
      &context,
      reinterpret_cast<const unsigned char*>(kSessionIdContext.data()),
      kSessionIdContext.size());
}

}  // namespace

Result<SslContextPtr> BuildServerContext(const TlsServerConfig& tls) {
  ERR_clear_error();
  const SslContextPtr context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!context) {
    return Error{"cannot create a TLS context: " + OpenSslReason()};
  }
  ApplyCommonSettings(*context);
  if (tls.min_version == TlsVersion::kTls13) {
    SSL_CTX_set_min_proto_version(context.get(), TLS1_3_VERSION);
  }

  if (SSL_CTX_use_certificate_chain_file(context.get(),
                                         tls.cert_file.c_str()) != 1) {
    return Error{"cannot load tls_server_config.cert_file \"" + tls.cert_file +
                 "\": " + OpenSslReason() +
                 "; give a PEM certificate, followed by its intermediates"};
  }
  // OpenSSL checks that the key matches the certificate as it loads it.
  const bool loaded =
      SSL_CTX_use_PrivateKey_file(context.get(), tls.key_file.c_str(),
                                  SSL_FILETYPE_PEM) == 1;
  if (!loaded &&
      ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH) {
    return Error{"tls_server_config.key_file \"" + tls.key_file +
                 "\" does not belong to the certificate in cert_file \"" +
                 tls.cert_file + "\": " + OpenSslReason() +
                 "; give the key the certificate was issued for"};
  }
  if (!loaded) {
    return Error{"cannot load tls_server_config.key_file \"" + tls.key_file +
                 "\": " + OpenSslReason() +
                 "; give an unencrypted PEM private key"};
  }
  if (SSL_CTX_check_private_key(context.get()) != 1) {
    return Error{"tls_server_config.key_file \"" + tls.key_file +
                 "\" does not belong to the certificate in cert_file \"" +
                 tls.cert_file + "\": " + OpenSslReason() +
                 "; give the key the certificate was issued for"};
  }

  if (!tls.client_ca_file.empty()) {
    STACK_OF(X509_NAME)* names =
        SSL_load_client_CA_file(tls.client_ca_file.c_str());
    if (names == nullptr ||
        SSL_CTX_load_verify_locations(context.get(), tls.client_ca_file.c_str(),
                                      nullptr) != 1) {
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      return Error{"cannot load tls_server_config.client_ca_file \"" +
                   tls.client_ca_file + "\": " + OpenSslReason() +
                   "; give one or more PEM CA certificates"};
    }
    SSL_CTX_set_client_CA_list(context.get(), names);
  }

  switch (tls.client_auth_type) {
    case ClientAuthType::kNoClientCert:
      SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
      break;
    case ClientAuthType::kRequestClientCert:
      SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, AcceptAnyCertificate);
      break;
    case ClientAuthType::kRequireAnyClientCert:
      SSL_CTX_set_verify(context.get(),
                         SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                         AcceptAnyCertificate);
      break;
    case ClientAuthType::kVerifyClientCertIfGiven:
      SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuthType::kRequireAndVerifyClientCert:
      SSL_CTX_set_verify(context.get(),
                         SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                         nullptr);
      break;
  }
  return context;
}

void InstallTlsHooks(SSL_CTX& base, TlsHooks& hooks) {
  ApplyCommonSettings(base);
  SSL_CTX_set_client_hello_cb(&base, SwitchContext, &hooks);
}

}  // namespace dce
