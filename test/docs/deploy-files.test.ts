import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import { createMetrics } from '../../src/platform/telemetry/metrics.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

type Obj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const yamlFiles = [
  'compose.yaml',
  ...readdirSync(path.join(root, 'deploy'), { recursive: true })
    .map((f) => path.join('deploy', String(f)))
    .filter((f) => /\.ya?ml$/.test(f)),
].sort()

/** Every document of a YAML file; merge keys (`<<: *anchor`) as Compose reads them. */
function documentsOf(file: string): Obj[] {
  return parseAllDocuments(read(file), { merge: true }).map((doc) => {
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `${file} does not parse`,
    )
    return doc.toJS() as Obj
  })
}

const k8sDir = path.join('deploy', 'kubernetes')
const k8sObjects = yamlFiles
  .filter((f) => f.startsWith(k8sDir) && path.basename(f) !== 'kustomization.yaml')
  .flatMap((file) => documentsOf(file).map((object) => ({ file, object })))
const ofKind = (kind: string) => k8sObjects.map((o) => o.object).filter((o) => o.kind === kind)
const deployments = ofKind('Deployment')
const api = deployments.find((d) => d.metadata.name === 'emporium-api')

/** The series the code registers (prom-client's default ones aside): the alerts may use no other. */
const METRICS = new Set(
  createMetrics({ defaultMetrics: false })
    .registry.getMetricsAsArray()
    .map((metric) => metric.name),
)

function metricsIn(expressions: string[]): Set<string> {
  const names = expressions.flatMap((e) =>
    [...e.matchAll(/\b(emporium_\w+|http_request_duration_seconds\w*)/g)].map((m) =>
      m[1]!.replace(/_(bucket|sum|count)$/, ''),
    ),
  )
  return new Set(names)
}

const alertRules: Obj[] = documentsOf('deploy/prometheus/alerts.yml')[0]!.groups.flatMap(
  (g: Obj) => g.rules,
)
const dashboard = JSON.parse(read('deploy/grafana/dashboards/emporium.json')) as Obj

/** Every `expr` and templating `query` of the dashboard, rows' nested panels included. */
function dashboardExpressions(): string[] {
  const found: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'expr' || key === 'query') && typeof value === 'string') found.push(value)
        else walk(value)
      }
    }
  }
  walk(dashboard)
  return found
}

/** GitHub's heading anchors, as in links.test.ts. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')

describe('deployment files', () => {
  test('every YAML file under deploy/ and compose.yaml parses', () => {
    assert.ok(yamlFiles.includes(path.join('deploy', 'prometheus', 'alerts.yml')))
    assert.ok(yamlFiles.length >= 10, `only ${yamlFiles.length} YAML files found`)
    for (const file of yamlFiles) assert.ok(documentsOf(file).length > 0, `${file} is empty`)
  })

  test('every Kubernetes object has apiVersion, kind and metadata.name', () => {
    assert.ok(k8sObjects.length >= 9)
    const incomplete = k8sObjects
      .filter(({ object: o }) => !o.apiVersion || !o.kind || !o.metadata?.name)
      .map(({ file }) => file)
    assert.deepEqual(incomplete, [])
  })

  test('the kustomization lists existing files, the example Secret not among them', () => {
    const [kustomization] = documentsOf(path.join(k8sDir, 'kustomization.yaml'))
    const resources = kustomization!.resources as string[]
    const files = readdirSync(path.join(root, k8sDir))
    assert.deepEqual(
      resources.filter((r) => !files.includes(r)),
      [],
    )
    assert.ok(!resources.includes('secret.example.yaml'))
    const kinds = new Set(k8sObjects.map((o) => o.object.kind))
    for (const kind of ['ConfigMap', 'Secret', 'Deployment', 'Service', 'Job'])
      assert.ok(kinds.has(kind), kind)
  })

  test('Deployments probe liveness and readiness, set resources and run as non-root', () => {
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), [
      'emporium-api',
      'emporium-worker',
    ])
    for (const deployment of deployments) {
      const name = deployment.metadata.name as string
      const pod = deployment.spec.template.spec
      assert.equal(pod.securityContext?.runAsNonRoot, true, `${name}: runAsNonRoot`)
      assert.notEqual(pod.securityContext?.runAsUser, 0, `${name}: runAsUser`)
      for (const c of pod.containers as Obj[]) {
        const where = `${name}/${c.name}`
        assert.ok(c.livenessProbe?.httpGet?.path, `${where}: livenessProbe`)
        assert.ok(c.readinessProbe?.httpGet?.path, `${where}: readinessProbe`)
        assert.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${where}: requests`)
        assert.ok(c.resources?.limits?.memory, `${where}: memory limit`)
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false, where)
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, where)
      }
    }
    const [apiContainer] = api!.spec.template.spec.containers as Obj[]
    assert.equal(apiContainer!.livenessProbe.httpGet.path, '/livez')
    assert.equal(apiContainer!.readinessProbe.httpGet.path, '/readyz')
    const worker = deployments.find((d) => d.metadata.name === 'emporium-worker')!
    const [workerContainer] = worker.spec.template.spec.containers as Obj[]
    const metricsPort = (workerContainer!.ports as Obj[]).find(
      (p) => p.name === workerContainer!.livenessProbe.httpGet.port,
    )
    assert.equal(workerContainer!.livenessProbe.httpGet.path, '/livez')
    assert.equal(metricsPort?.containerPort, 9464)
  })

  test('the PodDisruptionBudget, the autoscaler and the api Service select the api Deployment', () => {
    const labels = api!.spec.template.metadata.labels as Obj
    const selects = (selector: Obj) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value)
    assert.deepEqual(api!.spec.selector.matchLabels, labels)
    const [pdb] = ofKind('PodDisruptionBudget')
    assert.ok(selects(pdb!.spec.selector.matchLabels), 'PodDisruptionBudget selector')
    assert.ok(pdb!.spec.minAvailable < api!.spec.replicas || pdb!.spec.maxUnavailable >= 1)
    const [hpa] = ofKind('HorizontalPodAutoscaler')
    assert.deepEqual(
      { kind: hpa!.spec.scaleTargetRef.kind, name: hpa!.spec.scaleTargetRef.name },
      { kind: 'Deployment', name: api!.metadata.name },
    )
    assert.equal(hpa!.spec.metrics[0].resource.name, 'cpu')
    const service = ofKind('Service').find((s) => s.metadata.name === 'emporium-api')
    assert.ok(selects(service!.spec.selector), 'api Service selector')
  })

  test('compose runs the engines, a migrate one-shot, two API processes, a worker and monitoring', () => {
    const [compose] = documentsOf('compose.yaml')
    const services = compose!.services as Obj
    for (const name of [
      'postgres',
      'redis',
      'nats',
      'migrate',
      'api-1',
      'api-2',
      'worker',
      'nginx',
      'prometheus',
      'grafana',
    ]) {
      assert.ok(services[name], `service ${name}`)
    }
    assert.ok(services.nats.command.includes('-js'))
    assert.deepEqual(services.migrate.command, ['migrate', 'up'])
    for (const name of ['api-1', 'api-2']) {
      assert.deepEqual(services[name].command, ['serve'])
      assert.equal(services[name].environment.WEB_CONCURRENCY, '1')
      assert.equal(services[name].depends_on.migrate.condition, 'service_completed_successfully')
    }
    assert.deepEqual(services.worker.command, ['worker'])
    assert.match(services.worker.healthcheck.test.join(' '), /:9464\/livez/)
    const nginx = read('deploy/nginx.conf')
    const stream = /location [^{]*\/events[^{]*\{([^}]*)\}/.exec(nginx)
    assert.match(stream?.[1] ?? '', /proxy_buffering off;/)
    const [prometheus] = documentsOf('deploy/prometheus/prometheus.yml')
    const targets = (prometheus!.scrape_configs as Obj[]).flatMap((job) =>
      (job.static_configs as Obj[]).flatMap((c) => c.targets as string[]),
    )
    for (const target of ['api-1:3000', 'api-2:3000', 'worker:9464']) {
      assert.ok(targets.includes(target), target)
    }
  })

  test('alerts and the dashboard use only the metric names the processes expose', () => {
    const fromAlerts = metricsIn(alertRules.map((r) => String(r.expr)))
    const fromDashboard = metricsIn(dashboardExpressions())
    assert.ok(fromAlerts.size >= 8, 'alerts.yml: too few metrics found')
    assert.deepEqual(
      [...fromAlerts].filter((m) => !METRICS.has(m)),
      [],
    )
    assert.deepEqual(
      [...fromDashboard].filter((m) => !METRICS.has(m)),
      [],
    )
    assert.deepEqual(
      [...METRICS].filter((m) => !fromDashboard.has(m)),
      [],
      'not on the dashboard',
    )
  })

  test('the dashboard takes its data source from a variable', () => {
    const list = dashboard.templating.list as Obj[]
    assert.ok(list.some((v) => v.name === 'DS_PROMETHEUS' && v.type === 'datasource'))
    const panels = (dashboard.panels as Obj[]).filter((p) => p.type !== 'row')
    assert.ok(panels.length >= 20)
    for (const panel of panels) assert.equal(panel.datasource.uid, '${DS_PROMETHEUS}', panel.title)
  })

  test('every alert has a runbook_url naming a heading of docs/operations.md', () => {
    const operations = read('docs/operations.md').replace(/^```[\s\S]*?^```/gm, '')
    const headings = (operations.match(/^#{1,6} .+$/gm) ?? []).map((h) =>
      slug(h.replace(/^#+ /, '').replace(/`/g, '')),
    )
    const alerts = alertRules.filter((r) => r.alert)
    assert.ok(alerts.length >= 10)
    const broken = alerts
      .map((r) => ({ alert: r.alert as string, url: String(r.annotations?.runbook_url) }))
      .filter(({ url }) => {
        const [file, anchor] = url.split('#')
        return file !== 'docs/operations.md' || !anchor || !headings.includes(anchor)
      })
    assert.deepEqual(broken, [])
  })

  test('the Dockerfile runs as a non-root user with a health check', () => {
    const dockerfile = read('Dockerfile')
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1]
    assert.ok(user && !['root', '0'].includes(user.split(':')[0]!), `USER ${user}`)
    assert.match(runtime, /^HEALTHCHECK .*\n?.*\/livez/m)
    assert.match(runtime, /^EXPOSE 3000$/m)
  })
})
