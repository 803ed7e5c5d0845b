#!/usr/bin/env bash
# chaos.sh: the long forms of the fault tests (the TestChaos* tests of cmd/fleetd): MariaDB killed
# for 30 s under 1,000 reporting terminals with a console open, kill -9 of fleetd during approvals
# and assignments, Redis stopped under two instances, terminals cut off. `make test` runs the same
# tests in their short forms (a 5 s outage).
#
#   scripts/chaos.sh                          every TestChaos* test: 30 s outage, 1,000 terminals
#   scripts/chaos.sh --run '^TestChaosDB'     only the database fault tests
#   scripts/chaos.sh --outage 60s --terminals 2000
#
# Options: --outage D (30s; FLEET_CHAOS_OUTAGE), --terminals N (1000; FLEET_CHAOS_TERMINALS),
# --run REGEX ('^TestChaos'), --timeout D (30m; go test's).
#
# The tests need MariaDB and Redis: scripts/testenv.sh starts them in a run directory of this
# script's own (FLEET_CHAOS_DIR, default $TMPDIR or /tmp, then fleet-chaos; ports
# FLEET_CHAOS_MYSQL_PORT 13317 and FLEET_CHAOS_REDIS_PORT 16390), so a running `make test` or
# testenv is untouched, and stops them when the script ends, however it ends. The database outage test also
# starts a MariaDB of its own, which it kills and restarts. The whole go test output goes to
# stdout; the figures the tests log are repeated at the end, after "chaos: summary".
set -euo pipefail

OUTAGE=30s
TERMINALS=1000
RUN='^TestChaos'
TIMEOUT=30m

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --outage) OUTAGE=$2; shift 2 ;;
    --terminals) TERMINALS=$2; shift 2 ;;
    --run) RUN=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "chaos: unknown option $1" >&2; usage ;;
  esac
done

log() { printf 'chaos: %s\n' "$*" >&2; }

cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
# Servers of this script's own, never a testenv the caller has running (FLEET_TESTENV_* are
# not inherited): testenv.sh stops them at the end.
export FLEET_TESTENV_DIR=${FLEET_CHAOS_DIR:-${TMPDIR:-/tmp}/fleet-chaos}
export FLEET_TESTENV_MYSQL_PORT=${FLEET_CHAOS_MYSQL_PORT:-13317}
export FLEET_TESTENV_REDIS_PORT=${FLEET_CHAOS_REDIS_PORT:-16390}
export FLEET_CHAOS_OUTAGE=$OUTAGE FLEET_CHAOS_TERMINALS=$TERMINALS

OUT=$(mktemp "${TMPDIR:-/tmp}/fleet-chaos-XXXXXX.log")
trap 'rm -f "$OUT"' EXIT

log "go test -run '$RUN' with a $OUTAGE outage and $TERMINALS terminals"
# testenv.sh run: start, run with the env, always stop; one run at a time per run directory.
rc=0
scripts/testenv.sh run go test -count=1 -v -timeout "$TIMEOUT" -run "$RUN" ./cmd/fleetd/ 2>&1 | tee "$OUT" ||
  rc=${PIPESTATUS[0]}

echo "chaos: summary (outage $OUTAGE, terminals $TERMINALS, -run '$RUN')"
# The figures: what the chaos tests log (file:line: text), and each test's verdict.
# (the simulator's progress lines stay in the full output above).
grep -E '^ +chaos_[a-z0-9_]+_test\.go:[0-9]+: |^ *--- (PASS|FAIL|SKIP): TestChaos' "$OUT" |
  grep -Ev ': fleetsim +[0-9]+s: ' | sed 's/^ *//' || true
if [ "$rc" -eq 0 ]; then echo "chaos: PASS"; else echo "chaos: FAIL (go test exit $rc)"; fi
exit "$rc"
