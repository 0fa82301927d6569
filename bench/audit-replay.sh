#!/usr/bin/env bash
# Throughput and heap of the audit event replay (GET /api/v1/audit/events, NDJSON) over a store of
# >= EVENTS events, against the local Debian PostgreSQL 15 (loopback only). Not part of any test
# suite. Needs root (pg_ctlcluster, runuser postgres) and a built jar:
#
#   mvn -B -q package -pl infra -am -DskipTests -Djacoco.skip=true
#   bench/audit-replay.sh                       # EVENTS=1000000 HEAP=256m by default
#
# 1. Creates database $DB_NAME, starts Parley on it (Flyway migrates), records a conversation and a
#    few messages through the API, stops Parley.
# 2. Fills the store in PostgreSQL by cloning those real event rows with generate_series (fresh
#    event and aggregate ids), then moves every processor's token to the head, so that no
#    projection competes with the replay for the two cores.
# 3. Starts Parley with a fixed heap (-Xmx$HEAP), pages through the whole store with
#    limit=10000&after=<last globalIndex> (what an officer's tool does), and reports events/s, the
#    heap after a full GC before and after, and the largest heap in use (live and garbage) sampled
#    every 5 s during the replay (jcmd).
#    A fixed -Xmx that is far smaller than the stream also proves the point: a heap that grew with
#    the events would fail with OutOfMemoryError.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=${EVENTS:-1000000}
HEAP=${HEAP:-256m}
PAGE=${PAGE:-10000}
PG_CLUSTER=${PG_CLUSTER:-main}
PG_VERSION=${PG_VERSION:-15}
DB_NAME=${DB_NAME:-parley_audit_bench}
DB_USER=${DB_USER:-parley_audit_bench}
DB_PASSWORD=${DB_PASSWORD:-parley_audit_bench}
PARLEY_JAR=${PARLEY_JAR:-"$ROOT/infra/target/parley.jar"}
OUT=${OUT:-"$ROOT/bench/results/audit-replay-$(date -u +%Y%m%dT%H%M%SZ)"}

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/parley-audit-bench.XXXXXX)
PARLEY_PID=""
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
stop_parley() {
  [[ -n "$PARLEY_PID" ]] || return 0
  kill "$PARLEY_PID" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$PARLEY_PID" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$PARLEY_PID" 2>/dev/null || true
  PARLEY_PID=""
}
trap 'stop_parley; rm -rf "$WORK"' EXIT

as_postgres() { (cd / && runuser -u postgres -- "$@"); }
pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start 2>/dev/null || true
PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}')
psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }
psql_bench() {
  PGPASSWORD="$DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" \
    -U "$DB_USER" -d "$DB_NAME" "$@"
}
psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME" -c "DROP ROLE IF EXISTS $DB_USER" \
  -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" \
  -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
cp "$PARLEY_JAR" "$WORK/parley.jar"

start_parley() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL="http://127.0.0.1:$PORT"
  PARLEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB_NAME" \
  PARLEY_DB_USER="$DB_USER" PARLEY_DB_PASSWORD="$DB_PASSWORD" PARLEY_DATA_DIR="$WORK/data" \
    java "-Xmx$HEAP" "-Xms$HEAP" -jar "$WORK/parley.jar" --server.port="$PORT" \
      --server.address=127.0.0.1 >> "$OUT/parley.log" 2>&1 &
  PARLEY_PID=$!
  for _ in $(seq 1 180); do
    kill -0 "$PARLEY_PID" 2>/dev/null || { tail -30 "$OUT/parley.log" >&2; exit 1; }
    curl -fsS -o /dev/null "$URL/actuator/health/readiness" 2>/dev/null && return 0
    sleep 1
  done
  echo "Parley not ready" >&2; exit 1
}
token() {
  curl -fsS -H 'Content-Type: application/json' -d "{\"sub\":\"$1\",\"roles\":[\"$2\"]}" \
    "$URL/api/dev/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
heap_used_kb() { # heap in use now (KB), from the JVM itself
  jcmd "$PARLEY_PID" GC.heap_info | awk '/garbage-first heap|def new generation|PSYoungGen/ {for(i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,?","",v); print v; exit}}'
}
heap_after_gc_kb() { jcmd "$PARLEY_PID" GC.run > /dev/null; heap_used_kb; }

log "seeding real events through the API"
start_parley
ALICE=$(token alice USER)
CONV=$(curl -fsS -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' \
  -d '{"title":"Bench room","participants":["bob"]}' "$URL/api/v1/conversations" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["conversationId"])')
for i in $(seq 1 9); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' \
    -d "{\"text\":\"message number $i of the audit replay benchmark\"}" \
    "$URL/api/v1/conversations/$CONV/messages"
done
sleep 3
stop_parley

log "cloning the stored events to >= $EVENTS rows"
psql_bench <<SQL
\timing on
INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
    time_stamp, payload_type, payload_revision, payload, meta_data)
SELECT gen_random_uuid()::text,
       'clone-' || g || '-' || e.aggregate_identifier,
       e.sequence_number, e.type, e.time_stamp, e.payload_type, e.payload_revision, e.payload,
       e.meta_data
  FROM generate_series(1, CEIL($EVENTS::numeric / (SELECT count(*) FROM domain_event_entry))::int) g,
       domain_event_entry e
 ORDER BY g, e.global_index;
UPDATE token_entry
   SET token = convert_to('{"index":' || (SELECT max(global_index) FROM domain_event_entry)
                          || ',"gaps":[]}', 'UTF8'),
       token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken';
VACUUM ANALYZE domain_event_entry;
SQL
TOTAL=$(psql_bench -At -c "SELECT count(*) FROM domain_event_entry")
log "store holds $TOTAL events"

start_parley
OFFICER=$(token officer COMPLIANCE)
sleep 5
BEFORE_KB=$(heap_after_gc_kb)
log "heap after GC before the replay: ${BEFORE_KB} KB (-Xmx$HEAP)"

( while kill -0 "$PARLEY_PID" 2>/dev/null; do heap_used_kb; sleep 5; done ) > "$WORK/heap.samples" &
SAMPLER=$!

AFTER=0
READ=0
BYTES=0
START=$(date +%s.%N)
while :; do
  curl -fsS -H "Authorization: Bearer $OFFICER" -H 'X-Audit-Reason: benchmark' \
    "$URL/api/v1/audit/events?limit=$PAGE&after=$AFTER" -o "$WORK/page.ndjson"
  N=$(wc -l < "$WORK/page.ndjson")
  [[ $N -gt 0 ]] || break
  READ=$((READ + N))
  BYTES=$((BYTES + $(stat -c %s "$WORK/page.ndjson")))
  AFTER=$(tail -1 "$WORK/page.ndjson" | python3 -c 'import json,sys; print(json.load(sys.stdin)["globalIndex"])')
  [[ $N -eq $PAGE ]] || break
done
END=$(date +%s.%N)
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
AFTER_KB=$(heap_after_gc_kb)
PEAK_KB=$(sort -n "$WORK/heap.samples" | tail -1)
SECONDS_TAKEN=$(python3 -c "print(round($END - $START, 1))")
RATE=$(python3 -c "print(round($READ / ($END - $START)))")
{
  echo "events streamed: $READ of $TOTAL in $SECONDS_TAKEN s = $RATE events/s ($((BYTES / 1048576)) MiB of NDJSON, pages of $PAGE)"
  echo "heap after GC: before ${BEFORE_KB} KB, after ${AFTER_KB} KB; largest sampled in use during the replay ${PEAK_KB} KB (-Xmx$HEAP)"
  echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg) (the cores are shared)"
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), PostgreSQL $PG_VERSION, commit $(git -C "$ROOT" rev-parse --short HEAD)"
} | tee "$OUT/summary.txt"
