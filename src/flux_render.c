/*
 * One HelmRelease rendered as helm-controller would install it (flux.h):
 * its chart fetched, its values written, helm template, its
 * post-renderers.  The command (cmd_flux.c) prints; nothing here does.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/flux.h"
#include "hx/helm.h"
#include "hx/patchrun.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static int write_values(const char *dir, const struct hx_node *values,
                        char **path)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	int rc;

	hx_node_emit(&sb, values);
	*path = hx_path_join(dir, "values.yaml");
	rc = hx_write_new_file(*path, sb.buf ? sb.buf : "", sb.len);
	hx_strbuf_release(&sb);
	return rc;
}

/*
 * The patchsets copy inline patch bodies into the arena of the stream the
 * HelmRelease came from, which other HelmReleases of the same file share:
 * one render thread at a time builds them.
 */
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static int post_renderers(struct hx_patchset *ps, struct hx_patchset *crds,
                          struct hx_arena *a, const struct hx_flux_hr *hr,
                          struct hx_strvec *warnings)
{
	int rc;

	pthread_mutex_lock(&build_lock);
	rc = hx_flux_post_renderers(ps, crds, a, hr, warnings);
	pthread_mutex_unlock(&build_lock);
	return rc;
}

int hx_flux_render(struct hx_flux_job *j, size_t idx,
                   const struct hx_flux_render_opts *o)
{
	const struct hx_flux_obj *obj = j->obj;
	struct hx_strvec *warnings = &j->warnings;
	struct hx_flux_hr hr;
	struct hx_arena a = HX_ARENA_INIT;
	/* the trees of the values: --values-from files, data parsed */
	struct hx_flux_set keep = HX_FLUX_SET_INIT;
	struct hx_patchset ps = HX_PATCHSET_INIT, crds = HX_PATCHSET_INIT;
	struct hx_render_opts ro;
	struct hx_strvec values = HX_STRVEC_INIT, targs = HX_STRVEC_INIT;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_node *vals;
	char *dir, *chart_dir = NULL, *vpath = NULL;
	size_t i;
	int rc = -1;

	hx_strbuf_addf(&sb, "hr-%zu", idx);
	dir = hx_path_join(o->tmp, sb.buf);
	hx_strbuf_release(&sb);
	if (hx_flux_hr_read(&hr, obj, warnings) < 0)
		goto out;
	if (o->helm3 && !hr.strategy_given)
		hr.no_hooks = 1;
	if (hx_helm_check_release(hr.release) < 0) {
		hx_error_prefix("HelmRelease %s/%s: ", obj->ns, obj->name);
		hx_error_locate(obj->root->file, obj->root->line,
		                obj->root->col);
		goto out;
	}
	if (mkdir(dir, 0700) < 0) {
		hx_error_set_errno("cannot create a directory for '%s'",
		                   obj->name);
		goto out;
	}
	rc = hx_flux_chart(&chart_dir, o->set, &hr, o->sources, dir, warnings);
	if (rc)
		goto out;
	rc = -1;
	if (hx_flux_values(&vals, &a, warnings, o->set, &hr, o->values_from,
	                   &keep) < 0 ||
	    write_values(dir, vals, &vpath) < 0 ||
	    post_renderers(&ps, &crds, &a, &hr, warnings) < 0)
		goto out;
	hx_strvec_pushl(&values, "--values", vpath, NULL);
	for (i = 0; o->template_args && i < o->template_args->n; i++)
		hx_strvec_push(&targs, o->template_args->v[i]);
	/* helm-controller applies the CRDs of crds/ unless Skip */
	if (hr.crds != HX_FLUX_CRDS_SKIP)
		hx_strvec_push(&targs, "--include-crds");
	memset(&ro, 0, sizeof(ro));
	ro.release = hr.release;
	ro.ns = hr.rel_ns;
	ro.values = &values;
	ro.template_args = &targs;
	ro.tmpdir = dir;
	rc = hx_render(&j->streams, NULL, HX_INPUT_CHART_DIR, chart_dir, &ro);
	if (rc) {
		hx_error_prefix("HelmRelease %s/%s: ", obj->ns, obj->name);
		goto out;
	}
	rc = -1;
	if (hx_patchset_run_streams(&ps, j->streams.v, j->streams.n) < 0 ||
	    hx_patchset_run_streams(&crds, j->streams.v, j->streams.n) < 0) {
		hx_error_prefix("HelmRelease %s/%s: ", obj->ns, obj->name);
		goto out;
	}
	hx_patchset_check_matched(&ps, 1, &j->nomatch);
	memcpy(j->release, hr.release, sizeof(j->release));
	j->rel_ns = hr.rel_ns;
	j->storage_ns = hr.storage_ns;
	rc = 0;
out:
	if (rc) /* a failed render leaves nothing behind */
		hx_streams_release(&j->streams);
	j->rc = rc;
	hx_strbuf_release(&sb);
	hx_strvec_clear(&values);
	hx_strvec_clear(&targs);
	hx_patchset_release(&ps);
	hx_patchset_release(&crds);
	hx_arena_release(&a);
	hx_flux_set_release(&keep);
	free(chart_dir);
	free(vpath);
	free(dir);
	return rc;
}

void hx_flux_job_release(struct hx_flux_job *j)
{
	hx_streams_release(&j->streams);
	hx_strvec_clear(&j->warnings);
	hx_strvec_clear(&j->nomatch);
	free(j->err_head);
	free(j->err_msg);
	j->err_head = j->err_msg = NULL;
}

/* ---- several at once ---------------------------------------------------- */

/* Renders run helm, which waits on its own: a few more than the cores. */
#define RENDER_MAX_THREADS 16

struct pool {
	struct hx_flux_job *jobs;
	size_t n, next;
	size_t failed; /* the first failed index, or n */
	int stop_at_failure;
	const struct hx_flux_render_opts *o;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next;
		/* after a signal no new helm starts */
		if (i < p->n && !hx_interrupted() &&
		    !(p->stop_at_failure && p->failed < i))
			p->next++;
		else
			i = p->n;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		if (hx_flux_render(&p->jobs[i], i, p->o) != 0) {
			hx_error_save(&p->jobs[i].err_head,
			              &p->jobs[i].err_msg);
			pthread_mutex_lock(&p->lock);
			if (i < p->failed)
				p->failed = i;
			pthread_mutex_unlock(&p->lock);
		}
	}
}

void hx_flux_render_all(struct hx_flux_job *jobs, size_t n,
                        const struct hx_flux_render_opts *o,
                        int stop_at_failure)
{
	pthread_t tids[RENDER_MAX_THREADS];
	struct pool p;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = cpus > 0 ? (size_t)cpus + 1 : 1, started = 0, i;

	memset(&p, 0, sizeof(p));
	p.jobs = jobs;
	p.n = n;
	p.failed = n;
	p.stop_at_failure = stop_at_failure;
	p.o = o;
	pthread_mutex_init(&p.lock, NULL);
	if (want > n)
		want = n;
	if (want > RENDER_MAX_THREADS)
		want = RENDER_MAX_THREADS;
	/* this thread is one of them */
	for (i = 1; i < want; i++)
		if (pthread_create(&tids[started], NULL, worker, &p) == 0)
			started++;
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
}
