#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (munged, slurmctld, slurmd), for the Slurm test of
# `pmcm experiment --emit slurm`. Needs root and Debian's slurm-wlm and munge packages. Does nothing when the
# controller already answers. Writes /etc/slurm/slurm.conf only if it is absent or was written by this script;
# state and logs go to $PMCM_SLURM_STATE (default /var/tmp/pmcm-slurm).
set -euo pipefail

marker="# written by pmcm tests/slurm/start-slurm.sh"
conf=/etc/slurm/slurm.conf
state=${PMCM_SLURM_STATE:-/var/tmp/pmcm-slurm}

ready() { [ "$(sinfo -h -o %T 2>/dev/null | head -n 1)" = idle ] || [ "$(sinfo -h -o %T 2>/dev/null | head -n 1)" = mixed ] || [ "$(sinfo -h -o %T 2>/dev/null | head -n 1)" = allocated ]; }

if scontrol ping >/dev/null 2>&1 && ready; then exit 0; fi
for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null || { echo "start-slurm.sh: $tool not found; install Debian's slurm-wlm and munge" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "start-slurm.sh: must run as root (it starts munged, slurmctld and slurmd)" >&2; exit 1; }
if [ -e "$conf" ] && ! grep -qxF "$marker" "$conf"; then
  echo "start-slurm.sh: $conf exists and was not written by this script; not touching it" >&2; exit 1
fi

host=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/^MemTotal/ { print int($2 / 1024) - 512 }' /proc/meminfo)
mkdir -p "$state/ctld" "$state/d" "$state/log"

cat > "$conf.tmp" <<CONF
$marker
ClusterName=pmcm
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=600
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mv "$conf.tmp" "$conf"

if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
  runuser -u munge -- /usr/sbin/munged
fi
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd

for _ in $(seq 60); do
  if ready; then echo "slurm: node $host idle ($cpus CPUs)"; exit 0; fi
  state_now=$(sinfo -h -o %T 2>/dev/null | head -n 1 || true)
  case "$state_now" in down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;; esac
  sleep 1
done
echo "start-slurm.sh: the node did not become idle in 60 s (sinfo: $(sinfo -h 2>&1 | head -n 1)); see $state/log" >&2
exit 1
