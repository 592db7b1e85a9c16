/*
 * Generate a realistic rendered-chart stream: N documents cycling through
 * Deployment, Service and ConfigMap, with "# Source:" lines as helm prints.
 * Usage: bench-gen N > stream.yaml
 */
#include <stdio.h>
#include <stdlib.h>

static void deployment(int i)
{
	printf("---\n# Source: app/templates/deployment-%d.yaml\n"
	       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
	       "  name: app-%d\n  namespace: team-%d\n  labels:\n"
	       "    app.kubernetes.io/name: app-%d\n"
	       "    app.kubernetes.io/instance: release\n"
	       "  annotations:\n    checksum/config: \"%08x%08x\"\n"
	       "spec:\n  replicas: %d\n  selector:\n    matchLabels:\n"
	       "      app.kubernetes.io/name: app-%d\n  template:\n"
	       "    metadata:\n      labels:\n        app.kubernetes.io/name: app-%d\n"
	       "    spec:\n      containers:\n      - name: app\n"
	       "        image: \"registry.example.com/app:1.%d.0\"\n"
	       "        args: [\"--port=8080\", \"--verbose\"]\n"
	       "        ports:\n        - name: http\n          containerPort: 8080\n"
	       "          protocol: TCP\n        env:\n        - name: MODE\n"
	       "          value: production\n        - name: WORKERS\n"
	       "          value: \"%d\"\n        resources:\n"
	       "          limits: {cpu: 500m, memory: 256Mi}\n"
	       "          requests: {cpu: 100m, memory: 128Mi}\n"
	       "        readinessProbe:\n          httpGet:\n            path: /healthz\n"
	       "            port: http\n",
	       i, i, i % 7, i, (unsigned)i * 2654435761u, (unsigned)i, 1 + i % 3,
	       i, i, i % 40, 2 + i % 6);
}

static void service(int i)
{
	printf("---\n# Source: app/templates/service-%d.yaml\n"
	       "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-%d\n"
	       "  namespace: team-%d\n  labels:\n    app.kubernetes.io/name: app-%d\n"
	       "spec:\n  type: ClusterIP\n  ports:\n  - name: http\n    port: 80\n"
	       "    targetPort: http\n    protocol: TCP\n  selector:\n"
	       "    app.kubernetes.io/name: app-%d\n",
	       i, i, i % 7, i, i);
}

static void configmap(int i)
{
	printf("---\n# Source: app/templates/configmap-%d.yaml\n"
	       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-%d-config\n"
	       "  namespace: team-%d\ndata:\n  LOG_LEVEL: info\n"
	       "  FEATURE_FLAGS: \"a,b,c\"\n  app.properties: |\n"
	       "    server.port=8080\n    server.name=app-%d\n"
	       "    cache.size=%d\n",
	       i, i, i % 7, i, 64 * (1 + i % 8));
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 3000, i;

	for (i = 0; i < n; i++) {
		switch (i % 3) {
		case 0:
			deployment(i / 3);
			break;
		case 1:
			service(i / 3);
			break;
		default:
			configmap(i / 3);
		}
	}
	return 0;
}
