#!/usr/bin/env bash
# Load benchmark of the Kyros backend with wrk: throughput, p50/p99 and server memory for
# four scenarios, with every response checked against the tenant of the session that
# asked (a cross-tenant answer fails the run). See bench/README.md.
#
#   bash bench/load.sh                                       # 100 tenants x 1M rows, 30 s each
#   BENCH_TENANTS=2 BENCH_ROWS=20000 BENCH_DURATION=5s bash bench/load.sh   # smoke run
#
# Environment (all optional):
#   BENCH_TENANTS=100        tenants with generated data (>= 2: the demo tenants acme-corp
#                            and beta-ind plus bench-0003.. created by `kyros gen-data`)
#   BENCH_ROWS=1000000       rows per dataset per tenant (each tenant varies around it)
#   BENCH_SEED=7             generator seed
#   BENCH_DURATION=30s       wrk duration per scenario
#   BENCH_CONNECTIONS=4      connections per session (wrk thread)
#   BENCH_UNCACHED_CONNECTIONS=1  connections per session for the uncached scenario (each
#                            request computes a dashboard: more only queues on the cores)
#   BENCH_BENCH_SESSIONS=4   extra sessions of bench-NNNN users (when BENCH_TENANTS > 2)
#   BENCH_TIMEOUT=30s        wrk request timeout (cold 1M-row dashboards take ~1 s)
#   BENCH_SCENARIOS="cached uncached exchange me"
#   BENCH_DATABASE_URL       postgres://... of a SCRATCH database (default: a temp SQLite file)
#   BENCH_REDIS_URL          redis://... for sessions (default: sessions in the database)
#   BENCH_SKIP_BUILD=1       use the existing target/release/kyros
#   BENCH_KEEP=1             keep the temp directory (data, logs, wrk output)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

BENCH_TENANTS="${BENCH_TENANTS:-100}"
BENCH_ROWS="${BENCH_ROWS:-1000000}"
BENCH_SEED="${BENCH_SEED:-7}"
BENCH_DURATION="${BENCH_DURATION:-30s}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-4}"
BENCH_UNCACHED_CONNECTIONS="${BENCH_UNCACHED_CONNECTIONS:-1}"
BENCH_BENCH_SESSIONS="${BENCH_BENCH_SESSIONS:-4}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-30s}"
BENCH_SCENARIOS="${BENCH_SCENARIOS:-cached uncached exchange me}"
PASSWORD="${KYROS_DEMO_PASSWORD:-kyros-demo-2026}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

[[ "$BENCH_TENANTS" =~ ^[0-9]+$ ]] && [ "$BENCH_TENANTS" -ge 2 ] \
  || die "BENCH_TENANTS must be a number >= 2 (the demo tenants acme-corp and beta-ind are always used)"
[[ "$BENCH_ROWS" =~ ^[0-9]+$ ]] || die "BENCH_ROWS must be a number"

# --- tools -----------------------------------------------------------------------------

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${missing[@]}"
fi

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET_DIR/release/kyros"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release -p kyros-backend"
  cargo build --release -p kyros-backend
fi
[ -x "$BIN" ] || die "$BIN missing (build it, or unset BENCH_SKIP_BUILD)"

# --- a fresh server --------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kyros-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# Only what this script sets reaches the server: no inherited TLS, Redis or signing key.
unset KYROS_TLS_CERT KYROS_TLS_KEY REDIS_URL KYROS_SIGNING_KEY KYROS_STATIC_DIR
export KYROS_DATA_DIR="$WORK/data"
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$WORK/data/kyros.db}"
[ -n "${BENCH_REDIS_URL:-}" ] && export REDIS_URL="$BENCH_REDIS_URL"
export KYROS_DEMO_PASSWORD="$PASSWORD"
export KYROS_BIND=127.0.0.1:0 KYROS_ADMIN_BIND=127.0.0.1:0 # free ports, read from the log
export KYROS_GENERATE_DEMO_DATA=false                       # gen-data below made it all
# The benchmark measures serving, not the limiter: lift the per-IP login/exchange limit
# (one client IP makes every exchange request) and the per-tenant data limit.
export KYROS_LOGIN_RATE_PER_MIN=1000000000 KYROS_DATA_RATE_PER_MIN=1000000000
export RUST_LOG="${RUST_LOG:-warn}"
mkdir -p "$KYROS_DATA_DIR"

log "gen-data: $BENCH_TENANTS tenants x $BENCH_ROWS rows, seed $BENCH_SEED → $KYROS_DATA_DIR"
gen_start=$SECONDS
"$BIN" gen-data --tenants "$BENCH_TENANTS" --rows "$BENCH_ROWS" --seed "$BENCH_SEED" \
  >"$WORK/gen-data.log" 2>&1 || { cat "$WORK/gen-data.log" >&2; die "gen-data failed"; }
log "gen-data done in $((SECONDS - gen_start)) s ($(du -sh "$KYROS_DATA_DIR" | cut -f1))"

log "starting kyros serve"
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 600); do
  PORT="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/server.log" | head -n1)"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "kyros serve exited"; }
  sleep 0.5
done
[ -n "$PORT" ] || die "kyros serve did not start listening"
BASE="http://127.0.0.1:$PORT"
ADMIN_PORT="$(sed -n 's|.*admin API on port \([0-9]*\).*|\1|p' "$WORK/server.log" | head -n1)"
curl -fsS "$BASE/ready" >/dev/null || die "$BASE/ready is not ready"
log "server pid $SERVER_PID on $BASE"

# --- sessions --------------------------------------------------------------------------

# curl with the CSRF header of the shell; prints the body, fails on non-2xx.
HEADERS="$WORK/headers.txt"
call() {
  local method="$1" path="$2" cookie="$3" body="${4:-}" out status
  out="$WORK/body.json"
  local args=(-sS -o "$out" -D "$HEADERS" -w '%{http_code}' -X "$method"
    -H 'X-Requested-With: kyros-shell' -H 'Content-Type: application/json')
  [ -n "$cookie" ] && args+=(-H "Cookie: __Host-kyros_session=$cookie")
  [ -n "$body" ] && args+=(--data "$body")
  status="$(curl "${args[@]}" "$BASE$path")"
  [[ "$status" == 2* ]] || die "$method $path → HTTP $status: $(head -c 300 "$out")"
  cat "$out"
}
# The session cookie set by the last call, or $1 when none was set.
cookie_after() {
  local set
  set="$(sed -n 's/^[Ss]et-[Cc]ookie: *__Host-kyros_session=\([^;]*\).*/\1/p' "$HEADERS" | tr -d '\r' | tail -n1)"
  printf '%s' "${set:-$1}"
}

SESSIONS="$WORK/sessions.txt" # BFF: cookie per session
BEARER="$WORK/bearer.txt"     # REST: user token per session
: >"$SESSIONS"
: >"$BEARER"
declare -A USER_TOKEN=()

# new_session LABEL EMAIL [TENANT_SLUG]: a BFF login (+ tenant switch), and a bearer user
# token for the same user, recorded with the tenant's id, canary prefix and dashboard.
new_session() {
  local label="$1" email="$2" slug="${3:-}" cookie me tenant prefix dashboards dashboard
  call POST /bff/login "" "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" >/dev/null
  cookie="$(cookie_after "")"
  [ -n "$cookie" ] || die "no session cookie for $email"
  if [ -n "$slug" ]; then
    call POST /bff/tenant "$cookie" "{\"tenant\":\"$slug\"}" >/dev/null
    cookie="$(cookie_after "$cookie")"
  fi
  me="$(call GET /bff/me "$cookie")"
  tenant="$(jq -r '.active_tenant.id // empty' <<<"$me")"
  [ -n "$tenant" ] || die "$label: no active tenant after login"
  prefix="$(printf '%s' "${tenant:0:6}" | tr 'a-f' 'A-F')"
  # customer-lifetime-value when the tenant has it (acme-corp, bench-*), else risk-analysis
  # (beta-ind): both carry tenant canaries in their tables.
  dashboards="$(call GET /bff/dashboards "$cookie")"
  if jq -e 'any(.[]; .slug == "customer-lifetime-value")' <<<"$dashboards" >/dev/null; then
    dashboard=customer-lifetime-value
  else
    dashboard=risk-analysis
  fi
  echo "$label $tenant $prefix $dashboard $email $cookie" >>"$SESSIONS"

  if [ -z "${USER_TOKEN[$email]:-}" ]; then
    USER_TOKEN[$email]="$(call POST /api/auth/login "" \
      "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | jq -r .access_token)"
  fi
  echo "$label $tenant $prefix $dashboard $email ${USER_TOKEN[$email]}" >>"$BEARER"
  log "session $label: $email → tenant $tenant ($prefix), $dashboard"
}

new_session acme-analyst analyst@acme.com
new_session beta-viewer viewer@beta.com
new_session acme-admin admin@acme.com acme-corp
new_session beta-admin admin@acme.com beta-ind
# Bench tenants (one viewer each: bench-NNNN → user-NNNN@bench.kyros; gen-data numbers
# them after the tenants that existed, so bench-0003.. here), spread over those gen-data
# wrote data for (it prints "<slug>: <datasets>" per tenant).
mapfile -t bench_slugs < <(sed -n 's/^\(bench-[0-9]\{4,\}\): .*/\1/p' "$WORK/gen-data.log")
count=${#bench_slugs[@]}
extra=$((BENCH_BENCH_SESSIONS < count ? BENCH_BENCH_SESSIONS : count))
for i in $(seq 1 "$extra"); do
  slug="${bench_slugs[$(((i - 1) * count / extra))]}"
  new_session "$slug" "user-${slug#bench-}@bench.kyros"
done
THREADS="$(wc -l <"$SESSIONS")"

# --- scenarios -------------------------------------------------------------------------

memory() { awk '/^VmRSS|^VmHWM/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' "/proc/$SERVER_PID/status"; }
# Chart cache hits and misses so far ("hits misses"), from /metrics on the admin listener.
cache_counts() {
  { [ -n "$ADMIN_PORT" ] && curl -fsS "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null || true; } |
    awk '/^kyros_chart_cache_requests_total/ { if ($0 ~ /result="hit"/) h = $NF; if ($0 ~ /result="miss"/) m = $NF }
         END { printf "%d %d", h, m }'
}

declare -a REPORT=()
CROSS_TOTAL=0
ERRORS_TOTAL=0
run() {
  local name="$1" script="$2" sessions="$3" per_session="$4" out line
  out="$WORK/wrk-$name.txt"
  log "scenario $name: $THREADS sessions x $per_session connection(s), $BENCH_DURATION"
  local before after
  before="$(cache_counts)"
  wrk -t "$THREADS" -c "$((THREADS * per_session))" -d "$BENCH_DURATION" --timeout "$BENCH_TIMEOUT" --latency \
    -s "bench/$script" "$BASE" -- "$sessions" "$THREADS" | tee "$out"
  after="$(cache_counts)"
  line="$(grep '^KYROS_RESULT' "$out" | tail -n1)"
  [ -n "$line" ] || die "wrk printed no KYROS_RESULT for $name"
  local requests rps p50 p99 non2xx cross unverified sockets
  for kv in ${line#KYROS_RESULT }; do
    case "$kv" in
      requests=*) requests="${kv#*=}" ;; rps=*) rps="${kv#*=}" ;;
      p50_ms=*) p50="${kv#*=}" ;; p99_ms=*) p99="${kv#*=}" ;;
      non2xx=*) non2xx="${kv#*=}" ;; cross_tenant=*) cross="${kv#*=}" ;;
      unverified=*) unverified="${kv#*=}" ;; socket_errors=*) sockets="${kv#*=}" ;;
    esac
  done
  CROSS_TOTAL=$((CROSS_TOTAL + cross))
  ERRORS_TOTAL=$((ERRORS_TOTAL + non2xx + sockets))
  local cache
  cache="$((${after% *} - ${before% *}))/$((${after#* } - ${before#* }))"
  REPORT+=("$(printf '%-10s %6s %9s %10s %10s %10s %7s %6s %10s %7s %15s   %s' \
    "$name" "$((THREADS * per_session))" "$requests" "$rps" "$p50" "$p99" "$non2xx" "$cross" \
    "$unverified" "$sockets" "$cache" "$(memory)")")
}

# The cached scenario measures cache hits: one request per session first fills the cache
# (those cold computations are what the uncached scenario measures).
prime_cache() {
  local label tenant prefix dashboard email cookie
  while read -r label tenant prefix dashboard email cookie; do
    call GET "/bff/dashboards/$dashboard/charts" "$cookie" >/dev/null
  done <"$SESSIONS"
  log "chart cache primed for $THREADS sessions"
}

for scenario in $BENCH_SCENARIOS; do
  case "$scenario" in
    cached) prime_cache; run cached charts_cached.lua "$SESSIONS" "$BENCH_CONNECTIONS" ;;
    uncached) run uncached charts_uncached.lua "$SESSIONS" "$BENCH_UNCACHED_CONNECTIONS" ;;
    exchange) run exchange token_exchange.lua "$BEARER" "$BENCH_CONNECTIONS" ;;
    me) run me bff_me.lua "$SESSIONS" "$BENCH_CONNECTIONS" ;;
    *) die "unknown scenario $scenario (cached, uncached, exchange, me)" ;;
  esac
done

# --- report ----------------------------------------------------------------------------

echo
echo "Kyros load benchmark: $BENCH_TENANTS tenants x $BENCH_ROWS rows (seed $BENCH_SEED)," \
  "$THREADS sessions, $BENCH_DURATION per scenario, $(nproc) cores, database ${DATABASE_URL%%:*}"
printf '%-10s %6s %9s %10s %10s %10s %7s %6s %10s %7s %15s   %s\n' \
  scenario conns requests req/s p50_ms p99_ms non2xx cross unverified sockerr "cache hit/miss" \
  "server memory after"
printf '%s\n' "${REPORT[@]}"
echo "server memory at the end: $(memory)"

kill -TERM "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

if [ "$CROSS_TOTAL" -gt 0 ]; then
  die "ISOLATION FAILURE: $CROSS_TOTAL response(s) carried another tenant's data or identity"
fi
if [ "$ERRORS_TOTAL" -gt 0 ]; then
  printf '\033[1;33mwarning:\033[0m %s non-2xx or socket error(s): the figures above include failures\n' \
    "$ERRORS_TOTAL" >&2
  exit 2
fi
echo "no cross-tenant response, no error"
