# Every third-party dependency, found in one place. All come from Debian packages installed by
# scripts/bootstrap; nothing is downloaded at build time.

find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(date CONFIG REQUIRED)
find_package(rabbitmq-c CONFIG REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
# Regular expressions of CEL's matches() (the same RE2 gRPC uses).
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# Tickets: PDF pages drawn with cairo, text shaped by pango (Bangla needs real shaping), QR codes
# from libqrencode; email templates with mstch (Mustache).
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(mstch CONFIG REQUIRED)

include(GoogleTest)
