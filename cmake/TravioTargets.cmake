# travio_library(name SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#   A static library whose include root is the repository root, so headers are included by
#   their full path ("platform/http/router.h").
function(travio_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# travio_test(name SOURCES ... [DEPS ...] [LABELS ...] [SERVERS])
#   A GoogleTest executable registered with CTest. SERVERS marks tests that talk to the real
#   PostgreSQL and Redis started once per run by the `test_servers` fixture.
function(travio_test name)
  cmake_parse_arguments(ARG "SERVERS" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} travio_testing GTest::gtest GTest::gmock GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  # One variable only: a list here would be split into separate properties by
  # gtest_discover_tests. The travio binary's path is compiled into travio_testing instead.
  # gtest_discover_tests flattens its PROPERTIES list, so several labels would spill into the
  # following properties (dropping the environment and the fixture). They travel as one label
  # joined by "-" instead; `ctest -L` matches a regex, so -L sqlite selects "postgres-sqlite".
  list(JOIN ARG_LABELS "-" labels)
  set(properties LABELS "${labels}" ENVIRONMENT
      "TRAVIO_TEST_SERVERS_FILE=${PROJECT_BINARY_DIR}/test-servers/servers.env")
  if(ARG_SERVERS)
    list(APPEND properties FIXTURES_REQUIRED test_servers)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES ${properties})
endfunction()
