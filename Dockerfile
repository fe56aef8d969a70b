# syntax=docker/dockerfile:1
# Travio in one image: the `travio` binary (every target), the built web apps and the config
# overlays. Build from the repository root:
#   docker build --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) -t travio:latest .
# deploy/README.md explains how to run it.

ARG DEBIAN_IMAGE=debian:12-slim

# --- build: the project's own bootstrap installs the toolchain, then `make release` -----------
FROM ${DEBIAN_IMAGE} AS build
ARG SOURCE_DATE_EPOCH=0
ENV SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH} \
    DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8
WORKDIR /src
# bootstrap first, alone, so the package layer is cached while the sources change. It also runs
# `npm ci` in the folders that carry a package-lock.json (web/ and the test helpers).
COPY scripts/bootstrap scripts/bootstrap
COPY web/package.json web/package-lock.json web/
COPY tests/support/s3/package.json tests/support/s3/package-lock.json tests/support/s3/
COPY tests/cel/package.json tests/cel/package-lock.json tests/cel/
COPY deploy/check/package.json deploy/check/package-lock.json deploy/check/
RUN scripts/bootstrap && rm -rf /var/lib/apt/lists/*
COPY . .
# `make release` builds web/dist first (the `web` prerequisite), then the release preset into
# build-release/ (CMakePresets.json). The commit shown by `travio version` comes from git when
# .git is in the context; .dockerignore leaves it out, so the version says "unknown".
RUN make release JOBS="$(nproc)" \
 && strip build-release/bin/travio \
 && test -f web/dist/index.html

# --- runtime: the shared libraries travio links, fonts for Bangla tickets, CA roots ----------
FROM ${DEBIAN_IMAGE} AS runtime
ARG SOURCE_DATE_EPOCH=0
ENV SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH} \
    LANG=C.UTF-8
# One package per library in `readelf -d travio` (NEEDED), found with `dpkg -S`; apt brings
# their own dependencies. tzdata: station and billing time zones (libdate-tz3 reads it).
# curl: the HEALTHCHECK below; libcurl4 is linked by travio anyway, so it adds one small binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl fonts-noto-core tzdata \
      libabsl20220623 libc-ares2 libcairo2 libcurl4 libdate-tz3 libfmt9 libglib2.0-0 \
      libgrpc++1.51 libgrpc29 libharfbuzz0b libhiredis0.14 libpango-1.0-0 \
      libpangocairo-1.0-0 libpq5 libprotobuf32 libqrencode4 librabbitmq4 libre2-9 \
      libsodium23 libspdlog1.10 libsqlite3-0 libssl3 libstdc++6 libyaml-cpp0.7 libzip4 \
      zlib1g \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 10001 travio \
 && useradd --system --uid 10001 --gid travio --home-dir /var/lib/travio --no-create-home \
      --shell /usr/sbin/nologin travio \
 && install -d -o travio -g travio -m 0750 /var/lib/travio /etc/travio/certs \
      /etc/travio/identity-keys \
 && install -d -o travio -g travio -m 0700 /etc/travio/ca
COPY --from=build /src/build-release/bin/travio /usr/local/bin/travio
COPY --from=build /src/web/dist /usr/share/travio/web
COPY configs/ /etc/travio/
# data_dir and http.static_dir as environment variables: the config files of
# configs/microservices/ leave both alone, and an operator can still pass --set (flags win).
ENV TRAVIO_DATA_DIR=/var/lib/travio \
    TRAVIO_HTTP_STATIC_DIR=/usr/share/travio/web
USER travio:travio
WORKDIR /var/lib/travio
EXPOSE 8080
# The monolith's (or a gateway's) HTTP port. Services on other ports get their own check from
# the orchestrator (deploy/compose.yaml, deploy/k8s).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["travio"]
# Listen on every interface: the default 127.0.0.1 cannot be reached through a published port.
CMD ["serve", "--http-addr", "0.0.0.0:8080"]
