/* mmap() and MAP_ANONYMOUS are not in X/Open */
#define _DEFAULT_SOURCE

#include "hx/mapfile.h"

#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/util.h"

#include "hx/banned.h"

/* The mappings the SIGBUS handler knows; more files are read instead. */
#define MAX_MAPS 16

static struct {
	char *volatile p;
	volatile size_t len;
	char name[256];
} maps[MAX_MAPS];
static volatile sig_atomic_t changed = -1;
static size_t page_size = 4096; /* set before the handler is */

static size_t page(void)
{
	return page_size;
}

/*
 * A page of a mapped file that is no longer there: zeros from it to the
 * mapping's end, and the file noted as changed.  Another SIGBUS is not
 * ours: the default action.
 */
static void on_bus(int sig, siginfo_t *si, void *ctx)
{
	char *a = si ? (char *)si->si_addr : NULL;
	int i;

	(void)ctx;
	for (i = 0; a && i < MAX_MAPS; i++) {
		char *p = maps[i].p;
		size_t pg = page();

		if (p && a >= p && a < p + maps[i].len) {
			char *from =
			        (char *)((uintptr_t)a & ~(uintptr_t)(pg - 1));
			size_t n = (size_t)(p + maps[i].len - from);

			n = (n + pg - 1) & ~(pg - 1);
			if (mmap(from, n, PROT_READ | PROT_WRITE,
			         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			         0) != MAP_FAILED) {
				if (changed < 0)
					changed = i;
				return;
			}
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

int hx_mapfile_map(char **buf, size_t *len, const char *path)
{
	static int handler;
	struct stat sb;
	long pg = sysconf(_SC_PAGESIZE);
	void *m;
	int fd, i;

	if (!handler && pg > 0)
		page_size = (size_t)pg; /* the handler reads it: set it first */
	for (i = 0; i < MAX_MAPS && maps[i].p; i++)
		;
	if (i == MAX_MAPS || !strcmp(path, "-"))
		return 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size < HX_MAP_MIN ||
	    (size_t)sb.st_size > hx_read_max() ||
	    (size_t)sb.st_size % page() == 0) {
		close(fd);
		return 0;
	}
	if (!handler) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_bus;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, NULL) < 0) {
			close(fd);
			return 0;
		}
		handler = 1;
	}
	m = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
	         fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 0;
	snprintf(maps[i].name, sizeof(maps[i].name), "%s", path);
	maps[i].len = (size_t)sb.st_size;
	maps[i].p = m;
	*buf = m;
	*len = (size_t)sb.st_size;
	return 1;
}

int hx_mapfile_owns(const char *buf)
{
	int i;

	for (i = 0; buf && i < MAX_MAPS; i++)
		if (maps[i].p == buf)
			return 1;
	return 0;
}

void hx_mapfile_release(char *buf, size_t len)
{
	int i;

	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].p == buf) {
			/* a change seen stays reported */
			maps[i].p = NULL;
			munmap(buf, len);
			return;
		}
}

void hx_mapfile_probe(void)
{
	size_t pg = page(), off;
	int i;

	for (i = 0; i < MAX_MAPS; i++) {
		const volatile char *p = maps[i].p;

		for (off = 0; p && off < maps[i].len; off += pg)
			(void)p[off];
	}
}

const char *hx_mapfile_changed(void)
{
	return changed >= 0 ? maps[changed].name : NULL;
}
