#!/usr/bin/env python3
"""Checks that every #include in services/ and platform/ respects the layers of
docs/architecture.md ("Layers"). Run by `make test` (the CTest test `layers`); exits 1 and
names each file, line and include that breaks a rule.

    scripts/check_layers.py [ROOT]      check the tree at ROOT (default: this repository)

The rules, by the folder a file is in (services/<svc>/<folder>/...):

  everywhere   another service only through its api/ (services/<other>/api/...);
               platform/ never includes services/
  domain/      the standard library, abseil, platform/base, platform/cel and its own service's domain/
  app/         as domain/, plus its own app/ and api/, other services' api/, and the platform
               libraries with no transport or storage in them (events, log, metrics, paging,
               crypto); no proto, gRPC, SQL driver, Redis, Boost, platform/http or JSON library
  api/ (.h)    what app/ may include (other services' app/ include these headers), minus its
               own app/; the .cc files behind them (codecs, gRPC clients) may use anything of
               the platform and the generated code, but neither rpc/ nor storage/
  rpc/         never storage/;  storage/: never rpc/

domain/ and app/ must not reach a wire format, transport or storage through the headers they
include either: each include is followed through the repository's headers, and one that brings
in, say, <nlohmann/json.hpp> from another service's api/ is named with the path it took.

Tests (*_test.cc, the fixtures they share in *_fixture.h and the contract suites) only obey the
first rule: they wire real adapters together on purpose.
"""

import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

# The C and C++ standard library headers (C++20).
STANDARD = set("""
algorithm any array atomic barrier bit bitset cassert cctype cerrno cfloat charconv chrono cinttypes
climits clocale cmath codecvt compare complex concepts condition_variable coroutine csetjmp
csignal cstdarg cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype deque exception
execution filesystem format forward_list fstream functional future initializer_list iomanip ios
iosfwd iostream istream iterator latch limits list locale map memory memory_resource mutex new
numbers numeric optional ostream queue random ranges ratio regex scoped_allocator semaphore set
shared_mutex source_location span sstream stack stdexcept stop_token streambuf string string_view
syncstream system_error thread tuple type_traits typeindex typeinfo unordered_map unordered_set
utility valarray variant vector version
""".split())

# Platform libraries use cases may lean on: none of them talks to a network, a disk or a wire
# format.
APP_PLATFORM = ("platform/base/", "platform/events/event.h", "platform/events/bus.h",
                "platform/events/contract.h",
                "platform/log/logger.h", "platform/metrics/", "platform/paging/",
                "platform/crypto/", "platform/trace/")

# What neither domain/ nor app/ may reach, even through other headers: wire formats, transports
# and storage engines.
FORBIDDEN = re.compile(r'^(nlohmann/|grpc|google/protobuf/|boost/|sqlite3\.h|libpq-fe\.h|hiredis/|'
                       r'yaml-cpp/|amqp|rabbitmq-c/|sodium|curl/|travio/.*\.pb\.h|'
                       r'platform/(http|rpc|db|kv)/)')

TEST_FILE = re.compile(r'(_test\.cc|_fixture\.h|_contract\.(cc|h)|_contract_test\.cc|/testing/)')


def layer_of(parts):
    """services/<svc>/<folder>/... -> (svc, folder); folder is '' for files at the root."""
    if len(parts) < 3 or parts[0] != "services":
        return None, None
    service = parts[1]
    folder = parts[2] if len(parts) > 3 else ""
    return service, folder


def service_include(path):
    """"services/<svc>/<folder>/x.h" -> (svc, folder), else (None, None)."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] == "services":
        return parts[1], parts[2] if len(parts) > 3 else ""
    return None, None


def allowed_in_domain(service, angle, path):
    if angle:
        return path in STANDARD
    # platform/cel: the expression language is computation only, like platform/base.
    if path.startswith(("absl/", "platform/base/", "platform/cel/")):
        return True
    other, folder = service_include(path)
    return other == service and folder == "domain"


def allowed_in_app(service, angle, path, own_app=True):
    if allowed_in_domain(service, angle, path):
        return True
    if angle:
        return False
    if path.startswith(APP_PLATFORM):
        return True
    other, folder = service_include(path)
    if other is None:
        return False
    if other == service:
        return folder in (("app", "api") if own_app else ("api",))
    return folder == "api"


def includes_of(root, relative, cache={}):
    """[(line, angle, path)] of a file; cached."""
    key = (root, relative)
    if key not in cache:
        found = []
        file = root / relative
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), start=1):
                match = INCLUDE.match(line)
                if match:
                    found.append((number, match.group(1) == "<", match.group(2)))
        cache[key] = found
    return cache[key]


def forbidden_reach(root, path):
    """The first forbidden include reachable from the repository header `path`, with the chain
    of headers that leads to it; None when there is none."""
    seen = set()
    stack = [(path, [path])]
    while stack:
        current, chain = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for _, angle, included in includes_of(root, current):
            if FORBIDDEN.match(included):
                return included, chain
            if not angle and (root / included).is_file():
                stack.append((included, chain + [included]))
    return None


def check_file(root, relative):
    problems = []
    parts = relative.split("/")
    service, folder = layer_of(parts)
    is_test = bool(TEST_FILE.search(relative))
    is_header = relative.endswith(".h")
    text = (root / relative).read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = INCLUDE.match(line)
        if not match:
            continue
        angle = match.group(1) == "<"
        path = match.group(2)
        where = f"{relative}:{number}: #include {match.group(1)}{path}{'>' if angle else chr(34)}"
        other, other_folder = service_include(path) if not angle else (None, None)

        if parts[0] == "platform" and other is not None:
            problems.append(f"{where}: platform/ never includes a service")
            continue
        if service is None:
            continue
        if other is not None and other != service and other_folder != "api":
            problems.append(f"{where}: another service is reached only through its api/")
            continue
        if is_test:
            continue
        if folder == "domain" and not allowed_in_domain(service, angle, path):
            problems.append(f"{where}: domain/ includes only the standard library, abseil, "
                            "platform/base, platform/cel and its own domain/")
        elif folder == "app" and not allowed_in_app(service, angle, path):
            problems.append(f"{where}: app/ includes no wire format, transport or storage "
                            "(no proto, gRPC, SQL, Redis, Boost, platform/http or JSON); "
                            "codecs belong in api/, storage/ or rpc/")
        elif folder in ("domain", "app") and not angle and (root / path).is_file() and (
                reached := forbidden_reach(root, path)):
            included, chain = reached
            problems.append(f"{where}: brings in {included} (through {' -> '.join(chain)}); "
                            f"{folder}/ reaches no wire format, transport or storage")
        elif folder == "api" and other == service and other_folder in ("rpc", "storage", "app"):
            problems.append(f"{where}: api/ never depends on its service's {other_folder}/")
        elif folder == "rpc" and other == service and other_folder == "storage":
            problems.append(f"{where}: rpc/ never includes storage/")
        elif folder == "storage" and other == service and other_folder == "rpc":
            problems.append(f"{where}: storage/ never includes rpc/")
    return problems


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    files = sorted(str(p.relative_to(root)) for top in ("services", "platform")
                   for p in (root / top).rglob("*") if p.suffix in (".h", ".cc"))
    problems = [problem for relative in files for problem in check_file(root, relative)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_layers: {len(problems)} include(s) break the layers of "
              "docs/architecture.md")
        return 1
    print(f"check_layers: {len(files)} files keep to their layers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
