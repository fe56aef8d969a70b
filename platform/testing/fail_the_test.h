#pragma once

#include <gtest/gtest.h>

#include <string>

namespace travio::testing {

/// For a deployment or a TravioProcess in a test (its bad-exit handler): a process that ended
/// badly fails the test that ran it.
inline void FailTheTest(const std::string& report) { ADD_FAILURE() << report; }

}  // namespace travio::testing
