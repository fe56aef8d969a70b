#pragma once

#include <gtest/gtest.h>

#include <string>

namespace travio::e2e {

/// For a deployment in a test (its BadExitHandler): a process that ended badly fails the test
/// that ran it.
inline void FailTheTest(const std::string& report) { ADD_FAILURE() << report; }

}  // namespace travio::e2e
