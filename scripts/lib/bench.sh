# scripts/lib/bench.sh: shell functions the benchmark and soak scripts share. Source it after
# defining log and die; the functions use ROOT, RUN_DIR and the FLEET_TESTENV_* variables.

# secs D: a Go duration of whole seconds, minutes or hours ("90s", "2m", "1h") in seconds.
secs() {
  case "$1" in
    *ms) echo 1 ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *h) echo $(( ${1%h} * 3600 )) ;;
    *) die "duration $1: write it as 90s, 2m or 1h" ;;
  esac
}

# start_durable_mariadb DB: MariaDB (and Redis) of scripts/testenv.sh in FLEET_TESTENV_DIR,
# restarted on the same datadir with the durable defaults that testenv relaxes for tests
# (innodb_flush_log_at_trx_commit=1, doublewrite on), and database DB created. Sets FLEET_DB,
# sqlq (a function running one statement) and DURABILITY (what the server says it does).
start_durable_mariadb() {
  local db=$1 my_dir="$FLEET_TESTENV_DIR/mariadb" mysqld_bin user=()
  MY_SOCK="$my_dir/mariadb.sock"
  "$ROOT/scripts/testenv.sh" start
  mysqld_bin=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -n1)
  [ "$(id -u)" -eq 0 ] && user=(--user=root)
  log "restarting MariaDB with durable settings (innodb_flush_log_at_trx_commit=1, doublewrite on)"
  mariadb-admin --no-defaults --socket="$MY_SOCK" -uroot shutdown
  for _ in $(seq 120); do [ -e "$my_dir/mariadb.pid" ] || break; sleep 0.5; done
  # The options of testenv.sh's start_mariadb, less the ones that trade durability for speed.
  setsid "$mysqld_bin" --no-defaults "${user[@]}" \
    --datadir="$my_dir/data" --tmpdir="$my_dir/tmp" \
    --socket="$MY_SOCK" --pid-file="$my_dir/mariadb.pid" --log-error="$my_dir/error.log" \
    --bind-address=127.0.0.1 --port="$FLEET_TESTENV_MYSQL_PORT" --skip-name-resolve \
    --character-set-server=utf8mb4 --max-connections=1000 --performance-schema=OFF \
    --innodb-buffer-pool-size=1G --innodb-flush-log-at-trx-commit=1 --innodb-doublewrite=1 \
    </dev/null >>"$my_dir/error.log" 2>&1 &
  for _ in $(seq 120); do
    mariadb-admin --no-defaults --socket="$MY_SOCK" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb-admin --no-defaults --socket="$MY_SOCK" -uroot ping >/dev/null 2>&1 ||
    { tail -n 30 "$my_dir/error.log" >&2; die "MariaDB did not come back with durable settings"; }
  sqlq() { mariadb --no-defaults --socket="$MY_SOCK" -uroot -N -B -e "$1"; }
  sqlq "CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  export FLEET_DB="mysql://fleet:fleet@127.0.0.1:$FLEET_TESTENV_MYSQL_PORT/$db"
  DURABILITY="mariadb $(sqlq "SELECT VERSION()" | cut -d- -f1): $(sqlq "SELECT CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit, ' doublewrite=', @@innodb_doublewrite, ' log_bin=', @@log_bin, ' sync_binlog=', @@sync_binlog)")"
}

# import_sim_vehicles N [fleetsim flags]: N vehicles bound to fleetsim's terminal phones, plates
# 赣K + a letter (no I or O) + 4 digits: 赣KA0001 … 赣KA9999, 赣KB0001 …
import_sim_vehicles() {
  local n=$1; shift
  "$ROOT/bin/fleetsim" -phones -n "$n" "$@" | awk '
    BEGIN { L = "ABCDEFGHJKLMNPQRSTUVWXYZ"; print "plate,class,seats,energy,terminal_phone" }
    { i = NR - 1; printf "赣K%s%04d,general,5,gasoline,%s\n", substr(L, int(i / 9999) + 1, 1), i % 9999 + 1, $0 }
  ' > "$RUN_DIR/vehicles.csv"
  "$ROOT/bin/fleetctl" import vehicles "$RUN_DIR/vehicles.csv" 2>/dev/null >&2
}

# watchdog SECONDS NAME: ends this script (SIGTERM) after SECONDS; its pid in WATCHDOG_PID.
# The watchdog's sleep must go with it: it holds the script's stdout and stderr open.
watchdog() {
  local limit=$1 name=$2 me=$$
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$limit" & sp=$!
    wait "$sp"
    echo "$name: watchdog: still running after ${limit}s; stopping" >&2
    kill -TERM "$me"
  ) &
  WATCHDOG_PID=$!
}

# check_limits CONNECTIONS: enough descriptors and loopback ports for that many connections.
check_limits() {
  local want=$(( $1 + 1024 )) have lo hi
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  have=$(ulimit -n)
  if [ "$have" != unlimited ] && [ "$have" -lt "$want" ]; then
    die "ulimit -n is $have (hard limit $(ulimit -Hn)); this run needs $want: raise the hard limit"
  fi
  read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
  [ $(( hi - lo )) -ge $(( $1 + 1000 )) ] || die "ephemeral port range $lo-$hi is too small for $1 connections on loopback"
}
