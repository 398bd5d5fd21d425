# Every dependency comes from Debian 12's packages; scripts/bootstrap installs
# them.
find_package(Threads REQUIRED)
# Debian 12 packages prometheus-cpp 1.0.1 without a version file.
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 2.1 CONFIG REQUIRED)
find_package(spdlog 1.10 CONFIG REQUIRED)
find_package(yaml-cpp 0.7 CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
# The exporter compresses each rendering of /metrics once with zlib.
find_package(ZLIB REQUIRED)

# cpp-httplib ships no CMake package. Its pkg-config file carries the
# CPPHTTPLIB_*_SUPPORT defines that the compiled library was built with, and
# every file that includes httplib.h must see the same ones.
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
# OpenSSL (libssl-dev) serves TLS and hashes the basic authentication cache
# keys. libcrypt (libcrypt-dev) checks bcrypt password hashes; it ships a
# pkg-config file but no CMake package.
find_package(OpenSSL 3 REQUIRED)
pkg_check_modules(LIBCRYPT REQUIRED IMPORTED_TARGET libcrypt)

# RE2 matches the configuration file's container name patterns in linear
# time. Debian packages it with a pkg-config file only.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
