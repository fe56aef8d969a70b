# The helpers every CMakeLists.txt uses, one per kind of target. A service's CMakeLists.txt says
# only what is particular to it (its sources per layer, whom it calls); the shape of its targets
# and their dependencies is decided here, once.

option(TRAVIO_BUILD_TESTS "Build the test programs and register them with CTest" ON)

# travio_library(name SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#   A static library whose include root is the repository root, so headers are included by
#   their full path ("platform/http/router.h"). Without sources it is an interface library
#   (a layer a small service does not have), so dependents need not know.
function(travio_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT ARG_SOURCES)
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}
                               ${PROJECT_BINARY_DIR}/generated)
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# travio_test(name SOURCES ... [DEPS ...] [LABELS ...] [SERVERS] [EACH_CASE] [UNITY_BATCH n]
#             [SHARED_SUITES suite...])
#   A GoogleTest program registered with CTest, its sources compiled as one unity translation
#   unit (the gtest, gmock and abseil headers are read once per program, not once per file;
#   names in anonymous namespaces must therefore differ between its files; UNITY_BATCH 1 keeps
#   each file apart). SERVERS marks tests that talk to the real PostgreSQL, Redis and RabbitMQ
#   started once per run by the `test_servers` fixture.
#
#   The program runs whole, as one CTest test: starting a sanitized process costs more than
#   most unit tests take. EACH_CASE registers every case as a CTest test of its own process
#   instead (the end-to-end suites: long cases, each starting its own servers).
function(travio_test name)
  if(NOT TRAVIO_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "SERVERS;EACH_CASE" "UNITY_BATCH" "SOURCES;DEPS;LABELS;SHARED_SUITES"
                        ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} travio_testing GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT ARG_UNITY_BATCH)
    set(ARG_UNITY_BATCH 0)
  endif()
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests
    UNITY_BUILD ON
    UNITY_BUILD_BATCH_SIZE ${ARG_UNITY_BATCH})
  target_compile_definitions(${name} PRIVATE TRAVIO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # The test's own code at -O0 (a sixth less compile time; the code under test, in the
  # libraries it links, keeps the preset's -Og): a debug build's test bodies only call and
  # compare.
  target_compile_options(${name} PRIVATE $<$<CONFIG:Debug>:-O0>)
  set(environment "TRAVIO_TEST_SERVERS_FILE=${PROJECT_BINARY_DIR}/test-servers/servers.env")
  if(NOT ARG_EACH_CASE)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "${environment}")
    if(ARG_SERVERS)
      set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED test_servers)
    endif()
    return()
  endif()
  # gtest_discover_tests flattens its PROPERTIES list, so several labels would spill into the
  # following properties (dropping the environment and the fixture). They travel as one label
  # joined by "-" instead; `ctest -L` matches a regex, so -L redis selects "e2e-postgres-redis".
  list(JOIN ARG_LABELS "-" labels)
  set(properties LABELS "${labels}" ENVIRONMENT "${environment}")
  if(ARG_SERVERS)
    list(APPEND properties FIXTURES_REQUIRED test_servers)
  endif()
  # A suite whose cases share a deployment (SHARED_SUITES, parameterised by Mode) is one test
  # per mode instead: its cases run in one process, one after the other, on one deployment. A
  # filter that selects no case, or a case that skips, fails the test, so a renamed suite cannot
  # pass by running nothing.
  set(excluded)
  foreach(suite ${ARG_SHARED_SUITES})
    foreach(mode Monolith Microservices)
      add_test(NAME Deployments/${suite}/${mode}
               COMMAND ${name} --gtest_filter=Deployments/${suite}.*/${mode})
      set_tests_properties(Deployments/${suite}/${mode} PROPERTIES ${properties} TIMEOUT 900
                           FAIL_REGULAR_EXPRESSION "Running 0 tests|\\[  SKIPPED \\]")
    endforeach()
    list(APPEND excluded "Deployments/${suite}.*")
  endforeach()
  set(filter)
  if(excluded)
    list(JOIN excluded ":" filter)
    set(filter TEST_FILTER "-${filter}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST ${filter} PROPERTIES ${properties})
endfunction()

# travio_e2e_test(name SOURCES ... [DEPS ...] [LABELS ...] [SHARED_SUITES ...])
#   A black-box suite that starts the built `travio` (tests/e2e, tests/topology), one case per
#   process, except the suites named in SHARED_SUITES: one process per mode, whose cases share
#   a deployment. It needs the shared test servers; `travio` itself is built by every build of the tree (the suite does not
#   wait for it to compile, so both compile side by side).
function(travio_e2e_test name)
  cmake_parse_arguments(ARG "" "UNITY_BATCH" "SOURCES;DEPS;LABELS;SHARED_SUITES" ${ARGN})
  travio_test(${name} SOURCES ${ARG_SOURCES} DEPS ${ARG_DEPS} nlohmann_json::nlohmann_json
              absl::strings absl::time LABELS e2e ${ARG_LABELS} SERVERS EACH_CASE
              UNITY_BATCH ${ARG_UNITY_BATCH} SHARED_SUITES ${ARG_SHARED_SUITES})
endfunction()

# travio_service(<svc>
#   DOMAIN   sources...   rules and entities, no I/O               -> travio_<svc>_domain
#   API      sources...   what other services use: the client
#            interface, event contracts, codecs                      -> travio_<svc>_api
#   CLIENT   sources...   the client over gRPC and its protobuf
#            conversions (api/grpc_*_client.cc, api/proto_*.cc)      -> travio_<svc>_client
#   APP      sources...   use cases and the ports they need        -> travio_<svc>_app
#   ADAPTERS sources...   storage/, providers/, transport/         -> travio_<svc>_adapters
#   RPC      sources...   the gRPC service over the local client   -> travio_<svc>_rpc
#   MODULE   sources...   module.cc: config, wiring, registration  -> travio_<svc>
#   [PROTO target]        generated code (default travio_<svc>_proto when it exists)
#   [CALLS svc...]        services whose api/ it uses
#   [DOMAIN_DEPS ...] [API_DEPS ...] [APP_DEPS ...] [ADAPTER_DEPS ...] [MODULE_DEPS ...]
#                         what one layer needs beyond the standard set below
#   [CLIENT_DEPS ...]     other services' clients whose protobuf conversions this one's use
#                         (a message that embeds theirs: inventory's quotes are pricing's)
#   [TESTS sources...]         -> travio_<svc>_test, labelled unit
#   [SERVER_TESTS sources...]  -> travio_<svc>_servers_test, on the shared test servers
#   [TEST_DEPS ...])
#
# Every service gets the same seven libraries, each linking the one below it:
# domain <- api <- app <- adapters <- module, api <- client <- rpc <- module. A layer without
# sources is an interface library. Only a module links its client (its spec names it with
# module::RemoteClientOf), so callers, the gateway and the fuzzers compile no protobuf code. scripts/check_layers.py checks what the sources include.
function(travio_service svc)
  cmake_parse_arguments(ARG ""
    "PROTO"
    "DOMAIN;API;CLIENT;APP;ADAPTERS;RPC;MODULE;CALLS;DOMAIN_DEPS;API_DEPS;CLIENT_DEPS;APP_DEPS;ADAPTER_DEPS;MODULE_DEPS;TESTS;SERVER_TESTS;TEST_DEPS"
    ${ARGN})
  set(prefix travio_${svc})
  if(NOT ARG_PROTO AND TARGET ${prefix}_proto)
    set(ARG_PROTO ${prefix}_proto)
  endif()
  set(called)
  foreach(callee ${ARG_CALLS})
    list(APPEND called travio_${callee}_api)
  endforeach()

  travio_library(${prefix}_domain SOURCES ${ARG_DOMAIN}
    DEPS travio_base absl::status absl::statusor absl::strings absl::time ${ARG_DOMAIN_DEPS})
  travio_library(${prefix}_api SOURCES ${ARG_API}
    DEPS ${prefix}_domain ${called} travio_events ${ARG_API_DEPS}
    PRIVATE_DEPS nlohmann_json::nlohmann_json)
  travio_library(${prefix}_client SOURCES ${ARG_CLIENT}
    DEPS ${prefix}_api ${ARG_PROTO} ${ARG_CLIENT_DEPS}
    PRIVATE_DEPS travio_rpc)
  travio_library(${prefix}_app SOURCES ${ARG_APP}
    DEPS ${prefix}_api ${called} travio_events travio_log travio_metrics ${ARG_APP_DEPS})
  travio_library(${prefix}_adapters SOURCES ${ARG_ADAPTERS}
    DEPS ${prefix}_app travio_db travio_events travio_kv ${ARG_ADAPTER_DEPS}
    PRIVATE_DEPS nlohmann_json::nlohmann_json)
  travio_library(${prefix}_rpc SOURCES ${ARG_RPC}
    DEPS ${prefix}_client ${ARG_PROTO}
    PRIVATE_DEPS travio_rpc)
  travio_library(${prefix} SOURCES ${ARG_MODULE}
    DEPS ${prefix}_adapters ${prefix}_rpc travio_module ${called} ${ARG_MODULE_DEPS}
    PRIVATE_DEPS travio_rpc)

  if(ARG_TESTS)
    travio_test(${prefix}_test SOURCES ${ARG_TESTS} DEPS ${prefix} ${ARG_TEST_DEPS} LABELS unit)
  endif()
  if(ARG_SERVER_TESTS)
    travio_test(${prefix}_servers_test SOURCES ${ARG_SERVER_TESTS} DEPS ${prefix} ${ARG_TEST_DEPS}
                LABELS servers SERVERS)
  endif()
endfunction()
