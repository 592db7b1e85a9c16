#include "hx/tmpdir.h"

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

static char *dir; /* owned */
static pid_t owner;
static int keep_dir;
static volatile sig_atomic_t got_signal;

static int rm_one(const char *path, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void hx_tmpdir_remove(void)
{
	if (!dir || getpid() != owner)
		return;
	if (keep_dir)
		fprintf(stderr, "helm-x: kept the temporary chart in %s\n",
		        dir);
	else
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	free(dir);
	dir = NULL;
}

/* The grace period, in seconds, of a child after helm-x got a signal. */
static unsigned grace = 30;

static void on_alarm(int sig)
{
	(void)sig;
	if (got_signal)
		hx_proc_signal_running(SIGKILL);
}

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (got_signal && sig != SIGPIPE) {
		/* a second signal: the children (Helm 3 ignores SIGTERM in a
		 * server dry run) are killed */
		hx_proc_signal_running(SIGKILL);
		return;
	}
	got_signal = sig;
	/* the child has the grace period to end of the signal */
	if (sig != SIGPIPE)
		alarm(grace);
	/* a terminal ^C already reached the whole process group; a
	 * SIGPIPE is our write's to a reader gone (`| head`), not helm's */
	if (si && si->si_code == SI_USER && sig != SIGPIPE)
		hx_proc_signal_running(sig);
}

int hx_interrupted(void)
{
	return got_signal;
}

void hx_tmpdir_reraise(void)
{
	int sig = got_signal;

	if (!sig)
		return;
	hx_tmpdir_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

const char *hx_tmpdir_create(int keep)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *base = getenv("TMPDIR");
	static int registered;

	if (dir)
		return dir;
	hx_strbuf_addf(&sb, "%s/helm-x.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(sb.buf)) {
		hx_error_set_errno(
		        "cannot create a temporary directory in '%s'",
		        base && *base ? base : "/tmp");
		hx_strbuf_release(&sb);
		return NULL;
	}
	dir = hx_strbuf_detach(&sb, NULL);
	owner = getpid();
	keep_dir = keep;
	if (!registered) {
		atexit(hx_tmpdir_remove);
		registered = 1;
	}
	hx_signals_init();
	return dir;
}

void hx_signals_init(void)
{
	static int done;
	struct sigaction sa;

	if (done)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* `helm x diff ... | head`: the write fails, the command ends as
	 * for any signal, the temp dir goes, helm-x dies of SIGPIPE */
	sigaction(SIGPIPE, &sa, NULL);
	{
		const char *g = getenv("HELM_X_KILL_GRACE");
		char *end;
		unsigned long v = g && *g ? strtoul(g, &end, 10) : 0;

		if (g && *g && !*end && v > 0 && v < 86400)
			grace = (unsigned)v;
	}
	signal(SIGALRM, on_alarm);
	done = 1;
}
