#!/usr/bin/env bash
# fuzz-long.sh: the long run of every fuzz target in the module (issue 11, hostile input). Finds
# each `func FuzzX(f *testing.F)` in a _test.go file and runs it alone for the given time, one
# after the other; a crasher is written by go test under the package's testdata/fuzz/FuzzX/ (add
# it to the tree: it then runs as a seed with every `go test`).
#
#   scripts/fuzz-long.sh             every target 10 minutes
#   scripts/fuzz-long.sh 30m         every target 30 minutes
#   scripts/fuzz-long.sh 1h Osm      only the targets whose name contains "Osm"
#
# Runs them all even when one fails; prints one line per target and exits 1 if any failed. A
# duration that runs out while the fuzzer minimises a new input fails with "context deadline
# exceeded": read the output before calling that a crasher.
set -uo pipefail

duration=${1:-10m}
only=${2:-}
cd "$(dirname "$0")/.."

failed=0
while IFS=: read -r file name; do
	[[ -n $only && $name != *"$only"* ]] && continue
	pkg=./$(dirname "$file")
	echo "fuzz-long: $name in $pkg for $duration" >&2
	start=$(date +%s)
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" "$pkg"; then
		result=ok
	else
		result=FAILED
		failed=1
	fi
	echo "fuzz-long: $name $pkg $result after $(($(date +%s) - start))s"
done < <(grep -rHo --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git '^func Fuzz[A-Za-z0-9_]*' . |
	sed -e 's|^\./||' -e 's|:func |:|' | sort)

exit $failed
