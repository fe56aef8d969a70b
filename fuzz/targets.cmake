# The libFuzzer programs (fuzz/<name>_fuzz.cc), one list for the fuzz preset that builds them
# (fuzz/CMakeLists.txt) and the dev preset that runs each briefly in `make test`.
set(TRAVIO_FUZZ_TARGETS paseto jwt access_token queue_token json_body seat_layout headers
    queue_ticket gateway_routes cel)
