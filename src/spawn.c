#include "hx/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/strbuf.h"

extern char **environ;

static volatile pid_t current;

int hx_proc_current(void)
{
	return (int)current;
}

int hx_proc_run(struct hx_proc *p, struct hx_strbuf *out)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t empty, defs;
	int pipefd[2] = {-1, -1}, rc, status = 0;
	const char *prog = p->args.v[0];
	pid_t pid;

	if (p->capture_out) {
		if (pipe(pipefd) < 0) {
			hx_error_set_errno("cannot create a pipe");
			return -1;
		}
		fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
		fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
	}
	posix_spawn_file_actions_init(&fa);
	if (p->capture_out)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawnattr_init(&attr);
	sigemptyset(&empty);
	sigemptyset(&defs);
	sigaddset(&defs, SIGINT);
	sigaddset(&defs, SIGTERM);
	sigaddset(&defs, SIGHUP);
	sigaddset(&defs, SIGQUIT);
	sigaddset(&defs, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &empty);
	posix_spawnattr_setsigdefault(&attr, &defs);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	                                        POSIX_SPAWN_SETSIGDEF);
	if (strchr(prog, '/'))
		rc = posix_spawn(&pid, prog, &fa, &attr, p->args.v, environ);
	else
		rc = posix_spawnp(&pid, prog, &fa, &attr, p->args.v, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (p->capture_out)
		close(pipefd[1]);
	if (rc != 0) {
		errno = rc;
		hx_error_set_errno("cannot run '%s'%s%s", prog,
		                   p->what ? " for " : "",
		                   p->what ? p->what : "");
		if (p->capture_out)
			close(pipefd[0]);
		return -1;
	}
	current = pid;
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
			current = 0;
			hx_error_set_errno("cannot wait for '%s'", prog);
			return -1;
		}
	current = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void hx_proc_release(struct hx_proc *p)
{
	hx_strvec_clear(&p->args);
}
