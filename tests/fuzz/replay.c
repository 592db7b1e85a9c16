/*
 * Run a fuzz target without libFuzzer: each file named (directories give
 * their files, sorted) is one input.  Prints TAP; a finding aborts, which
 * the runner counts as a failure.  make check replays the seed corpus and
 * every finding kept in testdata/fuzz/ this way, under the sanitizers.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

static int n;

static void run_file(const char *path)
{
	char *buf;
	size_t len;

	if (hx_read_file(&buf, &len, path) < 0) {
		printf("not ok %d - %s: cannot read\n", ++n, path);
		return;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, path);
	fflush(stdout);
}

static void run(const char *path)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	size_t i;

	if (hx_is_dir(path) != 1) {
		run_file(path);
		return;
	}
	if (hx_list_dir(&names, path, 1) < 0)
		return;
	for (i = 0; i < names.n; i++) {
		char *p = hx_path_join(path, names.v[i]);

		run(p);
		free(p);
	}
	hx_strvec_clear(&names);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		run(argv[i]);
	printf("1..%d\n", n);
	return 0;
}
