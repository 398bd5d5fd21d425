#include "exporter/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <memory>

namespace dce {
namespace {

// A bcrypt hash at cost 10, htpasswd's default, of a password that is not
// kept anywhere. Unknown users are checked against it so that they take as
// long as known ones.
constexpr std::string_view kUnknownUserHash =
    "$2b$10$000000000000000000000uvZ6S7omcAjWf9cZyK8nwvO/aV5g9GkO";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

// Decodes standard base64 with padding, as RFC 7617 uses.
std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() &&
         text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  std::string decoded;
  unsigned int buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    const int value = Base64Value(text[i]);
    if (value < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6U) | static_cast<unsigned int>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded.push_back(static_cast<char>((buffer >> bits) & 0xFFU));
    }
  }
  return decoded;
}

// The SHA-256 digest of user, hash and password, each followed by a NUL,
// so that no two different triples share an input.
std::string CacheKey(std::string_view user, std::string_view hash,
                     std::string_view password) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const unsigned char separator = 0;
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  for (const std::string_view part : {user, hash, password}) {
    EVP_DigestUpdate(context.get(), part.data(), part.size());
    EVP_DigestUpdate(context.get(), &separator, 1);
  }
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

}  // namespace

std::optional<BasicCredentials> ParseBasicAuthorization(
    std::string_view header) {
  constexpr std::string_view kScheme = "basic";
  if (header.size() <= kScheme.size() || header[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  // The scheme name is case-insensitive (RFC 9110, section 11.1).
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view encoded = header.substr(kScheme.size() + 1);
  while (!encoded.empty() && encoded.front() == ' ') {
    encoded.remove_prefix(1);
  }
  const auto decoded = DecodeBase64(encoded);
  if (!decoded) {
    return std::nullopt;
  }
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  return BasicCredentials{decoded->substr(0, colon),
                          decoded->substr(colon + 1)};
}

bool VerifyPasswordHash(const std::string& password, const std::string& hash) {
  // crypt_data is about 32 KiB, too large for a worker's stack.
  const auto data = std::make_unique<crypt_data>();
  const char* computed = crypt_r(password.c_str(), hash.c_str(), data.get());
  if (computed == nullptr) {
    return false;
  }
  const std::string_view result(computed);
  // libcrypt returns a string starting with "*" for an invalid hash.
  return result.size() == hash.size() &&
         CRYPTO_memcmp(result.data(), hash.data(), hash.size()) == 0;
}

BasicAuthenticator::BasicAuthenticator(
    std::map<std::string, std::string, std::less<>> users)
    : users_(std::move(users)) {}

bool BasicAuthenticator::Authenticate(std::string_view header) const {
  const auto credentials = ParseBasicAuthorization(header);
  if (!credentials) {
    return false;
  }
  const auto user = users_.find(credentials->user);
  const bool known_user = user != users_.end();
  const std::string hash =
      known_user ? user->second : std::string(kUnknownUserHash);

  const std::string key =
      CacheKey(credentials->user, hash, credentials->password);
  {
    std::lock_guard lock(cache_mutex_);
    if (verified_digests_.contains(key)) {
      return known_user;
    }
  }

  const bool matches = VerifyPasswordHash(credentials->password, hash);
  if (!known_user || !matches) {
    return false;
  }
  std::lock_guard lock(cache_mutex_);
  if (verified_digests_.size() >= kMaxCachedCredentials) {
    verified_digests_.clear();
  }
  verified_digests_.insert(key);
  return true;
}

std::size_t BasicAuthenticator::CachedCredentialCount() const {
  std::lock_guard lock(cache_mutex_);
  return verified_digests_.size();
}

}  // namespace dce
