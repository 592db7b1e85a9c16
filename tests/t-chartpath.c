/* Unit tests: paths in the temporary chart (hostile names). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/chartpath.h"
#include "hx/err.h"
#include "hx/util.h"
#include "tap.h"

#include "hx/banned.h"

/* from_source of s: the path, or "ERR: message" */
static char *src(const char *s, size_t len)
{
	char *out = NULL;

	hx_error_clear();
	if (hx_chartpath_from_source(&out, s, len) < 0) {
		size_t n = strlen(hx_error_message()) + 6;

		out = hx_xmalloc(n);
		snprintf(out, n, "ERR: %s", hx_error_message());
		hx_error_clear();
	}
	return out;
}

static void check_src(const char *s, const char *want)
{
	char *got = src(s, strlen(s));

	is_str(got, want, "# Source: %s", s);
	free(got);
}

static void sources(void)
{
	char *got;

	check_src("web/templates/a.yaml", "templates/a.yaml");
	check_src("web/templates/tests/t.yaml", "templates/tests/t.yaml");
	check_src("web/crds/w.yaml", "crds/w.yaml");
	check_src("web/charts/c/templates/s.yaml", "charts/c/templates/s.yaml");
	check_src("web/charts/c/charts/d/crds/x.yaml",
	          "charts/c/charts/d/crds/x.yaml");
	check_src("web/charts/c/templates/NOTES.yaml",
	          "charts/c/templates/NOTES.yaml");
	check_src("web/templates/sub/NOTES.txt", "templates/sub/NOTES.txt");
	check_src("web/charts/c/templates/NOTES.txt",
	          "ERR: error: '# Source: web/charts/c/templates/NOTES.txt': "
	          "templates/NOTES.txt is Helm's notes, not a manifest");
	check_src("x/../../../../tmp/evil.yaml",
	          "ERR: error: '# Source: x/../../../../tmp/evil.yaml': "
	          "'..' component");
	check_src("x//etc/passwd",
	          "ERR: error: '# Source: x//etc/passwd': empty path "
	          "component");
	check_src("/etc/passwd",
	          "ERR: error: '# Source: /etc/passwd': absolute path; the "
	          "temporary chart takes only templates/..., crds/... and "
	          "charts/NAME/...");
	check_src("web/templates/./a.yaml",
	          "ERR: error: '# Source: web/templates/./a.yaml': '.' "
	          "component");
	check_src("web/templates/", "ERR: error: '# Source: web/templates/': "
	                            "empty path component");
	check_src("web/templates",
	          "ERR: error: '# Source: web/templates': the temporary chart "
	          "takes only templates/..., crds/... and charts/NAME/...");
	check_src("web/Chart.yaml",
	          "ERR: error: '# Source: web/Chart.yaml': the temporary chart "
	          "takes only templates/..., crds/... and charts/NAME/...");
	check_src("web/charts/c/values.yaml",
	          "ERR: error: '# Source: web/charts/c/values.yaml': the "
	          "temporary chart takes only templates/..., crds/... and "
	          "charts/NAME/...");
	check_src("web/charts/templates",
	          "ERR: error: '# Source: web/charts/templates': the "
	          "temporary chart takes only templates/..., crds/... and "
	          "charts/NAME/...");
	check_src("web", "ERR: error: '# Source: web': the temporary chart "
	                 "takes only templates/..., crds/... and "
	                 "charts/NAME/...");
	check_src("", "ERR: error: '# Source: ': empty path component");
	check_src("web/templates/_x.yaml",
	          "ERR: error: '# Source: web/templates/_x.yaml': a name "
	          "starting with '_' is a Helm partial, never rendered");
	check_src("web/templates/NOTES.txt",
	          "ERR: error: '# Source: web/templates/NOTES.txt': "
	          "templates/NOTES.txt is Helm's notes, not a manifest");
	check_src("web/templates/a\tb.yaml",
	          "ERR: error: '# Source: web/templates/a\\x09b.yaml': control "
	          "character in a name");
	got = src("web/templates/a\0/../../x", 24);
	is_str(got,
	       "ERR: error: '# Source: web/templates/a\\x00/../../x': NUL byte",
	       "a NUL byte is seen and shown");
	free(got);
}

static void objects(void)
{
	char *out = NULL;

	ok(hx_chartpath_from_object(&out, "ConfigMap", 9, "a.b:c", 5) == 0,
	   "kind and name make a file name");
	is_str(out, "templates/configmap-a.b:c.yaml", "kind in lower case");
	free(out);
	out = NULL;
	ok(hx_chartpath_from_object(&out, "../../x", 7, "a", 1) < 0 && !out,
	   "a kind with '/' is refused");
	is_str(hx_error_message(), "error: kind '../../x': '/' in a name",
	       "the kind is named");
	ok(hx_chartpath_from_object(&out, "Pod", 3, "..", 2) < 0,
	   "a name '..' is refused");
	ok(hx_chartpath_from_object(&out, "Pod", 3, "a/b", 3) < 0,
	   "a name with '/' is refused, not rewritten");
	ok(hx_chartpath_from_object(&out, "Pod", 3, "a\0b", 3) < 0,
	   "a name with a NUL byte is refused");
	ok(hx_chartpath_from_object(&out, "_Pod", 4, "a", 1) < 0,
	   "a kind making a partial's name is refused");
	{
		char longname[300];

		memset(longname, 'n', sizeof(longname));
		ok(hx_chartpath_from_object(&out, "Pod", 3, longname, 256) < 0,
		   "a name over 255 bytes is refused");
		is_str(hx_error_message() + strlen(hx_error_message()) - 31,
		       "component longer than 255 bytes", "and says why");
		ok(hx_chartpath_from_object(&out, "Pod", 3, longname, 250) < 0,
		   "kind and name together over 255 bytes are refused");
		is_str(hx_error_message() + strlen(hx_error_message()) - 52,
		       "kind and name make a file name longer than 255 bytes",
		       "and says why");
	}
	hx_error_clear();
	ok(hx_chartpath_from_file(&out, "svc.yaml") == 0 &&
	           !strcmp(out, "templates/svc.yaml"),
	   "a manifest file keeps its base name");
	free(out);
	out = NULL;
	ok(hx_chartpath_from_file(&out, "_base.yaml") < 0,
	   "a manifest file Helm would not render is refused");
	is_str(hx_error_message(),
	       "error: manifest file '_base.yaml': a name starting with '_' "
	       "is a Helm partial, never rendered",
	       "and named");
	hx_error_clear();
}

static void create(void)
{
	char dir[] = "/tmp/hx-t-chartpath.XXXXXX";
	char *outside = NULL, *link = NULL;
	struct stat st;
	int root, fd;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	root = open(dir, O_RDONLY | O_DIRECTORY);
	ok(hx_chartpath_write(root, "templates/a/b.yaml", dir, "x\n", 2) == 0,
	   "write creates the parent dirs");
	fd = openat(root, "templates/a/b.yaml", O_RDONLY);
	ok(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 2 &&
	           (st.st_mode & 0777) == 0600,
	   "the file is there, 0600");
	if (fd >= 0)
		close(fd);
	ok(hx_chartpath_write(root, "templates/a/b.yaml", dir, "y", 1) < 0,
	   "an existing file is never replaced");
	hx_error_clear();
	/* a link planted in the chart dir is not followed */
	outside = hx_path_join(dir, "outside");
	mkdir(outside, 0700);
	link = hx_path_join(dir, "templates/l");
	ok(symlink(outside, link) == 0, "plant a link to a dir");
	ok(hx_chartpath_write(root, "templates/l/x.yaml", dir, "x", 1) < 0,
	   "a link to a dir is not followed");
	ok(rmdir(outside) == 0, "nothing was written through the link");
	hx_error_clear();
	ok(hx_chartpath_write(root, "templates/../x.yaml", dir, "x", 1) < 0,
	   "create refuses '..' itself");
	{
		char want[128];

		snprintf(want, sizeof(want),
		         "error: cannot create '%s/templates/../x.yaml': '..' "
		         "component",
		         dir);
		is_str(hx_error_message(), want, "and says so");
	}
	hx_error_clear();
	close(root);
	unlink(link);
	free(link);
	free(outside);
	{
		char *p = hx_path_join(dir, "templates/a/b.yaml");

		unlink(p);
		free(p);
		p = hx_path_join(dir, "templates/a");
		rmdir(p);
		free(p);
		p = hx_path_join(dir, "templates");
		rmdir(p);
		free(p);
	}
	ok(rmdir(dir) == 0, "the test dir held only what was written");
}

int main(void)
{
	sources();
	objects();
	create();
	return tap_done();
}
