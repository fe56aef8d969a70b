#pragma once

// Fixed Ed25519 keys for the token fuzzers: a fuzzer must be able to sign what it mutates, so
// the parsers behind the signature (claims, footers) are reached, not only the signature check.
// Drawn from a constant seed: fuzzing needs the same key on every run, and these keys guard
// nothing.

#include <sodium.h>

#include <cstdio>
#include <string>

namespace travio::fuzz {

struct FuzzKeys {
  std::string public_key;
  std::string secret_key;
  FuzzKeys() {
    if (sodium_init() < 0) __builtin_trap();
    unsigned char seed[crypto_sign_SEEDBYTES] = {7};
    public_key.resize(crypto_sign_PUBLICKEYBYTES);
    secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                             reinterpret_cast<unsigned char*>(secret_key.data()), seed);
  }
};

/// Stops the run: a property the code promises did not hold (libFuzzer saves the input).
[[noreturn]] inline void Violated(const char* what = "a promised property") {
  std::fprintf(stderr, "fuzz: violated: %s\n", what);
  __builtin_trap();
}

}  // namespace travio::fuzz
