#!/usr/bin/env bash
# Runs GoogleTest binaries in parallel shards and sums them up in one line.
#
#   scripts/run-tests.sh [-j JOBS] [-f FILTER] [-o LOGDIR] [-v] NAME=BINARY...
#   e.g. scripts/run-tests.sh -j 2 -o build/test-logs \
#            unit=build/unit_tests integration=build/integration_tests
#
# Each binary runs as JOBS processes at once (GoogleTest's sharding protocol:
# GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX), every binary at the same time, each
# process's output in its own file LOGDIR/NAME-K.log (K from 1). Nothing of a
# running test reaches the terminal: one line is printed as each shard ends
# (-v: its whole log, never mixed with another's); at the end, each failed
# test's name and output, then
#
#   unit: 553 passed, 0 failed; integration: 455 passed, 0 failed
#   1008 passed, 0 failed
#
# (", K skipped" after a binary's counts when GTEST_SKIP skipped some). A
# shard that crashes fails the test it was running; one that exits non-zero
# after its tests (a leak report at exit) fails as "NAME shard K". Exit
# status: 0 when every test passed, 1 when one failed or when the filter
# selects no test in any binary, 2 on a usage error.
#
# -f FILTER is --gtest_filter (patterns separated by ':', '-' before the
# excluded ones); default: every test. JOBS defaults to the number of cores.
set -uo pipefail

usage() {
    sed -n '3,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

jobs=$(nproc 2>/dev/null || echo 2)
filter=""
logdir=build/test-logs
verbose=0
while getopts 'j:f:o:v' option; do
    case $option in
        j) jobs=$OPTARG ;;
        f) filter=$OPTARG ;;
        o) logdir=$OPTARG ;;
        v) verbose=1 ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
    echo "run-tests: JOBS must be a positive number, not '$jobs'" >&2
    exit 2
fi

names=()
binaries=()
for pair in "$@"; do
    name=${pair%%=*}
    binary=${pair#*=}
    if [ "$name" = "$pair" ] || [ ! -x "$binary" ]; then
        echo "run-tests: '$pair' is not NAME=EXECUTABLE" >&2
        exit 2
    fi
    names+=("$name")
    binaries+=("$binary")
done

mkdir -p "$logdir"
args=(--gtest_color=no)
[ -z "$filter" ] || args+=("--gtest_filter=$filter")

# shards: "NAME K" for each process, in start order.
shards=()
start=$(date +%s.%N)
for i in "${!names[@]}"; do
    name=${names[$i]}
    rm -f "$logdir/$name"-*.log "$logdir/$name"-*.status
    for ((k = 1; k <= jobs; k++)); do
        log="$logdir/$name-$k.log"
        (
            GTEST_TOTAL_SHARDS=$jobs GTEST_SHARD_INDEX=$((k - 1)) \
                "${binaries[$i]}" "${args[@]}" >"$log" 2>&1 </dev/null
            echo $? >"$logdir/$name-$k.status.tmp"
            mv "$logdir/$name-$k.status.tmp" "$logdir/$name-$k.status"
        ) 2>>"$log" &
        shards+=("$name $k")
    done
done

# tally LOG: "passed failed skipped" on the first line, then one line per
# failed test: "NAME<TAB>FIRST<TAB>LAST", its lines in LOG (LAST is the end
# of the log when the process died inside the test).
tally() {
    awk '
        function close_test() { current = "" }
        /^\[ RUN      \] / { current = substr($0, 14); first = NR; next }
        current != "" && /^\[       OK \] / { passed++; close_test(); next }
        current != "" && /^\[  SKIPPED \] / { skipped++; close_test(); next }
        current != "" && index($0, "[  FAILED  ] " current) == 1 {
            failed++; list = list current "\t" first "\t" NR "\n"; close_test(); next
        }
        END {
            if (current != "") { failed++; list = list current " (crashed: " crash ")\t" first "\t" NR "\n" }
            printf "%d %d %d\n%s", passed, failed, skipped, list
        }' crash="$2" "$1"
}

elapsed() {
    awk -v from="$1" -v to="$(date +%s.%N)" 'BEGIN { printf "%.1f s", to - from }'
}

declare -A passed failed skipped
for name in "${names[@]}"; do
    passed[$name]=0 failed[$name]=0 skipped[$name]=0
done
failures=()     # "NAME<TAB>K<TAB>TEST<TAB>FIRST<TAB>LAST", FIRST 0: no test
reported=()
pending=${#shards[@]}
while [ "$pending" -gt 0 ]; do
    wait -n 2>/dev/null
    if [ $? -eq 127 ]; then
        # No process left: a shard that wrote no status was killed.
        for j in "${!shards[@]}"; do
            read -r name k <<<"${shards[$j]}"
            [ -e "$logdir/$name-$k.status" ] || echo 1 >"$logdir/$name-$k.status"
        done
    fi
    for j in "${!shards[@]}"; do
        [ -z "${reported[$j]:-}" ] || continue
        read -r name k <<<"${shards[$j]}"
        log="$logdir/$name-$k.log"
        [ -e "$logdir/$name-$k.status" ] || continue
        reported[$j]=1
        pending=$((pending - 1))
        status=$(cat "$logdir/$name-$k.status")
        {
            read -r p f s
            while IFS=$'\t' read -r test first last; do
                failures+=("$name"$'\t'"$k"$'\t'"$test"$'\t'"$first"$'\t'"$last")
            done
        } < <(tally "$log" "exit status $status, the shard's later tests did not run")
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1
            failures+=("$name"$'\t'"$k"$'\t'"shard $k/$jobs (exit status $status after its tests)"$'\t'"0"$'\t'"0")
        fi
        passed[$name]=$((passed[$name] + p))
        failed[$name]=$((failed[$name] + f))
        skipped[$name]=$((skipped[$name] + s))
        [ $verbose -eq 0 ] || cat "$log"
        line="$name $k/$jobs: $p passed, $f failed"
        [ "$s" -eq 0 ] || line+=", $s skipped"
        echo "$line in $(elapsed "$start") ($log)"
    done
done

if [ ${#failures[@]} -gt 0 ]; then
    echo
    echo "==================== failed tests, with their output ===================="
    for entry in "${failures[@]}"; do
        IFS=$'\t' read -r name k test first last <<<"$entry"
        log="$logdir/$name-$k.log"
        echo
        echo "---- $name: $test ($log)"
        if [ "$first" -eq 0 ]; then
            tail -n 40 "$log"
        else
            sed -n "${first},${last}p" "$log"
        fi
    done
    echo
    echo "failed:"
    for entry in "${failures[@]}"; do
        IFS=$'\t' read -r name k test _ <<<"$entry"
        echo "  $name: $test"
    done
    echo
fi

summary=""
total_passed=0
total_failed=0
total_run=0
for name in "${names[@]}"; do
    part="$name: ${passed[$name]} passed, ${failed[$name]} failed"
    [ "${skipped[$name]}" -eq 0 ] || part+=", ${skipped[$name]} skipped"
    summary+="${summary:+; }$part"
    total_passed=$((total_passed + passed[$name]))
    total_failed=$((total_failed + failed[$name]))
    total_run=$((total_run + passed[$name] + failed[$name] + skipped[$name]))
done
echo "$summary"
echo "$total_passed passed, $total_failed failed"
if [ "$total_run" -eq 0 ]; then
    echo "run-tests: no test matches the filter '${filter}' in ${names[*]}" \
        "(a file's tests: FILTER='FileNameTest*'; one test: FILTER=Suite.Name)" >&2
    exit 1
fi
[ "$total_failed" -eq 0 ]
