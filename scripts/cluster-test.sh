#!/usr/bin/env bash
# make cluster-test: nmm on a real one-node Slurm cluster.
#   Debian's munge + slurmctld + slurmd (installed with apt-get if missing) are started by hand in a
#   temporary folder (no systemd, no cgroups; recipe and pitfalls: shared/slurm.md), then
#   1. the default fixture's toy-MC limit (config/default.yaml, --method toys) runs once in one process and once as
#      `nmm submit --scheduler slurm --shards 4` (job array + afterok merge job); the merged
#      limit.fits must equal the single-process one card for card and cell for cell (DATE,
#      CHECKSUM, DATASUM aside), and limit.json byte for byte;
#   2. the same submit with shard 2 forced to fail (a wrapper given as --nmm exits 1 for 2/4):
#      task 2 FAILED, the merge job never ran, no limit.fits, and `nmm merge` names shard 2/4.
#   Teardown (trap on EXIT) stops exactly the daemons it started and removes the folder.
# Needs root (apt-get, SlurmUser=root). Last line: "cluster-test: N passed, M failed"; exit 0 iff M = 0.
# Env: NMM (nmm binary; default: swift build -c release --product nmm, not counted in the timeout),
#      CLUSTER_TEST_TIMEOUT (whole test after the build, 1800 s), CLUSTER_TEST_JOB_TIMEOUT (per wait, 600 s;
#      daemon start-up and job waits poll for the event, these bounds only fail a hung run),
#      CLUSTER_TEST_TOYS (1000 per κ point on the config's 60-point grid), CLUSTER_TEST_SENS (500 sensitivity toys),
#      CLUSTER_TEST_SEED (20240611), CLUSTER_TEST_CTLD_PORT (16817), CLUSTER_TEST_SLURMD_PORT (16818),
#      CLUSTER_TEST_KEEP=1 (keep the folder), TMPDIR.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)

# ------------------------------------------------------------------ 0. build, then bound everything else
if [ -z "${CLUSTER_TEST_INNER:-}" ]; then
  if [ -z "${NMM:-}" ]; then
    (cd "$REPO" && swift build -c release --product nmm) || { echo "cluster-test: 0 passed, 1 failed (build)"; exit 1; }
    NMM="$REPO/.build/release/nmm"
  fi
  export NMM CLUSTER_TEST_INNER=1
  # --foreground: TERM only this script, whose EXIT trap then cancels jobs and stops the daemons in order
  exec timeout --foreground --signal=TERM --kill-after=30 "${CLUSTER_TEST_TIMEOUT:-1800}" "$0" "$@"
fi

JOB_TIMEOUT=${CLUSTER_TEST_JOB_TIMEOUT:-600}
TOYS=${CLUSTER_TEST_TOYS:-1000}
SENS=${CLUSTER_TEST_SENS:-500}
SEED=${CLUSTER_TEST_SEED:-20240611}
CTLD_PORT=${CLUSTER_TEST_CTLD_PORT:-16817}
SLURMD_PORT=${CLUSTER_TEST_SLURMD_PORT:-16818}
N=4

T_START=$(date +%s.%N)
ts()  { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
log() { printf '[cluster-test +%ss] %s\n' "$(ts "$T_START")" "$*"; }
PASS=0; FAIL=0; TIMES=""
ok()  { PASS=$((PASS+1)); log "ok   $*"; }
bad() { FAIL=$((FAIL+1)); log "FAIL $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
took() { TIMES="$TIMES, $1 $(ts "$2") s"; }

TMP=""; RUN=""; MUNGED_PID=""; CTLD_PID=""; SLURMD_PID=""; JOBS=""; DONE=0

stop_pid() {  # stop_pid NAME PID: TERM, wait <= 15 s, then KILL; only our own children
  local name=$1 pid=$2 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name ($pid) ignored TERM, sending KILL"; kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null
  return 0
}

cleanup() {
  local t; t=$(date +%s.%N)
  trap - INT TERM
  if [ -n "$JOBS" ] && [ -n "$CTLD_PID" ] && kill -0 "$CTLD_PID" 2>/dev/null; then
    timeout 5 scancel $JOBS 2>/dev/null   # so no slurmstepd outlives slurmd (slurm.md pitfall 13)
    for i in $(seq 1 50); do [ -z "$(timeout 2 squeue -h -j "${JOBS// /,}" 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  [ "$DONE" = 1 ] || bad "test did not finish (see the messages above)"
  if [ "$FAIL" != 0 ] && [ -n "$RUN" ] && [ -d "$RUN/log" ]; then
    for f in "$RUN"/log/*; do [ -s "$f" ] && { echo "----- $f (tail)"; tail -n 15 "$f"; }; done
  fi
  stop_pid slurmd "$SLURMD_PID"; stop_pid slurmctld "$CTLD_PID"; stop_pid munged "$MUNGED_PID"
  took teardown "$t"
  for d in "$TMP" "$RUN"; do
    [ -n "$d" ] && [ -d "$d" ] || continue
    if [ "${CLUSTER_TEST_KEEP:-0}" = 1 ]; then log "kept $d"; else rm -rf "$d"; fi
  done
  log "timings:${TIMES#,}; total $(ts "$T_START") s"
  echo "cluster-test: $PASS passed, $FAIL failed"
  [ "$FAIL" = 0 ] && exit 0 || exit 1
}
trap cleanup EXIT
trap 'log "interrupted (signal or timeout)"; exit 1' INT TERM
die() { bad "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, SlurmUser=root); make cluster-test uses sudo when needed"
[ -x "$NMM" ] || die "no nmm binary at $NMM"
NMM=$(cd "$(dirname "$NMM")" && pwd)/$(basename "$NMM")

# ------------------------------------------------------------------ 1. install (only what is missing)
t=$(date +%s.%N)
need=""
for pair in munged:munge slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need="$need ${pair#*:}"
done
if [ -n "$need" ]; then
  log "installing:$need"
  export DEBIAN_FRONTEND=noninteractive
  made_policy=0   # keep postinst scripts from starting system daemons (slurm.md pitfall 4)
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
  apt-get update -qq >/dev/null; rc=$?
  [ $rc = 0 ] && { apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null 2>&1; rc=$?; }
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc = 0 ] || die "apt-get update/install of munge slurmctld slurmd slurm-client failed ($rc)"
  took install "$t"
fi
log "using $(slurmd -V 2>/dev/null), nmm at $NMM"

# ------------------------------------------------------------------ 2. cluster folder, config, daemons
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nmm-cluster-test.XXXXXX") || die "mktemp"
chmod 755 "$TMP"
W="$TMP/work"                                      # nmm's files: may live under a path with blanks
SLURM_BASE=${TMPDIR:-/tmp}                         # slurm.conf cannot hold paths with blanks
case "$SLURM_BASE" in *[[:space:]]*) SLURM_BASE=/tmp;; esac
RUN=$(mktemp -d "$SLURM_BASE/nmm-cluster-slurm.XXXXXX") || die "mktemp"
mkdir -p "$RUN/munge" "$RUN/state" "$RUN/spool" "$RUN/log" "$W"
chmod 755 "$RUN" "$RUN/munge"                      # munged wants x-for-all on the socket's folders (pitfall 1)
dd if=/dev/urandom of="$RUN/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$RUN/munge/munge.key"                   # own key; /etc/munge is never touched (pitfall 2)
SOCK="$RUN/munge/munge.socket"
for p in "$CTLD_PORT" "$SLURMD_PORT"; do
  ss -Hltn "sport = :$p" 2>/dev/null | grep -q . && die "port $p in use (another cluster test? set CLUSTER_TEST_*_PORT)"
done
NODELINE=$(slurmd -C 2>/dev/null | head -n1)
NODE=$(sed -n 's/^NodeName=\([^ ]*\).*/\1/p' <<<"$NODELINE")
[ -n "$NODE" ] || die "slurmd -C gave no NodeName: '$NODELINE'"
export SLURM_CONF="$RUN/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=nmmtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$RUN/state
SlurmdSpoolDir=$RUN/spool
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$RUN/log/slurmctld.log
SlurmdLogFile=$RUN/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
$NODELINE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=nmmtest Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

t=$(date +%s.%N)
munged -F --socket="$SOCK" --key-file="$RUN/munge/munge.key" --log-file="$RUN/log/munged.log" \
       --pid-file="$RUN/munge/munged.pid" --seed-file="$RUN/munge/munged.seed" >"$RUN/log/munged.out" 2>&1 &
MUNGED_PID=$!
deadline=$(( $(date +%s) + JOB_TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  munge -n -S "$SOCK" 2>/dev/null | unmunge -S "$SOCK" >/dev/null 2>&1 && break
  kill -0 "$MUNGED_PID" 2>/dev/null || die "munged exited: $(tail -n3 "$RUN/log/munged.out")"
  sleep 0.1
done
munge -n -S "$SOCK" 2>/dev/null | unmunge -S "$SOCK" >/dev/null 2>&1 || die "munge round trip failed"
slurmctld -D -c -f "$SLURM_CONF" >"$RUN/log/slurmctld.out" 2>&1 &
CTLD_PID=$!
deadline=$(( $(date +%s) + JOB_TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  scontrol ping 2>/dev/null | grep -q 'is UP' && break
  kill -0 "$CTLD_PID" 2>/dev/null || die "slurmctld exited"
  sleep 0.2
done
slurmd -D -f "$SLURM_CONF" >"$RUN/log/slurmd.out" 2>&1 &
SLURMD_PID=$!
state=""
deadline=$(( $(date +%s) + JOB_TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null)
  [ "$state" = idle ] && break
  kill -0 "$SLURMD_PID" 2>/dev/null || die "slurmd exited"
  sleep 0.2
done
[ "$state" = idle ] || die "node $NODE not idle (state '$state')"
took "daemons up" "$t"
ok "one-node Slurm cluster up: node $NODE idle (munged $MUNGED_PID, slurmctld $CTLD_PID, slurmd $SLURMD_PID)"

# ------------------------------------------------------------------ 3. fit stage + single-process reference
CFG="$REPO/config/default.yaml"
B="$W/build"; OUT="$B/default"
SETTINGS=(--seed "$SEED" --toys "$TOYS")
cd "$W" || die "cd $W"
t=$(date +%s.%N)
"$NMM" analyze --config "$CFG" --build-dir "$B" --to fit -q || die "nmm analyze --to fit"
took "fit stage" "$t"
t=$(date +%s.%N)
check "single-process toy limit ($TOYS toys per κ point, seed $SEED)" \
  "$NMM" limit --config "$CFG" --build-dir "$B" --method toys "${SETTINGS[@]}" --sensitivity-toys "$SENS" -q
took "single-process limit" "$t"
"$NMM" inspect --stable "$OUT/limit.fits" > "$W/single.txt" || die "nmm inspect of the single-process limit.fits"
mv "$OUT/limit.json" "$W/single.json" && rm -f "$OUT/limit.fits"

# ------------------------------------------------------------------ helpers for jobs
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }            # field NAME < one `scontrol show job -o` line
task_states() {  # "1=COMPLETED 2=FAILED ..." of array job $1 (one line per task, pitfall 11)
  scontrol show job "$1" -o 2>/dev/null | while read -r l; do
    printf '%s=%s ' "$(field ArrayTaskId <<<"$l")" "$(field JobState <<<"$l")"; done | sed 's/ $//'
}
wait_merge() {  # wait_merge ID: until the merge job ends or can never start (pitfall 10); sets MERGE_STATE
  # (runs in this shell, not in $(...), so a TERM from the timeout is handled within 0.25 s)
  local deadline=$(( $(date +%s) + JOB_TIMEOUT )) info st="" rs=""
  MERGE_STATE=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    info=$(scontrol show job "$1" -o 2>/dev/null); st=$(field JobState <<<"$info"); rs=$(field Reason <<<"$info")
    case "$st" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|DEADLINE|BOOT_FAIL) MERGE_STATE="$st/$rs"; return;; esac
    [ "$rs" = DependencyNeverSatisfied ] && { MERGE_STATE="$st/$rs"; return; }
    sleep 0.25
  done
  MERGE_STATE="still-$st-after-${JOB_TIMEOUT}s/$rs"
}
wait_array_done() {  # wait_array_done ID: until no task is PENDING/RUNNING (bounded)
  local deadline=$(( $(date +%s) + JOB_TIMEOUT ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    task_states "$1" | grep -qE '=(PENDING|RUNNING|CONFIGURING|COMPLETING)' || return 0
    sleep 0.25
  done
  return 1
}
submit() {  # submit BUILD [extra args]: runs nmm submit, sets A and M
  local out
  out=$("$NMM" submit --scheduler slurm --config "$CFG" --build-dir "$1" --shards $N --partition nmmtest --time 60 \
          "${SETTINGS[@]}" --sensitivity-toys "$SENS" "${@:2}") || return 1
  echo "$out"
  A=$(awk '$1=="array"{print $2}' <<<"$out"); M=$(awk '$1=="merge"{print $2}' <<<"$out")
  [ -n "$A" ] && [ -n "$M" ] && JOBS="$JOBS $A $M"
}

# ------------------------------------------------------------------ 4. sharded run on Slurm
t=$(date +%s.%N)
A=""; M=""
check "nmm submit --scheduler slurm --shards $N printed the array and merge job ids" submit "$B"
[ -n "$A" ] && [ -n "$M" ] || die "no job ids from nmm submit"
check "array.sh and merge.sh written (sbatch --array=1-$N, afterok merge)" \
  eval 'grep -q -- "--shard \"\${SLURM_ARRAY_TASK_ID}/$N\"" "$OUT/slurm/array.sh" && grep -q -- "merge .*--shards $N" "$OUT/slurm/merge.sh"'
wait_merge "$M"; merge_state=$MERGE_STATE
took "array+merge on Slurm" "$t"
check "merge job $M COMPLETED (got $merge_state)" test "${merge_state%%/*}" = COMPLETED
states=$(task_states "$A")
check "array job $A: all $N tasks COMPLETED ($states)" test "$(grep -o COMPLETED <<<"$states" | wc -l)" = $N
n_shards=0
for i in $(seq 1 $N); do
  "$NMM" inspect "$OUT/limit.shard-$i-of-$N.fits" 2>/dev/null | grep -q "NMMTYPE = 'LIMITSHARD'" && n_shards=$((n_shards+1))
done
check "one typed partial file per shard ($n_shards of $N with NMMTYPE LIMITSHARD)" test $n_shards = $N
if "$NMM" inspect --stable "$OUT/limit.fits" > "$W/merged.txt" 2>"$W/merged.err"; then
  check "merged limit.fits = single-process limit.fits (every card and cell; DATE, CHECKSUM, DATASUM aside)" \
    diff -u "$W/single.txt" "$W/merged.txt"
else
  bad "merged limit.fits missing or unreadable: $(cat "$W/merged.err")"
fi
check "merged limit.json = single-process limit.json (byte for byte)" cmp "$W/single.json" "$OUT/limit.json"
grep -E '^  (MULIMIT|KAPUP|SEED) ' "$W/merged.txt" | sed 's/^/    /'
JOBS=""

# ------------------------------------------------------------------ 5. a shard fails
t=$(date +%s.%N)
B2="$W/build-fail"; OUT2="$B2/default"
mkdir -p "$OUT2" && cp -p "$OUT"/{spectra,residual,templates,model,fit}.fits "$OUT2"/ || die "copy of the fit-stage files"
WRAP="$W/nmm-fail-shard-2"
cat > "$WRAP" <<EOF
#!/bin/bash
# cluster test: shard 2/$N "crashes"; every other call runs the real nmm
for a in "\$@"; do [ "\$a" = 2/$N ] && { echo "cluster-test: forced failure of shard 2/$N" >&2; exit 3; }; done
exec "$NMM" "\$@"
EOF
chmod 755 "$WRAP"
A=""; M=""
check "nmm submit (shard 2 forced to fail) printed the job ids" submit "$B2" --nmm "$WRAP"
[ -n "$A" ] && [ -n "$M" ] || die "no job ids from nmm submit"
wait_merge "$M"; merge_state=$MERGE_STATE
wait_array_done "$A" || bad "array job $A still running after ${JOB_TIMEOUT}s"
took "failing run detected" "$t"
states=$(task_states "$A")
check "array job $A: task 2 FAILED, the others COMPLETED ($states)" \
  test "$(tr ' ' '\n' <<<"$states" | sort | tr '\n' ' ')" = "1=COMPLETED 2=FAILED 3=COMPLETED 4=COMPLETED "
check "merge job $M never ran (got $merge_state)" \
  grep -qE '^(PENDING/DependencyNeverSatisfied|CANCELLED/DependencyNeverSatisfied)$' <<<"$merge_state"
check "no limit.fits written for the failed set" test ! -e "$OUT2/limit.fits"
log2="$OUT2/slurm/shard-2-of-$N-$A.out"
check "shard 2's log $(basename "$log2") holds the failure" grep -q "forced failure of shard 2/$N" "$log2"
"$NMM" merge --config "$CFG" --build-dir "$B2" --shards $N "${SETTINGS[@]}" --sensitivity-toys "$SENS" -q \
  >/dev/null 2>"$W/merge-fail.err"; rc=$?
log "nmm merge by hand: exit $rc: $(cat "$W/merge-fail.err")"
check "nmm merge refuses the set (exit 65) naming shard 2/$N as missing" \
  eval "[ $rc = 65 ] && grep -q 'shard(s) 2/$N missing' '$W/merge-fail.err'"
check "still no limit.fits after the refused merge" test ! -e "$OUT2/limit.fits"
DONE=1
exit 0
