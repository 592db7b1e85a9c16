#!/bin/sh
# Run every tests/cli/t-*.sh in one shell with lib.sh loaded; prints TAP.
: "${HX:?HX must name the helm-x binary}"
VALGRIND=${VALGRIND:-}
. tests/cli/lib.sh
for t in tests/cli/t-*.sh; do
	echo "# $t"
	# shellcheck source=/dev/null
	. "$t"
done
check_tmp_leaks
echo "1..$n"
