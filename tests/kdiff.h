/*
 * What the two differentials against real kubectl (smpdiff, jpdiff) share:
 * a seeded generator, running a program with its stdout in a file, writing
 * a file, loading the first document of a file.  Header-only, as tap.h.
 */
#ifndef HX_TESTS_KDIFF_H
#define HX_TESTS_KDIFF_H

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/yamldoc.h"

static unsigned long long kd_rng;

static __attribute__((unused)) unsigned rnd(unsigned n)
{
	kd_rng ^= kd_rng >> 12;
	kd_rng ^= kd_rng << 25;
	kd_rng ^= kd_rng >> 27;
	return (unsigned)((kd_rng * 2685821657736338717ULL) >> 33) % n;
}

static __attribute__((unused)) int chance(unsigned pct)
{
	return rnd(100) < pct;
}

/* Run argv with stdout in out_path and stderr dropped; its exit status. */
static int kd_run(char **argv, const char *out_path)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open("/dev/null", O_WRONLY);

		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 128;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void kd_spew(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

/* The first document of path, loaded into st; NULL when it does not load. */
static struct hx_node *kd_load(struct hx_stream *st, const char *path)
{
	if (hx_stream_read(st, path) < 0 || hx_stream_load_all(st) < 0) {
		hx_error_clear();
		return NULL;
	}
	return st->n ? st->docs[0].root : NULL;
}

#endif
