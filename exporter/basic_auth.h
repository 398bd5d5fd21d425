#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace dce {

/// The user name and password of a `Basic` Authorization header.
struct BasicCredentials {
  std::string user;
  std::string password;
};

/// Decodes an Authorization header value of the `Basic` scheme (RFC 7617).
/// Returns nullopt for another scheme, invalid base64 or a missing colon.
std::optional<BasicCredentials> ParseBasicAuthorization(
    std::string_view header);

/// Returns whether `password` matches the crypt(3) `hash`, such as a bcrypt
/// `$2y$...` hash, comparing the computed hash in constant time.
bool VerifyPasswordHash(const std::string& password, const std::string& hash);

/// Checks Authorization headers against users and their bcrypt hashes, as
/// the Prometheus exporter-toolkit's `basic_auth_users` does.
///
/// bcrypt takes tens of milliseconds at cost 10 by design, which every
/// scrape would pay, so successful checks are cached under a SHA-256 digest
/// of user, hash and password; the cache never contains a password. An unknown
/// user is checked against a fixed hash, so that the response time does
/// not reveal which users exist.
///
/// Thread-safe.
class BasicAuthenticator {
 public:
  explicit BasicAuthenticator(
      std::map<std::string, std::string, std::less<>> users);

  /// Returns whether the Authorization header value `header` carries the
  /// password of a configured user.
  bool Authenticate(std::string_view header) const;

  /// Successful checks remembered, at most kMaxCachedCredentials.
  std::size_t CachedCredentialCount() const;

  /// The cache is cleared when full, so that random passwords cannot grow
  /// it without bound.
  static constexpr std::size_t kMaxCachedCredentials = 1024;

 private:
  std::map<std::string, std::string, std::less<>> users_;
  mutable std::mutex cache_mutex_;
  mutable std::set<std::string, std::less<>> verified_digests_;
};

}  // namespace dce
