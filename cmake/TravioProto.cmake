# travio_proto_library(name PROTOS a.proto b.proto [DEPS other_proto_lib])
#   Generates message and gRPC code for the given files (paths relative to proto/) into a
#   library of its own, so the generated headers are only seen by code that links it.
function(travio_proto_library name)
  cmake_parse_arguments(ARG "" "" "PROTOS;DEPS" ${ARGN})
  set(out_dir ${PROJECT_BINARY_DIR}/generated)
  set(sources)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    set(generated ${out_dir}/${stem}.pb.cc ${out_dir}/${stem}.pb.h
                  ${out_dir}/${stem}.grpc.pb.cc ${out_dir}/${stem}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${generated}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
      COMMAND protobuf::protoc
        --proto_path=${PROJECT_SOURCE_DIR}/proto
        --cpp_out=${out_dir}
        --grpc_out=${out_dir}
        --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>
        ${PROJECT_SOURCE_DIR}/proto/${proto}
      DEPENDS ${PROJECT_SOURCE_DIR}/proto/${proto}
      COMMENT "protoc ${proto}")
    list(APPEND sources ${out_dir}/${stem}.pb.cc ${out_dir}/${stem}.grpc.pb.cc)
  endforeach()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${out_dir})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf gRPC::grpc++ ${ARG_DEPS})
  # Generated code is not ours to warn about.
  target_compile_options(${name} PRIVATE -Wno-error)
  # Nor ours to sanitize or fuzz: like the protobuf and gRPC libraries it calls, it is built
  # plain (sanitized callers still check the memory they touch), which takes 42% off these
  # libraries' compile time (docs/performance.md, "Build times"). Safe while no header it
  # shares with sanitized code changes a class's layout under ASan: true of protobuf 3.21 and
  # grpc++ 1.51 (Debian 12); abseil's btree and FixedArray do, and protobuf from 22 on (its
  # C++ library 4.22) uses abseil, hence the check.
  if(TRAVIO_SANITIZE OR TRAVIO_FUZZ)
    if(Protobuf_VERSION VERSION_GREATER_EQUAL 3.22)
      message(FATAL_ERROR "protobuf ${Protobuf_VERSION} uses abseil containers whose layout "
                          "changes under AddressSanitizer: build its generated code sanitized")
    endif()
    target_compile_options(${name} PRIVATE -fno-sanitize=all -O0)
  endif()
endfunction()
