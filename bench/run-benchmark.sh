#!/usr/bin/env bash
# The send rate limit (30/min per sender per conversation) is raised for the run: the benchmark
# measures throughput, and every client sends far more than 30 a minute. The limiter still runs
# (one upsert per message), so its cost is in the figures.
# Benchmark of Parley's message path against the local Debian PostgreSQL 15 (loopback only).
#
#   bench/run-benchmark.sh                      # everything: pgbench, max, rate, long
#   SCENARIOS="max rate" bench/run-benchmark.sh # a subset
#
# Scenarios (each bounded in time and count):
#   pgbench  single-row INSERT baseline on the same database, same client count: closed loop for
#            DURATION s, then open loop at RATE tps
#   max      Parley, CLIENTS clients over CONVERSATIONS conversations, as fast as possible
#   rate     Parley, the same at a fixed RATE messages/s (open loop)
#   long     Parley, one conversation filled with LONG_MESSAGES messages, then SAMPLES
#            sequential sends into it vs into a fresh conversation
#   cards    conversation cards: CARDS cards requested within CARDS_WITHIN s across
#            CARD_CONVERSATIONS conversations (io.parley.bench.CardLoadBenchmark), all waited for:
#            outcomes, request-to-READY times, provider calls per card, machine CPU
#   prefilled  the max load (prefilled-rate: the rate load) against an event store pre-filled to
#            PREFILL_EVENTS events (default 5,000,000): see prefill_store below; Parley restarts
#            on the filled store with every processor's token at its head. Run it beside max
#            (SCENARIOS="max prefilled") to compare with an empty store
#   embedded Parley on its embedded default (no PARLEY_DB_URL: its own in-process PostgreSQL with
#            the run mode's durable settings), the same load as max: run it beside max to see
#            what the embedded default costs against the Debian server
#
# PARLEY_JFR=1 records a JFR profile of each measured window in <results>/<scenario>.jfr. JFR keeps
# 64 frames, which cuts a request's stack below the servlet filters; deeper stacks
# (PARLEY_JAVA_OPTS=-XX:FlightRecorderOptions:stackdepth=512) slowed Parley several-fold here and
# inflated what they showed (docs/benchmarks.md): check a hotspot alone before acting on it.
# KAFKA=1 starts a single-node KRaft broker (io.parley.bench.KafkaBroker, its own JVM) and gives
# Parley its address, so the integration-events publisher runs; the broker's CPU is reported on
# its own line. Every scenario samples each processor's lag (events between the store's head and
# the processor's token) every 5 s and reports its median and maximum over the measured window,
# and the CPU of the measured window alone (a warm JVM: the warm-up's JIT compilation left out)
# per message accepted in it, beside the whole scenario's.
# CARD_PROVIDER="<latency ms> <fault rate> <slow ms>" starts an OpenAI-compatible card provider on
# WireMock (io.parley.bench.FakeCardProviderServer, its own JVM) and gives Parley its URL (model
# fake-model): cards whose participants granted AI_PROCESSING are written by it; add the provider's
# timeout and the fallback to PARLEY_ARGS (e.g. --parley.cards.provider.timeout=PT2S
# --parley.cards.fallback=fail). CARD_CONSENTS are the purposes the card scenario's users grant.
# PG_STATEMENTS=1 also reports PostgreSQL's statements per scenario (pg_stat_statements; the first
# such run adds it to shared_preload_libraries and restarts the cluster). Every scenario reports
# Parley's CPU by thread.
#
# Needs root (apt-get, pg_ctlcluster, runuser postgres). Drops and re-creates database
# $DB_NAME. Raw outputs go to bench/results/<UTC timestamp>/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

CLIENTS=${CLIENTS:-16}
CONVERSATIONS=${CONVERSATIONS:-64}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-60}
RATE=${RATE:-500}
LONG_MESSAGES=${LONG_MESSAGES:-100000}
SAMPLES=${SAMPLES:-500}
SCENARIOS=${SCENARIOS:-"pgbench max rate long"}
PG_VERSION=${PG_VERSION:-15}
PG_CLUSTER=${PG_CLUSTER:-main}
DB_NAME=${DB_NAME:-parley_bench}
DB_USER=${DB_USER:-parley_bench}
DB_PASSWORD=${DB_PASSWORD:-parley_bench}
PARLEY_JAVA_OPTS=${PARLEY_JAVA_OPTS:-}
PARLEY_ARGS=${PARLEY_ARGS:-}
# The load generator's JVM: C1 only (-XX:TieredStopAtLevel=1) spends far less CPU compiling in a
# run of a minute or two than C2 would, and the serial collector runs no GC threads beside it; set
# LOADGEN_JAVA_OPTS="" for the JVM's defaults.
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
# Extra load generator options for max and rate, e.g. LOAD_ARGS="--consents CARD_GENERATION" so
# that the automatic cards (every 50th message) are made rather than failed for want of consent.
LOAD_ARGS=${LOAD_ARGS:-}
CARDS=${CARDS:-1000}
CARD_CONVERSATIONS=${CARD_CONVERSATIONS:-200}
CARDS_WITHIN=${CARDS_WITHIN:-60}
CARD_CONSENTS=${CARD_CONSENTS:-CARD_GENERATION}
CARD_PROVIDER=${CARD_PROVIDER:-}
# The jar to benchmark (default: the work tree's build). Point it at a build of a fixed commit when
# others rebuild the work tree during a run.
PARLEY_JAR=${PARLEY_JAR:-"$ROOT/infra/target/parley.jar"}
FILL_TIMEOUT=${FILL_TIMEOUT:-3600}
# prefilled scenarios: events in domain_event_entry after the prefill; real events the short seed run
# (PREFILL_SEED_MESSAGES messages from 4 clients over 40 conversations) makes to copy from.
PREFILL_EVENTS=${PREFILL_EVENTS:-5000000}
PREFILL_SEED_MESSAGES=${PREFILL_SEED_MESSAGES:-3000}
OUT=${OUT:-"$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)"}

case "$DB_NAME$DB_USER" in
  *[!a-z0-9_]*) echo "DB_NAME and DB_USER: [a-z0-9_] only" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
PARLEY_PID=""
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }

KAFKA_PID=""
PROVIDER_PID=""
cleanup() {
  if [[ -n "$KAFKA_PID" ]]; then kill "$KAFKA_PID" 2>/dev/null || true; fi
  if [[ -n "$PROVIDER_PID" ]]; then kill "$PROVIDER_PID" 2>/dev/null || true; fi
  if [[ -n "$PARLEY_PID" ]] && kill -0 "$PARLEY_PID" 2>/dev/null; then
    log "stopping Parley (pid $PARLEY_PID)"
    kill "$PARLEY_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$PARLEY_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$PARLEY_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

as_postgres() { (cd / && runuser -u postgres -- "$@"); }
psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }
psql_bench() {
  PGPASSWORD="$DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" \
    -U "$DB_USER" -d "$DB_NAME" "$@"
}

# --- PostgreSQL ---------------------------------------------------------------------------
ensure_postgres() {
  if [[ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]] || ! command -v pgbench >/dev/null; then
    log "installing PostgreSQL $PG_VERSION (Debian packages)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'; then
    log "creating cluster $PG_VERSION/$PG_CLUSTER"
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
  fi
  PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}')
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c && $4 ~ /online/ {f=1} END {exit !f}'; then
    log "starting cluster $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  for _ in $(seq 1 30); do as_postgres pg_isready -q -p "$PG_PORT" && break; sleep 1; done
  log "PostgreSQL $PG_VERSION/$PG_CLUSTER online on port $PG_PORT"
  if [[ -n "${PG_STATEMENTS:-}" ]] \
     && ! psql_admin -d postgres -At -c 'SHOW shared_preload_libraries' | grep -q pg_stat_statements; then
    log "PG_STATEMENTS: loading pg_stat_statements (ALTER SYSTEM, cluster restart)"
    psql_admin -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
    for _ in $(seq 1 30); do as_postgres pg_isready -q -p "$PG_PORT" && break; sleep 1; done
  fi
}

fresh_database() {
  log "re-creating database $DB_NAME (role $DB_USER, password auth over 127.0.0.1)"
  psql_admin -d postgres -o /dev/null <<SQL
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB_NAME';
DROP DATABASE IF EXISTS $DB_NAME;
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN;
  END IF;
END \$\$;
ALTER ROLE $DB_USER WITH LOGIN PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
SQL
  if [[ -n "${PG_STATEMENTS:-}" ]]; then
    psql_admin -d "$DB_NAME" -q -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
  fi
}

db_stats() { # one line: commits, rows inserted/updated/deleted, blocks written by backends
  psql_admin -d postgres -At -F ' ' -c \
    "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, blk_write_time
       FROM pg_stat_database WHERE datname = '$DB_NAME'"
}

# --- Build --------------------------------------------------------------------------------
build() {
  if [[ ! -f "$PARLEY_JAR" ]]; then
    log "building the project (mvn install -DskipTests)"
    (cd "$ROOT" && { mvn -B -q -o install -DskipTests || mvn -B -q install -DskipTests; })
  fi
  if [[ ! -f "$BENCH/target/parley-bench.jar" ]] \
     || [[ -n "$(find "$BENCH/src" "$BENCH/pom.xml" -newer "$BENCH/target/parley-bench.jar" 2>/dev/null)" ]]; then
    log "building the load generator (bench module)"
    (cd "$ROOT" && { mvn -B -q -o install -DskipTests -pl bench || mvn -B -q install -DskipTests -pl bench; })
  fi
  # Run private copies: the work tree may be rebuilt while the benchmark runs.
  cp "$PARLEY_JAR" "$WORK/parley.jar"
  cp "$BENCH/target/parley-bench.jar" "$WORK/parley-bench.jar"
}

machine_info() {
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "nproc: $(nproc)"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "cpu: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "postgres: $(psql_admin -d postgres -At -c 'SELECT version()')"
    echo "pg settings: $(psql_admin -d postgres -At -F= -c "SELECT string_agg(name || '=' || current_setting(name), ' ') FROM pg_settings WHERE name IN ('shared_buffers','synchronous_commit','fsync','wal_level','max_connections','commit_delay')")"
    echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) changed files in the work tree)"
    echo "parley.jar: $PARLEY_JAR sha256 $(sha256sum "$WORK/parley.jar" | cut -c1-16) built $(stat -c %y "$PARLEY_JAR") from commit $(git -C "$(dirname "$PARLEY_JAR")" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "clients=$CLIENTS conversations=$CONVERSATIONS duration=$DURATION warmup=$WARMUP rate=$RATE long=$LONG_MESSAGES samples=$SAMPLES"
    echo "load generator: java $LOADGEN_JAVA_OPTS, $LOAD_ARGS"
  } > "$OUT/machine.txt"
  cat "$OUT/machine.txt" >&2
}

# --- Monitoring ---------------------------------------------------------------------------
MONITOR_PIDS=()
start_monitor() { # name
  vmstat -n 1 > "$OUT/$1.vmstat" 2>&1 &
  MONITOR_PIDS+=($!)
  # Every 5 s (trimmed to the summary and the busiest processes when stopped).
  top -b -d 5 -w 160 > "$WORK/$1.top" 2>&1 &
  MONITOR_PIDS+=($!)
  sample_lag > "$WORK/$1.lag" 2>/dev/null &
  MONITOR_PIDS+=($!)
  MONITOR_NAME=$1
}
# Every 5 s: "<seconds since start> <processor> <events behind the store's head>" per processor
# (its slowest segment). Tokens are Jackson JSON: {"index":n,...}, or a ReplayToken's currentToken.
sample_lag() {
  local t=0
  while true; do
    psql_bench -At -F ' ' -c "
      SELECT $t, processor_name,
             (SELECT coalesce(max(global_index), 0) FROM domain_event_entry)
             - min(coalesce((convert_from(token, 'UTF8')::json->>'index')::bigint,
                            (convert_from(token, 'UTF8')::json->'currentToken'->>'index')::bigint, 0))
        FROM token_entry WHERE token IS NOT NULL GROUP BY processor_name" || true
    sleep 5; t=$((t + 5))
  done
}
lag_summary() { # name: per processor, median and maximum lag over the measured window
  [[ -s "$WORK/$1.lag" ]] || return 0
  echo "processor lag behind the store's head, measured window (events; median / max of 5 s samples):"
  awk -v from="$WARMUP" '$1 >= from && NF == 3 {print $2, $3}' "$WORK/$1.lag" | sort -k1,1 -k2,2n |
    awk '{v[$1] = v[$1] " " $2; n[$1]++} END {for (p in v) {split(substr(v[p], 2), a, " ");
         printf "  - %s: %d / %d\n", p, a[int((n[p] + 1) / 2)], a[n[p]]}}' | sort
}
kafka_cpu_line() { # name
  [[ -n "$KAFKA_PID" ]] || return 0
  echo "Kafka broker CPU seconds: $1"
}
stop_monitor() {
  local p
  for p in "${MONITOR_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${MONITOR_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  MONITOR_PIDS=()
  awk '/^top -/ {n=0} {n++; if (n <= 12) print}' "$WORK/$MONITOR_NAME.top" > "$OUT/$MONITOR_NAME.top" || true
}
cpu_seconds() { # sum of user+system CPU seconds of the given pids (children reaped included)
  local total=0 p t
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    t=$(awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat")
    total=$((total + t))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f\n", t / hz}'
}
postgres_pids() { # the Debian cluster's processes, or the embedded PostgreSQL's when Parley runs one
  if [[ -n "${EMBEDDED_PG_DIR:-}" ]]; then
    local postmaster
    postmaster=$(head -1 "$EMBEDDED_PG_DIR/postmaster.pid" 2>/dev/null) || return 0
    echo "$postmaster $(pgrep -d ' ' -P "$postmaster" || true)"
  else
    pgrep -u postgres -d ' ' postgres || true
  fi
}
thread_cpu() { # pid -> "ticks<TAB>thread name" per thread (names with digits folded to N)
  local t
  for t in /proc/"$1"/task/*; do
    [[ -r $t/stat ]] || continue
    awk -v name="$(tr -d '\n' < "$t/comm" | sed 's/[0-9][0-9]*/N/g')" \
      '{sub(/^.*\) /, ""); printf "%d\t%s\n", $12 + $13, name}' "$t/stat" 2>/dev/null || true
  done
}
thread_cpu_delta() { # before-file after-file -> CPU seconds per thread group, busiest first
  awk -F'\t' -v hz="$(getconf CLK_TCK)" '
    FNR == NR {before[$2] += $1; next}
    {after[$2] += $1}
    END {for (n in after) { d = (after[n] - before[n]) / hz; if (d >= 0.05) printf "  %7.1f s  %s\n", d, n }}' \
    "$1" "$2" | sort -rn
}
children_cpu_seconds() { # CPU seconds of this script's reaped children (the load generator, monitors)
  awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.1f\n", ($14 + $15) / hz}' "/proc/$$/stat"
}
window_snapshot() { # one line: machine Parley PostgreSQL Kafka CPU seconds, now
  local kafka=0
  [[ -z "$KAFKA_PID" ]] || kafka=$(cpu_seconds "$KAFKA_PID")
  # shellcheck disable=SC2046
  echo "$(machine_busy_seconds) $(cpu_seconds "$PARLEY_PID") $(cpu_seconds $(postgres_pids)) $kafka"
}
window_summary() { # name: CPU in the measured window alone (warm JVM), per message accepted in it
  [[ -s "$WORK/$1.window-start" && -s "$WORK/$1.window-end" ]] || return 0
  local accepted
  accepted=$(grep -o '"acceptedInWindow" *: *[0-9]*' "$OUT/$1.json" | grep -o '[0-9]*$' || true)
  [[ -n "$accepted" && "$accepted" -gt 0 ]] || return 0
  awk -v n="$accepted" 'NR == FNR {for (i = 1; i <= 4; i++) a[i] = $i; next}
    {m = $1 - a[1]; p = $2 - a[2]; g = $3 - a[3]; k = $4 - a[4]; r = m - p - g - k
     printf "CPU seconds in the measured window (warm JVM): machine %.1f = Parley %.1f + PostgreSQL %.1f + Kafka %.1f + load generator and others %.1f\n", m, p, g, k, r
     printf "machine CPU per message accepted in the measured window: %.2f ms (Parley %.2f, PostgreSQL %.2f, Kafka %.2f; %d messages)\n", 1000 * m / n, 1000 * p / n, 1000 * g / n, 1000 * k / n, n}' \
    "$WORK/$1.window-start" "$WORK/$1.window-end"
  # The load generator measures its own JVM's CPU over the same window (from the end of its warm-up
  # to its last answer) and per message accepted in it; its part of "load generator and others".
  local own own_ms
  own=$(grep -o '"clientCpuSecondsInWindow" *: *[0-9.]*' "$OUT/$1.json" | grep -o '[0-9.]*$' || true)
  own_ms=$(grep -o '"clientCpuMsPerMessageInWindow" *: *[0-9.]*' "$OUT/$1.json" | grep -o '[0-9.]*$' || true)
  if [[ -n "$own" && -n "$own_ms" ]]; then
    printf 'load generator CPU per message accepted in the measured window (its own JVM): %s ms (%s CPU-s; sender %s)\n' \
      "$own_ms" "$own" "$(grep -o '"sender" *: *"[a-z]*"' "$OUT/$1.json" | grep -o '[a-z]*"$' | tr -d '"')"
  fi
  # The JIT compiles whatever code first turns hot inside the window (a feature whose work comes
  # every N messages warms up late): Parley's CPU without its compiler threads is the steady state.
  if [[ -s "$WORK/$1.window-threads-start" && -s "$WORK/$1.window-threads-end" ]]; then
    awk -F'\t' -v hz="$(getconf CLK_TCK)" -v n="$accepted" '
      FNR == NR {before[$2] += $1; next}
      {after[$2] += $1}
      END {for (t in after) { d = (after[t] - before[t]) / hz; all += d; if (t ~ /Compiler/) jit += d }
           printf "Parley CPU per message accepted in the measured window without JIT compiler threads: %.2f ms (compiler threads %.2f ms)\n", 1000 * (all - jit) / n, 1000 * jit / n}' \
      "$WORK/$1.window-threads-start" "$WORK/$1.window-threads-end"
    echo "Parley CPU per message accepted in the measured window, by thread pool (digits in names folded to N):"
    awk -F'\t' -v hz="$(getconf CLK_TCK)" -v n="$accepted" '
      FNR == NR {before[$2] += $1; next}
      {after[$2] += $1}
      END {for (t in after) { d = (after[t] - before[t]) / hz; if (d > 0) printf "  %7.3f ms  %s\n", 1000 * d / n, t }}' \
      "$WORK/$1.window-threads-start" "$WORK/$1.window-threads-end" | sort -rn | head -20
  fi
}
machine_busy_seconds() { # busy CPU seconds of the whole machine since boot (all cores)
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.1f\n", ($2+$3+$4+$7+$8+$9) / hz}' /proc/stat
}

# The machine is shared (builds, tests): wait, bounded, until it is nearly idle, and log who was
# busy if it never gets there.
QUIET_BUSY_PCT=${QUIET_BUSY_PCT:-15}
QUIET_TIMEOUT=${QUIET_TIMEOUT:-300}
cpu_busy_pct() { # whole-machine busy % over 3 s
  local a b
  a=($(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)); sleep 3
  b=($(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat))
  awk -v bu=$((b[0] - a[0])) -v id=$((b[1] - a[1])) 'BEGIN {printf "%d\n", (bu + id) ? 100 * bu / (bu + id) : 0}'
}
wait_for_quiet() { # label
  local waited=0 busy
  while busy=$(cpu_busy_pct); (( busy > QUIET_BUSY_PCT )); do
    if (( waited >= QUIET_TIMEOUT )); then
      log "WARNING: machine still ${busy}% busy before $1 after ${waited}s; running anyway. Busiest:"
      top -b -n 1 -w 160 | sed -n '7,12p' | tee -a "$OUT/run.log" >&2
      return 0
    fi
    if (( waited == 0 )); then
      log "machine ${busy}% busy before $1; waiting (up to ${QUIET_TIMEOUT}s). Busiest:"
      top -b -n 1 -w 160 | sed -n '7,10p' | tee -a "$OUT/run.log" >&2
    fi
    sleep 7; waited=$((waited + 10))
  done
  log "machine ${busy}% busy before $1"
}

# --- pgbench baseline ---------------------------------------------------------------------
pgbench_percentiles() { # log files... -> "n p50 p95 p99 max" in ms (column 3 = latency, us)
  cat "$@" | awk '{print $3}' | sort -n | awk '
    {v[NR] = $1}
    END {
      if (NR == 0) { print "n=0"; exit }
      split("0.50 0.95 0.99", q, " ")
      printf "n=%d", NR
      for (i = 1; i <= 3; i++) { r = int(q[i] * NR + 0.999999); if (r < 1) r = 1; printf "  p%d=%.2f", q[i] * 100, v[r] / 1000 }
      printf "  max=%.2f ms\n", v[NR] / 1000
    }'
}

run_pgbench() {
  log "pgbench baseline: table bench_baseline.event_entry"
  psql_bench <<'SQL'
DROP SCHEMA IF EXISTS bench_baseline CASCADE;
CREATE SCHEMA bench_baseline;
CREATE SEQUENCE bench_baseline.event_seq;
CREATE TABLE bench_baseline.event_entry (
    global_index         BIGSERIAL    NOT NULL PRIMARY KEY,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    UNIQUE (aggregate_identifier, sequence_number)
);
SQL
  local mode
  for mode in max rate; do
    local args=(-n -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -c "$CLIENTS" -j 2 -T "$DURATION"
                -M prepared -D "conversations=$CONVERSATIONS" -f "$BENCH/pgbench-insert.sql"
                --log --log-prefix="$WORK/pgbench-$mode")
    [[ $mode == rate ]] && args+=(-R "$RATE")
    psql_admin -d "$DB_NAME" -c CHECKPOINT
    wait_for_quiet "pgbench-$mode"
    log "pgbench ($mode): pgbench ${args[*]} $DB_NAME"
    start_monitor "pgbench-$mode"
    PGPASSWORD="$DB_PASSWORD" pgbench "${args[@]}" "$DB_NAME" > "$OUT/pgbench-$mode.txt" 2>&1 || {
      stop_monitor; log "pgbench ($mode) failed:"; cat "$OUT/pgbench-$mode.txt" >&2; return 1; }
    stop_monitor
    echo "per-transaction latency: $(pgbench_percentiles "$WORK"/pgbench-"$mode".*)" >> "$OUT/pgbench-$mode.txt"
    rm -f "$WORK"/pgbench-"$mode".*
    grep -E "^(tps|latency|per-transaction|number of transactions actually)" "$OUT/pgbench-$mode.txt" >&2
  done
  psql_bench -c 'DROP SCHEMA bench_baseline CASCADE'
}

# --- Parley -------------------------------------------------------------------------------
free_port() {
  local p
  for p in $(seq 18080 18180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port in 18080..18180" >&2; return 1
}

start_parley() { # [embedded]: Parley's own in-process PostgreSQL instead of $DB_NAME
  PORT=$(free_port)
  URL="http://127.0.0.1:$PORT"
  local db_url="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB_NAME" data="$WORK/data" logfile="$OUT/parley.log"
  if [[ ${1:-} == embedded ]]; then
    db_url="" data="$WORK/embedded" logfile="$OUT/parley-embedded.log"
    EMBEDDED_PG_DIR="$data/postgres"
    log "starting Parley on $URL on its embedded PostgreSQL (data in $data)"
  else
    EMBEDDED_PG_DIR=""
    log "starting Parley on $URL against $DB_NAME"
  fi
  # shellcheck disable=SC2086
  PARLEY_DB_URL="$db_url" \
  PARLEY_DB_USER="$DB_USER" PARLEY_DB_PASSWORD="$DB_PASSWORD" \
  PARLEY_DATA_DIR="$data" PARLEY_KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP:-}" \
  PARLEY_CARDS_PROVIDER_BASE_URL="${CARD_PROVIDER_URL:-}" \
  PARLEY_CARDS_PROVIDER_MODEL="${CARD_PROVIDER_URL:+fake-model}" \
    java $PARLEY_JAVA_OPTS -jar "$WORK/parley.jar" --server.port="$PORT" --server.address=127.0.0.1 \
      --parley.rate-limit.messages=1000000000 $PARLEY_ARGS > "$logfile" 2>&1 &
  PARLEY_PID=$!
  local i
  for i in $(seq 1 180); do
    if ! kill -0 "$PARLEY_PID" 2>/dev/null; then
      log "Parley exited during start-up; last lines of its log:"; tail -30 "$logfile" >&2; return 1
    fi
    if curl -fsS -o /dev/null "$URL/actuator/health/readiness" 2>/dev/null; then
      log "Parley ready after ${i}s (pid $PARLEY_PID)"; return 0
    fi
    sleep 1
  done
  log "Parley not ready after 180 s"; tail -30 "$logfile" >&2; return 1
}

stop_parley() { # SIGTERM (graceful: Parley stops its embedded PostgreSQL too), bounded
  [[ -n "$PARLEY_PID" ]] || return 0
  log "stopping Parley (pid $PARLEY_PID)"
  kill "$PARLEY_PID" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$PARLEY_PID" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$PARLEY_PID" 2>/dev/null || true
  PARLEY_PID=""
}

run_parley_scenario() { # name, then load generator options
  local name=$1; shift
  psql_admin -d "$DB_NAME" -c CHECKPOINT
  wait_for_quiet "$name"
  local before_db before_parley before_pg before_machine before_children
  before_machine=$(machine_busy_seconds); before_children=$(children_cpu_seconds)
  local before_kafka=0 after_kafka=0
  [[ -z "$KAFKA_PID" ]] || before_kafka=$(cpu_seconds "$KAFKA_PID")
  before_db=$(db_stats); before_parley=$(cpu_seconds "$PARLEY_PID")
  # shellcheck disable=SC2046
  before_pg=$(cpu_seconds $(postgres_pids))
  thread_cpu "$PARLEY_PID" > "$WORK/threads-before"
  if [[ -n "${PG_STATEMENTS:-}" ]]; then psql_admin -d "$DB_NAME" -qAt -c 'SELECT pg_stat_statements_reset()' > /dev/null; fi
  log "scenario $name: java -jar parley-bench.jar --url $URL $*"
  start_monitor "$name"
  if [[ -n "${PARLEY_JFR:-}" && $name != long ]]; then # a profile of the measured window
    (sleep "$WARMUP"; jcmd "$PARLEY_PID" JFR.start name="$name" settings=profile \
       duration="${DURATION}s" filename="$OUT/$name.jfr" > /dev/null) &
  fi
  local rc=0 window_pid=""
  rm -f "$WORK/$name.window-start" "$WORK/$name.window-end"
  if [[ $name != long ]]; then # the measured window starts after the warm-up
    (sleep "$WARMUP"; window_snapshot > "$WORK/$name.window-start"
     thread_cpu "$PARLEY_PID" > "$WORK/$name.window-threads-start"
     sleep "$DURATION"; window_snapshot > "$WORK/$name.window-end"
     thread_cpu "$PARLEY_PID" > "$WORK/$name.window-threads-end") &
    window_pid=$!
  fi
  # shellcheck disable=SC2086
  java $LOADGEN_JAVA_OPTS -jar "$WORK/parley-bench.jar" --url "$URL" --label "$name" --json "$OUT/$name.json" "$@" \
    > "$OUT/$name.txt" 2>&1 || rc=$?
  [[ -z "$window_pid" ]] || wait "$window_pid" 2>/dev/null || true
  stop_monitor
  local after_db after_parley after_pg after_machine client_cpu
  after_db=$(db_stats); after_parley=$(cpu_seconds "$PARLEY_PID")
  # shellcheck disable=SC2046
  after_pg=$(cpu_seconds $(postgres_pids))
  after_machine=$(machine_busy_seconds)
  [[ -z "$KAFKA_PID" ]] || after_kafka=$(cpu_seconds "$KAFKA_PID")
  thread_cpu "$PARLEY_PID" > "$WORK/threads-after"
  client_cpu=$(awk -v a="$before_children" -v b="$(children_cpu_seconds)" 'BEGIN {print b - a}')
  {
    echo
    echo "load generator exit status: $rc"
    echo "pg_stat_database before (commits rollbacks inserted updated deleted): $before_db"
    echo "pg_stat_database after:                                               $after_db"
    echo "Parley JVM CPU seconds: $before_parley -> $after_parley"
    echo "PostgreSQL CPU seconds (live processes): $before_pg -> $after_pg"
    awk -v m=$(awk -v a="$before_machine" -v b="$after_machine" 'BEGIN {print b - a}') \
        -v p=$(awk -v a="$before_parley" -v b="$after_parley" 'BEGIN {print b - a}') \
        -v g=$(awk -v a="$before_pg" -v b="$after_pg" 'BEGIN {print b - a}') \
        -v c="${client_cpu:-0}" 'BEGIN {
          o = m - p - g - c; if (o < 0) o = 0
          printf "CPU seconds during the scenario: machine %.1f = Parley %.1f + PostgreSQL %.1f + load generator and monitors %.1f + other processes %.1f (%.0f%%)\n", m, p, g, c, o, (m > 0 ? 100 * o / m : 0)
        }'
    kafka_cpu_line "$before_kafka -> $after_kafka (part of other processes above)"
    window_summary "$name"
    lag_summary "$name"
    echo "Parley JVM CPU seconds by thread (threads of one pool summed):"
    thread_cpu_delta "$WORK/threads-before" "$WORK/threads-after" | head -25
    if [[ -n "${PG_STATEMENTS:-}" ]]; then
      echo "PostgreSQL statements during the scenario (pg_stat_statements, top 25 by total time):"
      psql_admin -d "$DB_NAME" -P pager=off -c "
        SELECT calls, round(total_exec_time::numeric, 0) AS total_ms,
               round((total_exec_time / greatest(calls, 1))::numeric, 3) AS mean_ms, rows,
               left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
          FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$DB_NAME')
         ORDER BY total_exec_time DESC LIMIT 25"
    fi
  } >> "$OUT/$name.txt"
  cat "$OUT/$name.txt" >&2
}

# --- Pre-filled event store -----------------------------------------------------------------
# Fills domain_event_entry to PREFILL_EVENTS rows with copies of real events, written by SQL while
# Parley is stopped, then points every processor's token at the store's head, so that Parley does
# not replay the copies into its projections (a store that size would have been projected long ago).
#  1. A short real load (the bench jar, PREFILL_SEED_MESSAGES messages) unless the store already
#     holds that many events: conversations created and messages sent, as Parley writes them.
#  2. Parley stops. The events present become the template; each copy gives every aggregate a fresh
#     identifier (an md5-derived UUID: the same per copy, so an aggregate's events keep consecutive
#     sequence numbers 0..n), every event a fresh event identifier (gen_random_uuid()), and the
#     aggregate's id inside the JSON payload is replaced too. global_index comes from the table's
#     sequence. Batches of copies, one transaction each. The two unique constraints are dropped
#     during the fill and re-created after it (a sorted build, much faster than 5M random B-tree
#     inserts); the migration's names and definitions are kept.
#  3. VACUUM ANALYZE (so that autovacuum does not wake up on the new rows during the measured run)
#     and CHECKPOINT.
#  4. Every token_entry row's token becomes the head: Jackson JSON {"index":head,"gaps":[]} for a
#     GapAwareTrackingToken (what the JDBC store's processors keep; also given to a row with no token
#     yet), {"index":head} for a GlobalSequenceTrackingToken; a ReplayToken or a
#     MultiSourceTrackingToken (none are expected at this point) is refused rather than guessed at.
#  5. Parley starts again (a fresh JVM) on the filled store.
# The copies are not in the audit hash chain (its processor skips them with the others), so
# /api/v1/audit/integrity over a prefilled store does not verify: the chain's rows are one per event
# its processor saw, and it saw only the real ones. fsync and synchronous_commit stay on.
PREFILLED=""
prefill_store() {
  [[ -z "$PREFILLED" ]] || return 0
  [[ -n "$PARLEY_PID" ]] || start_parley
  local have
  have=$(psql_bench -At -c 'SELECT count(*) FROM domain_event_entry')
  if (( have < PREFILL_SEED_MESSAGES )); then
    log "prefill: seed run, $PREFILL_SEED_MESSAGES real messages (4 clients, 40 conversations)"
    java -jar "$WORK/parley-bench.jar" --url "$URL" --label prefill-seed --clients 4 \
      --conversations 40 --rate 0 --warmup 0 --duration 120 --max-messages "$PREFILL_SEED_MESSAGES" \
      --sample-lag false --verify false > "$OUT/prefill-seed.txt" 2>&1 \
      || { log "prefill: the seed run failed"; tail -20 "$OUT/prefill-seed.txt" >&2; exit 1; }
  fi
  stop_parley
  local t0 template need copies
  t0=$(date +%s.%N)
  template=$(psql_bench -At -c 'SELECT count(*) FROM domain_event_entry')
  need=$((PREFILL_EVENTS - template))
  {
    echo "prefill: target $PREFILL_EVENTS events; template: $template real events"
    psql_bench -At -F ' ' -c "SELECT '  ' || payload_type, count(*) FROM domain_event_entry GROUP BY 1 ORDER BY 2 DESC"
  } | tee "$OUT/prefill.txt" >&2
  if (( need <= 0 )); then
    log "prefill: the store already holds $template events"
  else
    copies=$(( (need + template - 1) / template ))
    log "prefill: $need events in $copies copies of the $template template events"
    psql_bench <<'SQL'
CREATE TABLE IF NOT EXISTS prefill_template AS
  SELECT aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision,
         payload, meta_data, row_number() OVER (ORDER BY global_index) AS n,
         aggregate_identifier ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' AS uuid_id
    FROM domain_event_entry;
ALTER TABLE domain_event_entry DROP CONSTRAINT domain_event_entry_event_identifier_uq;
ALTER TABLE domain_event_entry DROP CONSTRAINT domain_event_entry_aggregate_sequence_uq;
SQL
    local salt batch first=1 last
    salt=$(date +%s%N)
    # Copies per batch: about 500,000 rows a transaction. The last copy takes the template's first
    # events only (a prefix of each aggregate's events: sequence numbers stay consecutive).
    batch=$(( 500000 / template )); (( batch >= 1 )) || batch=1
    while (( first <= copies )); do
      last=$((first + batch - 1)); (( last <= copies )) || last=$copies
      psql_bench -c "
        INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
               type, time_stamp, payload_type, payload_revision, payload, meta_data)
        SELECT gen_random_uuid()::text, a.id, t.sequence_number, t.type, t.time_stamp,
               t.payload_type, t.payload_revision,
               convert_to(replace(convert_from(t.payload, 'UTF8'), t.aggregate_identifier, a.id), 'UTF8'),
               t.meta_data
          FROM generate_series($first, $last) AS c(i)
          CROSS JOIN prefill_template t
          CROSS JOIN LATERAL (SELECT CASE WHEN t.uuid_id
                                          THEN md5(t.aggregate_identifier || ':$salt:' || c.i)::uuid::text
                                          ELSE t.aggregate_identifier || '-prefill-' || c.i END AS id) a
         WHERE (c.i - 1) * $template + t.n <= $need"
      log "prefill: $(( last * template < need ? last * template : need )) of $need events written"
      first=$((last + 1))
    done
    log "prefill: re-creating the unique constraints, VACUUM ANALYZE, CHECKPOINT"
    psql_bench <<'SQL'
SET maintenance_work_mem = '512MB';
ALTER TABLE domain_event_entry
  ADD CONSTRAINT domain_event_entry_event_identifier_uq UNIQUE (event_identifier);
ALTER TABLE domain_event_entry
  ADD CONSTRAINT domain_event_entry_aggregate_sequence_uq UNIQUE (aggregate_identifier, sequence_number);
DROP TABLE prefill_template;
VACUUM ANALYZE domain_event_entry;
SQL
    psql_admin -d "$DB_NAME" -c CHECKPOINT
  fi
  # Every processor's token at the head.
  local head odd
  head=$(psql_bench -At -c 'SELECT max(global_index) FROM domain_event_entry')
  odd=$(psql_bench -At -c "SELECT count(*) FROM token_entry WHERE token IS NOT NULL
          AND token_type NOT IN ('org.axonframework.eventhandling.GlobalSequenceTrackingToken',
                                 'org.axonframework.eventhandling.GapAwareTrackingToken')")
  if (( odd > 0 )); then
    log "prefill: $odd tokens of another type (a replay under way?):"
    psql_bench -c 'SELECT processor_name, segment, token_type, convert_from(token, $$UTF8$$) FROM token_entry' >&2
    exit 1
  fi
  # A row without a token yet (a processor that has seen no event) would start at the tail: it gets
  # the type the JDBC event store's processors use, GapAwareTrackingToken.
  psql_bench -c "
    UPDATE token_entry
       SET token_type = coalesce(token_type, 'org.axonframework.eventhandling.GapAwareTrackingToken'),
           token = convert_to(CASE coalesce(token_type, 'org.axonframework.eventhandling.GapAwareTrackingToken')
             WHEN 'org.axonframework.eventhandling.GapAwareTrackingToken'
               THEN json_build_object('index', $head, 'gaps', json_build_array())::text
             ELSE json_build_object('index', $head)::text END, 'UTF8')"
  local t1
  t1=$(date +%s.%N)
  {
    echo "prefill: $(psql_bench -At -c 'SELECT count(*) FROM domain_event_entry') events in domain_event_entry, head $head; $(psql_bench -At -c 'SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry') aggregates; table + indexes $(psql_bench -At -c "SELECT pg_size_pretty(pg_total_relation_size('domain_event_entry'))")"
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "prefill took %.0f s (Parley stopped; SQL on the Debian server)\n", b - a}'
    echo "tokens after the prefill:"
    psql_bench -At -F ' ' -c "SELECT '  ' || processor_name, segment, token_type, convert_from(token, 'UTF8') FROM token_entry ORDER BY 1, 2"
  } | tee -a "$OUT/prefill.txt" >&2
  PREFILLED=1
  start_parley
}

summarize() {
  {
    echo "# Parley benchmark $(basename "$OUT")"
    cat "$OUT/machine.txt"
    local f
    for f in pgbench-max pgbench-rate; do
      [[ -f "$OUT/$f.txt" ]] || continue
      echo; echo "## $f"; grep -E "^(tps|latency average|per-transaction|number of failed)" "$OUT/$f.txt"
    done
    if [[ -f "$OUT/cards.txt" ]]; then echo; echo "## cards"; cat "$OUT/cards.txt"; fi
    if [[ -f "$OUT/prefill.txt" ]]; then echo; echo "## prefill"; grep -E "^prefill" "$OUT/prefill.txt"; fi
    for f in max embedded rate prefilled prefilled-rate long; do
      [[ -f "$OUT/$f.txt" ]] || continue
      echo; echo "## $f"
      grep -E "throughput|latency|service time|schedule:|CPU seconds during|measured window|Kafka broker|status counts|lag|complete after|still|verification|fill|send into|ratio|CPU|anomal|  - " "$OUT/$f.txt"
    done
    if [[ -f "$OUT/parley.log" ]]; then
      echo; echo "## parley.log: $(grep -c ' ERROR ' "$OUT/parley.log" || true) ERROR lines, $(grep -c ' WARN ' "$OUT/parley.log" || true) WARN lines"
      grep -E ' (ERROR|WARN) ' "$OUT/parley.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -20 || true
    fi
  } > "$OUT/summary.txt"
  log "results in $OUT (summary.txt)"
}

start_card_provider() {
  # shellcheck disable=SC2086
  java -cp "$WORK/parley-bench.jar" io.parley.bench.FakeCardProviderServer $CARD_PROVIDER \
    > "$WORK/provider.out" 2> "$OUT/provider.log" &
  PROVIDER_PID=$!
  local i
  for i in $(seq 1 60); do
    CARD_PROVIDER_URL=$(sed -n 's/^base.url=//p' "$WORK/provider.out")
    if [[ -n "$CARD_PROVIDER_URL" ]]; then log "card provider on $CARD_PROVIDER_URL ($CARD_PROVIDER)"; return 0; fi
    kill -0 "$PROVIDER_PID" 2>/dev/null || break
    sleep 1
  done
  log "the card provider did not start (see $OUT/provider.log)"; exit 1
}

run_cards_scenario() {
  psql_admin -d "$DB_NAME" -c CHECKPOINT
  wait_for_quiet cards
  local before_machine before_parley before_pg before_provider=0 after_provider=0
  before_machine=$(machine_busy_seconds); before_parley=$(cpu_seconds "$PARLEY_PID")
  # shellcheck disable=SC2046
  before_pg=$(cpu_seconds $(postgres_pids))
  [[ -z "$PROVIDER_PID" ]] || before_provider=$(cpu_seconds "$PROVIDER_PID")
  log "scenario cards: $CARDS cards within ${CARDS_WITHIN}s across $CARD_CONVERSATIONS conversations, consents $CARD_CONSENTS"
  local rc=0
  java -cp "$WORK/parley-bench.jar" io.parley.bench.CardLoadBenchmark --url "$URL" \
    --conversations "$CARD_CONVERSATIONS" --cards "$CARDS" --within "$CARDS_WITHIN" \
    --consents "$CARD_CONSENTS" --label cards --json "$OUT/cards.json" > "$OUT/cards.txt" 2>&1 || rc=$?
  local after_machine after_parley after_pg
  after_machine=$(machine_busy_seconds); after_parley=$(cpu_seconds "$PARLEY_PID")
  # shellcheck disable=SC2046
  after_pg=$(cpu_seconds $(postgres_pids))
  [[ -z "$PROVIDER_PID" ]] || after_provider=$(cpu_seconds "$PROVIDER_PID")
  awk -v m0="$before_machine" -v m1="$after_machine" -v p0="$before_parley" -v p1="$after_parley" \
      -v g0="$before_pg" -v g1="$after_pg" -v w0="$before_provider" -v w1="$after_provider" \
      'BEGIN {printf "CPU seconds during the scenario: machine %.1f, Parley %.1f, PostgreSQL %.1f, card provider %.1f\n", m1-m0, p1-p0, g1-g0, w1-w0}' \
      >> "$OUT/cards.txt"
  [[ $rc -eq 0 ]] || log "card load generator exited with $rc"
}

start_kafka() {
  java -cp "$WORK/parley-bench.jar" io.parley.bench.KafkaBroker > "$WORK/kafka.out" 2> "$OUT/kafka.log" &
  KAFKA_PID=$!
  local i
  for i in $(seq 1 60); do
    KAFKA_BOOTSTRAP=$(sed -n 's/^bootstrap.servers=//p' "$WORK/kafka.out")
    if [[ -n "$KAFKA_BOOTSTRAP" ]]; then log "Kafka broker on $KAFKA_BOOTSTRAP (pid $KAFKA_PID)"; return 0; fi
    kill -0 "$KAFKA_PID" 2>/dev/null || break
    sleep 1
  done
  log "the Kafka broker did not start (see $OUT/kafka.log)"; exit 1
}

# --- Main ---------------------------------------------------------------------------------
ensure_postgres
fresh_database
build
machine_info
if [[ -n "${KAFKA:-}" ]]; then start_kafka; fi
if [[ -n "$CARD_PROVIDER" ]]; then start_card_provider; fi

for s in $SCENARIOS; do
  case $s in
    pgbench) run_pgbench ;;
    embedded)
      stop_parley
      start_parley embedded
      EMBEDDED_PG_PORT=$(sed -n 4p "$EMBEDDED_PG_DIR/postmaster.pid")
      psql -X -At -h 127.0.0.1 -p "$EMBEDDED_PG_PORT" -U postgres -d postgres -c "SELECT 'embedded: ' || version();
        SELECT 'embedded settings: ' || string_agg(name || '=' || current_setting(name), ' ') FROM pg_settings
         WHERE name IN ('shared_buffers','synchronous_commit','fsync','full_page_writes','wal_level','max_connections')" \
        | tee -a "$OUT/machine.txt" >&2
      run_parley_scenario embedded --clients "$CLIENTS" --conversations "$CONVERSATIONS" \
        --rate 0 --warmup "$WARMUP" --duration "$DURATION"
      stop_parley ;;
    max|rate|long)
      [[ -n "$PARLEY_PID" ]] || start_parley
      case $s in
        # shellcheck disable=SC2086
        max)  run_parley_scenario max --clients "$CLIENTS" --conversations "$CONVERSATIONS" \
                --rate 0 --warmup "$WARMUP" --duration "$DURATION" $LOAD_ARGS ;;
        # shellcheck disable=SC2086
        rate) run_parley_scenario rate --clients "$CLIENTS" --conversations "$CONVERSATIONS" \
                --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" $LOAD_ARGS ;;
        long) run_parley_scenario long --clients "$CLIENTS" --long-conversation "$LONG_MESSAGES" \
                --samples "$SAMPLES" --catchup-timeout 600 --fill-timeout "$FILL_TIMEOUT" ;;
      esac ;;
    prefilled|prefilled-rate)
      prefill_store
      case $s in
        # shellcheck disable=SC2086
        prefilled) run_parley_scenario prefilled --clients "$CLIENTS" --conversations "$CONVERSATIONS" \
                --rate 0 --warmup "$WARMUP" --duration "$DURATION" $LOAD_ARGS ;;
        # shellcheck disable=SC2086
        prefilled-rate) run_parley_scenario prefilled-rate --clients "$CLIENTS" \
                --conversations "$CONVERSATIONS" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" $LOAD_ARGS ;;
      esac ;;
    cards)
      [[ -n "$PARLEY_PID" ]] || start_parley
      run_cards_scenario ;;
    *) log "unknown scenario $s (pgbench max embedded rate prefilled prefilled-rate long cards)"; exit 2 ;;
  esac
done

summarize
