#include "exporter/basic_auth.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

using Users = std::map<std::string, std::string, std::less<>>;

// bcrypt hashes of "secret" at cost 4, made with Python's crypt module,
// which calls libcrypt. The three prefixes name the same algorithm.
constexpr const char* kHash2y =
    "$2y$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW";
constexpr const char* kHash2b =
    "$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW";

// "prometheus:secret" and "prometheus:wrong" in base64.
constexpr const char* kRightHeader = "Basic cHJvbWV0aGV1czpzZWNyZXQ=";
constexpr const char* kWrongHeader = "Basic cHJvbWV0aGV1czp3cm9uZw==";

TEST(ParseBasicAuthorization, DecodesUserAndPassword) {
  const auto credentials = ParseBasicAuthorization(kRightHeader);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->user, "prometheus");
  EXPECT_EQ(credentials->password, "secret");
}

TEST(ParseBasicAuthorization, PasswordKeepsLaterColons) {
  // "prometheus:pass:word"
  const auto credentials =
      ParseBasicAuthorization("Basic cHJvbWV0aGV1czpwYXNzOndvcmQ=");
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->user, "prometheus");
  EXPECT_EQ(credentials->password, "pass:word");
}

TEST(ParseBasicAuthorization, SchemeIsCaseInsensitive) {
  EXPECT_TRUE(ParseBasicAuthorization("bAsIc cHJvbWV0aGV1czpzZWNyZXQ="));
}

TEST(ParseBasicAuthorization, RejectsInvalidHeaders) {
  const char* const invalid[] = {
      "",
      "Basic",
      "Basic ",
      "Bearer cHJvbWV0aGV1czpzZWNyZXQ=",
      "Basicc HJvbWV0aGV1czpzZWNyZXQ=",
      "Basic cHJvbWV0aGV1czpzZWNyZXQ",   // missing padding
      "Basic cHJvbWV0aGV1czpz*WNyZXQ=",  // not base64
      "Basic bm9jb2xvbg==",              // "nocolon"
  };
  for (const char* header : invalid) {
    EXPECT_FALSE(ParseBasicAuthorization(header)) << header;
  }
}

TEST(VerifyPasswordHash, AcceptsRightPassword) {
  EXPECT_TRUE(VerifyPasswordHash("secret", kHash2y));
  EXPECT_TRUE(VerifyPasswordHash("secret", kHash2b));
}

TEST(VerifyPasswordHash, RejectsWrongPassword) {
  EXPECT_FALSE(VerifyPasswordHash("Secret", kHash2y));
  EXPECT_FALSE(VerifyPasswordHash("", kHash2y));
}

TEST(VerifyPasswordHash, RejectsInvalidHash) {
  EXPECT_FALSE(VerifyPasswordHash("secret", "not a hash"));
  EXPECT_FALSE(VerifyPasswordHash("secret", ""));
}

TEST(BasicAuthenticator, AcceptsRightCredentials) {
  const BasicAuthenticator authenticator(Users{{"prometheus", kHash2y}});
  EXPECT_TRUE(authenticator.Authenticate(kRightHeader));
}

TEST(BasicAuthenticator, RejectsWrongPassword) {
  const BasicAuthenticator authenticator(Users{{"prometheus", kHash2y}});
  EXPECT_FALSE(authenticator.Authenticate(kWrongHeader));
}

TEST(BasicAuthenticator, RejectsUnknownUser) {
  const BasicAuthenticator authenticator(Users{{"grafana", kHash2y}});
  EXPECT_FALSE(authenticator.Authenticate(kRightHeader));
}

TEST(BasicAuthenticator, RejectsMissingHeader) {
  const BasicAuthenticator authenticator(Users{{"prometheus", kHash2y}});
  EXPECT_FALSE(authenticator.Authenticate(""));
}

TEST(BasicAuthenticator, CachesOnlySuccesses) {
  const BasicAuthenticator authenticator(Users{{"prometheus", kHash2y}});
  EXPECT_FALSE(authenticator.Authenticate(kWrongHeader));
  EXPECT_EQ(authenticator.CachedCredentialCount(), 0U);

  EXPECT_TRUE(authenticator.Authenticate(kRightHeader));
  EXPECT_EQ(authenticator.CachedCredentialCount(), 1U);
  // The cache returns the second result, which is the same.
  EXPECT_TRUE(authenticator.Authenticate(kRightHeader));
  EXPECT_EQ(authenticator.CachedCredentialCount(), 1U);
  EXPECT_FALSE(authenticator.Authenticate(kWrongHeader));
}

TEST(BasicAuthenticator, CacheDoesNotOutliveHashChange) {
  const BasicAuthenticator before(Users{{"prometheus", kHash2y}});
  EXPECT_TRUE(before.Authenticate(kRightHeader));
  // A new file builds a new authenticator, with an empty cache.
  const BasicAuthenticator after(
      Users{{"prometheus",
             "$2y$04$abcdefghijklmnopqrstuuZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"}});
  EXPECT_FALSE(after.Authenticate(kRightHeader));
}

}  // namespace
}  // namespace dce
