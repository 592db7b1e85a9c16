#include "hx/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#include "hx/err.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

extern char **environ;

/*
 * The children running now (helm-x runs several helms at once: diff's
 * release and render, flux's renders), for the signal handlers: slots
 * taken and freed with atomic operations, read from a handler.
 */
#define MAX_RUNNING 64
static _Atomic int running[MAX_RUNNING];

static void running_add(pid_t pid)
{
	size_t i;

	for (i = 0; i < MAX_RUNNING; i++) {
		int free_slot = 0;

		if (atomic_compare_exchange_strong(&running[i], &free_slot,
		                                   (int)pid))
			return;
	}
}

static void running_remove(pid_t pid)
{
	size_t i;

	for (i = 0; i < MAX_RUNNING; i++) {
		int mine = (int)pid;

		if (atomic_compare_exchange_strong(&running[i], &mine, 0))
			return;
	}
}

int hx_proc_signal_running(int sig)
{
	size_t i;
	int n = 0;

	for (i = 0; i < MAX_RUNNING; i++) {
		int pid = atomic_load(&running[i]);

		if (pid > 0) {
			kill((pid_t)pid, sig);
			n++;
		}
	}
	return n;
}

/*
 * The program's path: as given when it has a '/', else the first
 * executable in PATH (resolved before spawning, so a missing program is
 * an error here, not a child's exit 127).  new, or NULL with errno set.
 */
static char *resolve(const char *prog)
{
	const char *path = getenv("PATH"), *p, *e;
	struct hx_strbuf sb = HX_STRBUF_INIT;

	if (strchr(prog, '/')) {
		if (access(prog, X_OK) < 0)
			return NULL;
		hx_strbuf_adds(&sb, prog);
		return hx_strbuf_detach(&sb, NULL);
	}
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = e) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		hx_strbuf_reset(&sb);
		if (e == p)
			hx_strbuf_adds(&sb, ".");
		else
			hx_strbuf_add(&sb, p, (size_t)(e - p));
		hx_strbuf_addf(&sb, "/%s", prog);
		if (access(sb.buf, X_OK) == 0)
			return hx_strbuf_detach(&sb, NULL);
		if (*e == ':')
			e++;
	}
	hx_strbuf_release(&sb);
	errno = ENOENT;
	return NULL;
}

static int trace;

void hx_proc_trace(int on)
{
	trace = on;
}

/* Flags whose value is a credential, masked whole in --debug. */
static const char *const secret_flags[] = {"--password", "--kube-token",
                                           "--token", NULL};
/* Flags whose value is KEY=VALUE[,KEY=VALUE]: a secret-looking KEY's
 * VALUE is masked. */
static const char *const set_flags[] = {"--set",      "--set-string",
                                        "--set-json", "--set-literal",
                                        "--set-file", NULL};

static int in_list(const char *const *list, const char *w, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(*list, w, n))
			return 1;
	return 0;
}

/* Does key (of --set) name a secret: its last part holds password,
 * passwd, secret, token, credential or key, in any case? */
static int secret_key(const char *k, size_t n)
{
	static const char *const words[] = {"pass", "secret", "token", "cred",
	                                    "key",  "auth",   NULL};
	const char *dot = k;
	size_t i, j;

	for (i = 0; i < n; i++)
		if (k[i] == '.')
			dot = k + i + 1;
	n -= (size_t)(dot - k);
	for (i = 0; words[i]; i++) {
		size_t wl = strlen(words[i]);

		for (j = 0; j + wl <= n; j++)
			if (!strncasecmp(dot + j, words[i], wl))
				return 1;
	}
	return 0;
}

/* w with the user info of any URL in it ("https://u:p@host") masked. */
static void add_masked_urls(struct hx_strbuf *sb, const char *w)
{
	const char *p;

	while ((p = strstr(w, "://")) != NULL) {
		const char *host = p + 3;
		size_t end = strcspn(host, "/?#");
		const char *at = memchr(host, '@', end);

		hx_strbuf_add(sb, w, (size_t)(host - w));
		if (at) {
			hx_strbuf_adds(sb, "***");
			host = at;
		}
		w = host;
	}
	hx_strbuf_adds(sb, w);
}

/* The value of a --set flag with secret-looking keys' values masked. */
static void add_masked_sets(struct hx_strbuf *sb, const char *v)
{
	while (*v) {
		const char *p = v, *eq = NULL;

		for (; *p && *p != ','; p++) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '=' && !eq)
				eq = p;
		}
		if (eq && secret_key(v, (size_t)(eq - v))) {
			hx_strbuf_add(sb, v, (size_t)(eq - v) + 1);
			hx_strbuf_adds(sb, "***");
		} else {
			hx_strbuf_add(sb, v, (size_t)(p - v));
		}
		if (!*p)
			break;
		hx_strbuf_addch(sb, ',');
		v = p + 1;
	}
}

/* One word as --debug shows it: credentials masked. */
static void masked(struct hx_strbuf *sb, const char *w, const char *prev)
{
	const char *eq = strchr(w, '=');
	size_t n = eq ? (size_t)(eq - w) : strlen(w);

	if (prev && in_list(secret_flags, prev, strlen(prev))) {
		hx_strbuf_adds(sb, "***");
	} else if (eq && in_list(secret_flags, w, n)) {
		hx_strbuf_add(sb, w, n + 1);
		hx_strbuf_adds(sb, "***");
	} else if (prev && in_list(set_flags, prev, strlen(prev))) {
		add_masked_sets(sb, w);
	} else if (eq && w[0] == '-' && in_list(set_flags, w, n)) {
		hx_strbuf_add(sb, w, n + 1);
		add_masked_sets(sb, eq + 1);
	} else {
		add_masked_urls(sb, w);
	}
}

/* --debug: the argv on stderr, quoted for a shell, secrets masked. */
static void show(const struct hx_strvec *args)
{
	struct hx_strbuf sb = HX_STRBUF_INIT, word = HX_STRBUF_INIT;
	size_t i;

	hx_strbuf_adds(&sb, "helm-x: run:");
	for (i = 0; i < args->n; i++) {
		const char *w;

		hx_strbuf_reset(&word);
		masked(&word, args->v[i], i ? args->v[i - 1] : NULL);
		w = word.buf ? word.buf : "";
		hx_strbuf_addch(&sb, ' ');
		/* a mask "***" alone, or after FLAG=, is shown bare */
		if (*w &&
		    (!strpbrk(w, " \t\n'\"\\$`*?[]{}()<>|&;#~") ||
		     !strcmp(w, "***") ||
		     (*args->v[i] == '-' &&
		      !strpbrk(args->v[i], " \t\n'\"\\$`*?[]{}()<>|&;#~") &&
		      strlen(w) > 3 && !strcmp(w + strlen(w) - 4, "=***")))) {
			hx_strbuf_adds(&sb, w);
			continue;
		}
		hx_strbuf_addch(&sb, '\'');
		for (; *w; w++) {
			if (*w == '\'')
				hx_strbuf_adds(&sb, "'\\''");
			else
				hx_strbuf_addch(&sb, *w);
		}
		hx_strbuf_addch(&sb, '\'');
	}
	fprintf(stderr, "%s\n", sb.buf);
	hx_strbuf_release(&word);
	hx_strbuf_release(&sb);
}

/*
 * The child between fork and exec: only async-signal-safe calls.  Signals
 * back to default and unblocked, stdout to the pipe, stderr to err_file;
 * on Linux it dies with helm-x (PR_SET_PDEATHSIG), even of SIGKILL.  An
 * exec failure's errno goes up errfd.
 */
static void child(const struct hx_proc *p, const char *exe, int outfd,
                  int errfd, pid_t parent)
{
	static const int defs[] = {SIGINT,  SIGTERM, SIGHUP,
	                           SIGQUIT, SIGPIPE, SIGALRM};
	sigset_t empty;
	size_t i;
	int e;

	for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
		signal(defs[i], SIG_DFL);
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);
#ifdef __linux__
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127); /* helm-x is gone already */
#else
	(void)parent;
#endif
	if (outfd >= 0 && dup2(outfd, 1) < 0)
		goto fail;
	if (p->err_file) {
		int fd = open(p->err_file,
		              O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);

		if (fd < 0 || dup2(fd, 2) < 0)
			goto fail;
		close(fd);
	}
	/* argv[0] stays as typed (helm passes it on as HELM_BIN) */
	execve(exe, p->args.v, environ);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0) {
		/* nothing more to say */
	}
	_exit(127);
}

static int cloexec_pipe(int fd[2])
{
	if (pipe(fd) < 0)
		return -1;
	if (fcntl(fd[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(fd[1], F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;

		close(fd[0]);
		close(fd[1]);
		fd[0] = fd[1] = -1;
		errno = e;
		return -1;
	}
	return 0;
}

int hx_proc_run(struct hx_proc *p, struct hx_strbuf *out)
{
	int pipefd[2] = {-1, -1}, errpipe[2] = {-1, -1}, status = 0, e = 0;
	const char *prog = p->args.v[0];
	char *exe;
	pid_t pid, parent = getpid();
	ssize_t got;

	if (trace)
		show(&p->args);
	exe = resolve(prog);

	if (!exe) {
		hx_error_set_errno("cannot run '%s'%s%s", prog,
		                   p->what ? " for " : "",
		                   p->what ? p->what : "");
		return -1;
	}
	if ((p->capture_out && cloexec_pipe(pipefd) < 0) ||
	    cloexec_pipe(errpipe) < 0) {
		hx_error_set_errno("cannot create a pipe");
		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		free(exe);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		child(p, exe, pipefd[1], errpipe[1], parent);
	e = errno;
	free(exe);
	if (p->capture_out)
		close(pipefd[1]);
	close(errpipe[1]);
	if (pid > 0) {
		/* the exec's errno, or nothing once exec closed the pipe */
		while ((got = read(errpipe[0], &e, sizeof(e))) < 0 &&
		       errno == EINTR)
			;
		if (got != (ssize_t)sizeof(e))
			e = 0;
	}
	close(errpipe[0]);
	if (pid < 0 || e) {
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		errno = e;
		hx_error_set_errno("cannot run '%s'%s%s", prog,
		                   p->what ? " for " : "",
		                   p->what ? p->what : "");
		if (p->capture_out)
			close(pipefd[0]);
		return -1;
	}
	running_add(pid);
	if (p->capture_out) {
		char buf[65536];

		for (;;) {
			ssize_t n = read(pipefd[0], buf, sizeof(buf));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			hx_strbuf_add(out, buf, (size_t)n);
		}
		close(pipefd[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			running_remove(pid);
			hx_error_set_errno("cannot wait for '%s'", prog);
			return -1;
		}
	running_remove(pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void hx_proc_release(struct hx_proc *p)
{
	hx_strvec_clear(&p->args);
}
