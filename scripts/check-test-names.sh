#!/usr/bin/env bash
# Checks that every test is named after its file, so that a filter on the
# file's name selects exactly that file's tests:
#
#   the suite of each TEST, TEST_F, TEST_P (and the prefix of each
#   INSTANTIATE_TEST_SUITE_P) in tests/unit/FooTest.cpp is FooTest, or FooTest
#   followed by a CamelCase variant: FooTestTable, FooTestRegression.
#
# So `--gtest_filter='FooTest*'` runs the whole file, `'FooTest.*'` its main
# suite. No underscore in a suite name (GoogleTest reserves it), and no suite
# may start with the base name of another file of the same directory
# (FooTestBar.cpp next to FooTest.cpp would make 'FooTest*' select both).
#
#   scripts/check-test-names.sh [DIR...]    # default tests/unit tests/integration
#
# Prints each offending line as FILE:LINE: and exits 1; silent when all is
# well.
set -euo pipefail
cd "$(dirname "$0")/.."

dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(tests/unit tests/integration)

macros='TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P|INSTANTIATE_TEST_SUITE_P|INSTANTIATE_TYPED_TEST_SUITE_P'
bad=0
for dir in "${dirs[@]}"; do
    bases=()
    for file in "$dir"/*.cpp; do
        [ -e "$file" ] && bases+=("$(basename "$file" .cpp)")
    done
    for file in "$dir"/*.cpp; do
        [ -e "$file" ] || continue
        base=$(basename "$file" .cpp)
        longer=()       # the other files' names that start with this one's
        for other in "${bases[@]}"; do
            [ ${#other} -le ${#base} ] || [[ "$other" != "$base"* ]] || longer+=("$other")
        done
        # "LINE:TEXT" for each test macro that starts a line; a macro whose
        # suite is on the next line is reported as such.
        while IFS= read -r hit; do
            line=${hit%%:*}
            [[ "${hit#*:}" =~ ^[[:space:]]*($macros)\([[:space:]]*([A-Za-z0-9_]*) ]]
            name=${BASH_REMATCH[2]}
            why=""
            if [ -z "$name" ]; then
                why="put the suite name on the line of the macro"
            elif [[ "$name" == *_* ]]; then
                why="suite $name: no underscore in a suite name"
            elif [ "$name" != "$base" ] && ! [[ "$name" =~ ^$base[A-Z] ]]; then
                why="suite $name: must be $base or $base followed by a CamelCase variant"
            else
                for other in "${longer[@]}"; do
                    [[ "$name" != "$other"* ]] || why="suite $name starts with $other, the name of another file"
                done
            fi
            if [ -n "$why" ]; then
                echo "$file:$line: $why" >&2
                bad=1
            fi
        done < <(grep -nE "^[[:space:]]*($macros)\(" "$file" || true)
    done
done
if [ $bad -ne 0 ]; then
    echo "check-test-names: a suite is not named after its file (see scripts/check-test-names.sh)" >&2
    exit 1
fi
