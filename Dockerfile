# syntax=docker/dockerfile:1
#
# Kyros production image: the `kyros` binary plus the release build of the browser shell.
#
#   docker build -t kyros .
#   docker run --rm -p 8080:8080 -v kyros-data:/var/lib/kyros kyros          # single node, SQLite
#   docker compose up --build                                               # multi node, see docs/deployment.md
#
# No secret is baked into the image: everything sensitive (DATABASE_URL, KYROS_SIGNING_KEY,
# KYROS_ADMIN_CLIENT_SECRET, ...) comes from the environment at run time.
# No Docker engine runs on the development machines: this file is checked structurally by
# backend/tests/deployment.rs, not built there.

# ---------------------------------------------------------------------------------------
# Stage 1: build the backend and the shell.
# ---------------------------------------------------------------------------------------
FROM rust:1.95-bookworm AS builder

# Node/npm (Debian packages) for `npm ci` (echarts, esbuild, binaryen's wasm-opt) and
# Trunk's pre_build hook (node frontend/echarts/build.mjs: the custom ECharts bundle); the client
# libraries diesel links against (libpq, libsqlite3).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm libpq-dev libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*

# The pinned shell toolchain (same versions as scripts/lib.sh); its own layer so that a
# source change does not reinstall it.
RUN rustup target add wasm32-unknown-unknown \
 && cargo install trunk --version 0.21.14 --locked \
 && cargo install wasm-bindgen-cli --version 0.2.130

WORKDIR /src

# npm packages first (cached until package*.json change).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .

# The shell: Trunk runs offline (Trunk.toml) with wasm-bindgen from cargo's bin dir and
# wasm-opt from node_modules/.bin, exactly as scripts/build-shell.sh invokes it; its
# pre_build hook bundles ECharts with esbuild (dist/echarts.min.js).
# The Content-Security-Policy forbids inline scripts: fail if Trunk added one.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    PATH="/src/node_modules/.bin:$PATH" trunk build --release \
 && ! grep -Eq '<script>|<script( [^>]*)?>[^<]' dist/index.html \
 && test -s dist/echarts.min.js && test -s dist/boot.js

# The backend binary (release profile of the workspace: thin LTO). The target directory
# is a cache mount, so the binary is copied out of it in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p kyros-backend --bin kyros \
 && install -D -m 0755 target/release/kyros /out/kyros

# ---------------------------------------------------------------------------------------
# Stage 2: runtime. Only the shared libraries the binary needs, CA certificates (for
# TLS to PostgreSQL/Redis) and curl (for the health check).
# ---------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

# An unprivileged user with a fixed uid, so volume ownership is predictable.
RUN groupadd --system --gid 10001 kyros \
 && useradd --system --uid 10001 --gid kyros --home-dir /var/lib/kyros --no-create-home \
      --shell /usr/sbin/nologin kyros \
 && install -d -o kyros -g kyros -m 0750 /var/lib/kyros

COPY --from=builder /out/kyros /usr/local/bin/kyros
COPY --from=builder /src/dist /usr/share/kyros/dist

# Listen on every interface of the container; publish/route only 8080 (the admin
# listener 8081 stays on the private network, see docs/deployment.md).
ENV KYROS_STATIC_DIR=/usr/share/kyros/dist \
    KYROS_DATA_DIR=/var/lib/kyros \
    KYROS_BIND=0.0.0.0:8080 \
    KYROS_ADMIN_BIND=0.0.0.0:8081 \
    RUST_LOG=info

VOLUME ["/var/lib/kyros"]
EXPOSE 8080 8081

USER kyros
WORKDIR /var/lib/kyros

# Liveness only; orchestrators that route traffic should use /ready (database + data dir).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1

ENTRYPOINT ["kyros"]
CMD ["serve"]
