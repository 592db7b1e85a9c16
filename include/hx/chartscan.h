#ifndef HX_CHARTSCAN_H
#define HX_CHARTSCAN_H

/*
 * Whether a chart's render may depend on the cluster: 1 when a file of its
 * templates (or of a subchart's, at any depth) names lookup, .Capabilities,
 * getHostByName or tpl (which may template a value that names them), or
 * when something cannot be read through (a packaged subchart, a link, an
 * unreadable file, more than a budget of bytes); 0 when none can.  A chart
 * for which this is 0 renders the same with helm template as in a first
 * install: the release options (name, namespace, revision 1, IsInstall)
 * and the values are the same, and nothing else reaches the templates.
 */
int hx_chart_needs_cluster(const char *chart_dir);

#endif
