# Shell helpers shared by scripts/start and scripts/test (sourced, not run).

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() {
  printf '\033[31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# True when something listens on 127.0.0.1:<port>.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_for <what> <seconds> <command>: runs the command every second until it
# succeeds; prints how long it took.
wait_for() {
  local what=$1 limit=$2 cmd=$3 start
  start=$(date +%s)
  while ! eval "$cmd" >/dev/null 2>&1; do
    if [ $(($(date +%s) - start)) -ge "$limit" ]; then
      printf '    %s: not ready after %s s\n' "$what" "$limit" >&2
      return 1
    fi
    sleep 1
  done
  printf '    %s ready (%s s)\n' "$what" "$(($(date +%s) - start))" >&2
}

# kill_tree <pid>: stops a process and everything it started.
kill_tree() {
  local pid=$1 child
  for child in $(pgrep -P "$pid" 2>/dev/null); do kill_tree "$child"; done
  kill -TERM "$pid" 2>/dev/null || true
}
