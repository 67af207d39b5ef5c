#!/usr/bin/env bash
# Fuzzes every reader (or the ones named) for SECONDS each, one process at a time, and prints one JSON line per
# target; inputs that crash, hang, print unprintable errors or allocate beyond the bound land in FINDINGS.
#   tests/Fuzz/run-campaign.sh SECONDS [TARGET...]      (env: FINDINGS=dir, SEED=n, NICE=19)
set -euo pipefail
seconds=${1:?usage: run-campaign.sh SECONDS [TARGET...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
findings=${FINDINGS:-$root/fuzz-findings}
targets=("$@")
dotnet build "$root/tests/Fuzz/Pmcm.Fuzz.csproj" -c Release -v q -nologo >&2
dll="$root/tests/Fuzz/bin/Release/net10.0/Pmcm.Fuzz.dll"
if [ ${#targets[@]} -eq 0 ]; then
  targets=(nifti nifti-gz nrrd nrrd-detached hdf5 pth checkpoint checkpoint-content)
fi
status=0
for target in "${targets[@]}"; do
  # Exit 1: findings, 2: a hang (input saved), anything else: the process died (e.g. a native crash).
  nice -n "${NICE:-19}" dotnet "$dll" "$target" --seconds "$seconds" --seed "${SEED:-1}" --findings "$findings" || {
    code=$?
    echo "{\"Target\":\"$target\",\"ExitCode\":$code}"
    status=1
  }
done
exit $status
