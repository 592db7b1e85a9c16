/*
 * Time a command: bench-run REPEAT IN OUT CMD [ARGS...] runs CMD REPEAT times
 * with stdin from IN and stdout to OUT (either may be "-" for /dev/null),
 * and prints "SECONDS PEAK_KB CPU_SECONDS": the fastest run's wall time,
 * the peak memory of any run (from wait4) and the least user + system time
 * of any run.  CMD
 * must exit 0, or with the status in $BENCH_OK_STATUS (diff's 1, say).
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int repeat, r;
	double best = 1e9, best_cpu = 1e9;
	long peak = 0;
	const char *okenv = getenv("BENCH_OK_STATUS");
	int okst = okenv ? (int)strtol(okenv, NULL, 10) : 0;

	if (argc < 5) {
		fprintf(stderr, "usage: bench-run REPEAT IN OUT CMD [ARGS...]\n");
		return 2;
	}
	repeat = (int)strtol(argv[1], NULL, 10);
	for (r = 0; r < repeat; r++) {
		struct timespec t0, t1;
		struct rusage ru;
		int status;
		pid_t pid;
		double s;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid == 0) {
			int in = open(strcmp(argv[2], "-") ? argv[2] : "/dev/null",
				      O_RDONLY);
			int out = open(strcmp(argv[3], "-") ? argv[3] : "/dev/null",
				       O_WRONLY | O_CREAT | O_TRUNC, 0644);

			dup2(in, 0);
			dup2(out, 1);
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
		    (WEXITSTATUS(status) && WEXITSTATUS(status) != okst)) {
			fprintf(stderr, "bench-run: %s failed\n", argv[4]);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (s < best)
			best = s;
		s = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		    ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) /
		            1e6;
		if (s < best_cpu)
			best_cpu = s;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	printf("%.4f %ld %.4f\n", best, peak, best_cpu);
	return 0;
}
