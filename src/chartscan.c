#include "hx/chartscan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/err.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

/* What a chart reads bigger than this is not scanned: it needs the cluster. */
#define SCAN_BUDGET ((size_t)64 << 20)

static const char *const cluster_words[] = {"lookup", "Capabilities",
                                            "getHostByName", "tpl", NULL};

static int contains(const char *buf, size_t len, const char *word)
{
	size_t n = strlen(word);
	const char *p = buf, *end = buf + len;

	while ((size_t)(end - p) >= n &&
	       (p = memchr(p, word[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (!memcmp(p, word, n))
			return 1;
		p++;
	}
	return 0;
}

/* 1 when a regular file below dir (no links) names a cluster word. */
static int scan_dir(const char *dir, size_t *budget, int depth)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	size_t i;
	int rc = 0;

	if (depth > 64 || hx_list_dir(&names, dir, 0) < 0) {
		hx_error_clear();
		return 1;
	}
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *p = hx_path_join(dir, names.v[i]);
		struct stat st;
		char *buf = NULL;
		size_t len = 0, k;

		if (lstat(p, &st) < 0 || S_ISLNK(st.st_mode)) {
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = scan_dir(p, budget, depth + 1);
		} else if (!S_ISREG(st.st_mode) ||
		           (size_t)st.st_size > *budget ||
		           hx_read_file(&buf, &len, p) < 0) {
			rc = 1;
		} else {
			*budget -= len < *budget ? len : *budget;
			for (k = 0; !rc && cluster_words[k]; k++)
				rc = contains(buf, len, cluster_words[k]);
		}
		free(buf);
		free(p);
	}
	hx_error_clear();
	hx_strvec_clear(&names);
	return rc;
}

/* The chart at dir: its templates/, then each subchart of charts/. */
static int scan_chart(const char *dir, size_t *budget, int depth)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	char *tpl = hx_path_join(dir, "templates");
	char *charts = hx_path_join(dir, "charts");
	struct stat st;
	size_t i;
	int rc = 0;

	if (depth > 16)
		rc = 1;
	else if (lstat(tpl, &st) == 0)
		rc = S_ISDIR(st.st_mode) ? scan_dir(tpl, budget, 0) : 1;
	if (rc == 0 && lstat(charts, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || hx_list_dir(&names, charts, 1) < 0)
			rc = 1;
		for (i = 0; rc == 0 && i < names.n; i++) {
			char *sub = hx_path_join(charts, names.v[i]);

			/* a packaged subchart is not read through here */
			rc = lstat(sub, &st) < 0 || !S_ISDIR(st.st_mode) ||
			     scan_chart(sub, budget, depth + 1);
			free(sub);
		}
	}
	hx_error_clear();
	hx_strvec_clear(&names);
	free(charts);
	free(tpl);
	return rc;
}

int hx_chart_needs_cluster(const char *chart_dir)
{
	size_t budget = SCAN_BUDGET;

	return scan_chart(chart_dir, &budget, 0);
}
