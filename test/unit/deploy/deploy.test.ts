/**
 * The container and deployment files, checked against the code (no Docker engine or cluster runs on the
 * development machines): every image, port, path, probe, command, environment variable and config file
 * that the Dockerfile, deploy/compose/docker-compose.yml and deploy/k8s/*.yaml name exists and agrees
 * with what the code reads, serves and registers.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { registerCommands } from '../../../src/cli/commands/index.js';
import { mapPaths } from '../../../src/config/codec-kit.js';
import { ENV_OVERRIDES, parseSourceConfig } from '../../../src/config/load.js';
import { OpsConfigCodec, SourceConfigCodec, type SourceConfig } from '../../../src/config/source-config.js';
import { connectorIds } from '../../../connectors/registry.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

const commands = (() => {
  const program = new Command('irp-bridge');
  registerCommands(program);
  return new Map(program.commands.map((c) => [c.name(), c]));
})();

/** The routes the ops endpoint serves (src/ops/http.ts). */
const OPS_ROUTES = [...read('src/ops/http.ts').matchAll(/path === '(\/[a-z]+)'/g)].map((m) => m[1]!);
const OPS_DEFAULT_PORT = Number(OpsConfigCodec.fields.httpPort.default);
const SANDBOX_DEFAULT_PORT = Number(
  /IRP_SANDBOX_PORT \|\| '(\d+)'/.exec(read('src/cli/commands/sandbox.ts'))?.[1],
);

/** Environment variables the code reads, by where. */
const CODE_ENV = new Set<string>([
  ...ENV_OVERRIDES.map((o) => o.variable),
  ...[...read('bin/irp-bridge.mjs').matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]!),
  ...[...read('src/cli/commands/sandbox.ts').matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]!),
]);
/** Variables read by Node or a library, not by irp-bridge. */
const THIRD_PARTY_ENV = new Set(['NODE_ENV', 'KAFKAJS_NO_PARTITIONER_WARNING']);

function pomVersion(path: string, property: string): string {
  return new RegExp(`<${property}>([^<]+)</${property}>`).exec(read(path))![1]!;
}

/** Every file path a decoded config names (the codec knows which values are paths). */
function pathsOf(config: SourceConfig): string[] {
  const found: string[] = [];
  mapPaths(SourceConfigCodec, config, (p) => {
    found.push(p);
    return p;
  });
  return found;
}

// --- Dockerfile -------------------------------------------------------------------------------------------

interface Instruction {
  stage: string;
  op: string;
  args: string;
}

function dockerfile(): { instructions: Instruction[]; args: Record<string, string> } {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const args: Record<string, string> = {};
  const instructions: Instruction[] = [];
  let stage = '';
  for (const line of lines) {
    const [, op, rest] = /^\s*([A-Z]+)\s+(.*)$/.exec(line)!;
    const text = rest!.replace(/\$\{([A-Z_]+)\}/g, (_, n: string) => args[n] ?? `\${${n}}`);
    if (op === 'ARG') {
      const [k, v] = text.split('=');
      args[k!] = v ?? '';
    }
    if (op === 'FROM') stage = / AS (\S+)/i.exec(text)?.[1] ?? text;
    instructions.push({ stage, op: op!, args: text });
  }
  return { instructions, args };
}

/** Whether .dockerignore (an allow-list) lets `path` into the build context. */
function inContext(path: string): boolean {
  const rules = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  let included = true;
  for (const rule of rules) {
    const negate = rule.startsWith('!');
    const pattern = negate ? rule.slice(1) : rule;
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^$()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(.*/)?')
        .replace(/\*/g, '[^/]*')}(/.*)?$`,
    );
    if (re.test(path)) included = negate;
  }
  return included;
}

describe('Dockerfile', { timeout: 120_000 }, () => {
  const { instructions, args } = dockerfile();
  const inStage = (stage: string, op: string) => instructions.filter((i) => i.stage === stage && i.op === op);

  it('every stage is Node 22 LTS, which the package supports', () => {
    const froms = instructions.filter((i) => i.op === 'FROM');
    expect(args.NODE_IMAGE).toMatch(/^node:22-bookworm-slim$/);
    for (const f of froms) expect(f.args).toMatch(/^(node:22-bookworm-slim|toolchain) AS /);
    expect(read('package.json')).toMatch(/"node": ">=20\.19"/);
  });

  it('native modules are built once, in the toolchain stage, and the runtime gets them without build trees', () => {
    const deps = inStage('deps', 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(instructions.find((i) => i.op === 'FROM' && i.stage === 'deps')!.args).toMatch(
      /^toolchain AS deps/,
    );
    expect(deps).toMatch(/npm ci --omit=dev/);
    expect(deps).toMatch(/sh \/usr\/local\/bin\/prune-native node_modules/);
    expect(inStage('deps', 'COPY').map((i) => i.args)).toContain(
      'scripts/docker/prune-native.sh /usr/local/bin/prune-native',
    );
    // The build stage installs its dev dependencies without running any install script.
    expect(
      inStage('build', 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).toMatch(/npm ci --ignore-scripts/);
    const runtimeCopies = inStage('runtime', 'COPY').map((i) => i.args);
    expect(runtimeCopies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(runtimeCopies.some((c) => /--from=(toolchain|build) \S*node_modules/.test(c))).toBe(false);
  });

  it('the prune script leaves loadable native modules and no sources, objects or librdkafka build tree', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'irp-prune-'));
    const nm = join(scratch, 'node_modules');
    const packages = [
      'better-sqlite3',
      'bindings',
      'file-uri-to-path',
      '@confluentinc/kafka-javascript',
    ].filter((p) => existsSync(join(ROOT, 'node_modules', p)));
    for (const p of packages)
      cpSync(join(ROOT, 'node_modules', p), join(nm, p), {
        recursive: true,
        verbatimSymlinks: true,
        // librdkafka's 200 MB source tree stands in as one file: the script must remove deps/ whatever it holds.
        filter: (src) => !/kafka-javascript\/deps\/./.test(src),
      });
    if (existsSync(join(nm, '@confluentinc/kafka-javascript')))
      writeFileSync(
        join(nm, '@confluentinc/kafka-javascript/deps/rdkafka.c'),
        'int main(void) { return 0; }\n',
      );
    const pruned = spawnSync('sh', [join(ROOT, 'scripts/docker/prune-native.sh'), nm], { encoding: 'utf8' });
    expect(pruned.status, pruned.stderr).toBe(0);
    const leftovers = spawnSync(
      'find',
      [
        nm,
        '(',
        '-name',
        '*.o',
        '-o',
        '-name',
        '*.c',
        '-o',
        '-name',
        '*.cc',
        '-o',
        '-name',
        '*.a',
        '-o',
        '-path',
        '*/kafka-javascript/deps',
        '-o',
        '-name',
        'obj.target',
        '-o',
        '-path',
        '*/better-sqlite3/deps',
        ')',
        '-print',
      ],
      { encoding: 'utf8' },
    );
    expect(leftovers.stdout.trim()).toBe('');
    const load = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 41 + 1 as x').get().x);
         try { console.log(typeof require('@confluentinc/kafka-javascript').KafkaJS.Kafka); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; console.log('absent'); }`,
      ],
      { cwd: scratch, encoding: 'utf8' },
    );
    expect(load.status, load.stderr).toBe(0);
    expect(load.stdout.split('\n')[0]).toBe('42');
    if (packages.includes('@confluentinc/kafka-javascript'))
      expect(load.stdout.split('\n')[1]).toBe('function');
  });

  it('every file copied into the image exists and is in the build context', () => {
    for (const c of instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = c.args.split(/\s+/).slice(0, -1);
      for (const s of sources) {
        if (s === '.') continue;
        expect(existsSync(join(ROOT, s)), s).toBe(true);
        expect(inContext(s), `${s} is excluded by .dockerignore`).toBe(true);
      }
    }
    for (const c of inStage('runtime', 'COPY').filter((i) => i.args.startsWith('--from=build'))) {
      const source = c.args.split(/\s+/)[1]!.replace(/^\/app\//, '');
      if (source === 'dist') expect(read('package.json')).toMatch(/"build": "tsc -p tsconfig\.build\.json/);
      else if (source.startsWith('samples-out/'))
        expect(
          inStage('build', 'RUN')
            .map((i) => i.args)
            .join('\n'),
        ).toMatch(/cp -r --parents connectors\/\*\/samples samples-out\//);
      else {
        expect(existsSync(join(ROOT, source)), source).toBe(true);
        expect(inContext(source), source).toBe(true);
      }
    }
    // `demo` and `produce` read the samples from <root>/connectors/<id>/samples in the image too.
    for (const id of connectorIds)
      expect(existsSync(join(ROOT, 'connectors', id, 'samples', 'events.ndjson')), id).toBe(true);
    expect(inContext('connectors/sap/samples/events.ndjson')).toBe(true);
    expect(inContext('test/unit/deploy/deploy.test.ts')).toBe(false);
  });

  it('the entry point, command, environment, ports and health check agree with the code', () => {
    const env = Object.fromEntries(
      inStage('runtime', 'ENV')
        .flatMap((i) => i.args.split(/\s+/))
        .map((kv) => kv.split('=') as [string, string]),
    );
    for (const name of Object.keys(env))
      expect(CODE_ENV.has(name) || THIRD_PARTY_ENV.has(name), name).toBe(true);
    expect(env).toMatchObject({
      IRP_BRIDGE_USE_DIST: '1',
      IRP_BRIDGE_HTTP_HOST: '0.0.0.0',
      IRP_SANDBOX_HOST: '0.0.0.0',
    });
    expect(read('bin/irp-bridge.mjs')).toContain('dist/src/cli/main.js');
    const entry = JSON.parse(inStage('runtime', 'ENTRYPOINT')[0]!.args) as string[];
    expect(entry).toEqual(['node', '/app/bin/irp-bridge.mjs']);
    const cmd = JSON.parse(inStage('runtime', 'CMD')[0]!.args) as string[];
    expect(commands.has(cmd[0]!)).toBe(true);
    const exposed = inStage('runtime', 'EXPOSE')[0]!.args.split(/\s+/).map(Number);
    expect(exposed).toEqual([Number(env.IRP_BRIDGE_HTTP_PORT), SANDBOX_DEFAULT_PORT]);
    expect(Number(env.IRP_BRIDGE_HTTP_PORT)).toBe(OPS_DEFAULT_PORT);
    const health = inStage('runtime', 'HEALTHCHECK')[0]!.args;
    const route = /'(\/[a-z]+)'/.exec(health)?.[1];
    expect(OPS_ROUTES).toContain(route);
    expect(health).toContain("process.env.IRP_BRIDGE_HTTP_PORT || '9464'");
    // The working directory is writable (demo's out/, the sandbox's .irp-bridge/); /app is not.
    expect(
      inStage('runtime', 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).toMatch(/chown node:node \/work \/app\/\.irp-bridge/);
    expect(inStage('runtime', 'WORKDIR').at(-1)!.args).toBe('/work');
    expect(inStage('runtime', 'USER')[0]!.args).toBe('node');
  });

  it('the command line imports only production dependencies (the image has no dev dependencies)', async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(ROOT, 'src/cli/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      write: false,
      metafile: true,
      outdir: join(tmpdir(), 'irp-bundle-check'),
      logLevel: 'silent',
    });
    const external = new Set<string>();
    for (const input of Object.values(result.metafile.inputs))
      for (const imp of input.imports)
        if (imp.external && !imp.path.startsWith('node:'))
          external.add(
            imp.path
              .split('/')
              .slice(0, imp.path.startsWith('@') ? 2 : 1)
              .join('/'),
          );
    const production = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)]);
    expect([...external].filter((p) => !production.has(p))).toEqual([]);
  });
});

// --- docker compose ---------------------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('deploy/compose/docker-compose.yml', () => {
  const file = 'deploy/compose/docker-compose.yml';
  const compose = parse(read(file), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const services = compose.services;
  const image = `irp-bridge:${pkg.version}`;
  const bridges = Object.entries(services).filter(([, s]) => s.command?.[0] === 'run');
  const mountsOf = (s: ComposeService) =>
    (s.volumes ?? []).map((v) => {
      const [volume, path, mode] = v.split(':');
      return { volume: volume!, path: path!, readOnly: mode === 'ro' };
    });

  it('images: this package at its version (built from the Dockerfile), Kafka and the registry the tests run', () => {
    const built = Object.values(services).filter((s) => s.build);
    expect(built).toHaveLength(1);
    expect(existsSync(join(ROOT, dirname(file), built[0]!.build!.context, built[0]!.build!.dockerfile))).toBe(
      true,
    );
    expect(join(ROOT, dirname(file), built[0]!.build!.context)).toBe(join(ROOT, '.'));
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toBeDefined();
      expect(s.image, name).not.toMatch(/:latest$|^[^:]+$/);
      if (s.image!.startsWith('irp-bridge')) expect(s.image).toBe(image);
    }
    expect(services.kafka!.image).toBe(
      `apache/kafka:${pomVersion('scripts/kafka/pom.xml', 'kafka.version')}`,
    );
    expect(services['schema-registry']!.image).toBe(
      `apicurio/apicurio-registry-mem:${pomVersion('scripts/schema-registry/pom.xml', 'registry.version')}`,
    );
  });

  it('Kafka runs in KRaft mode, one node, with the listener the sources use', () => {
    const env = services.kafka!.environment!;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(String(env.KAFKA_LISTENERS)).toContain('PLAINTEXT://:9092');
    expect(String(env.KAFKA_ADVERTISED_LISTENERS)).toContain('PLAINTEXT://kafka:9092');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe(1);
  });

  it('one irp-bridge per ERP source, each config valid with the environment it gets, reaching services that exist', () => {
    const shipped = readdirSync(join(ROOT, 'config/local')).filter((f) => f.endsWith('.yaml'));
    expect(bridges.map(([, s]) => posix.basename(s.command![2]!)).sort()).toEqual(shipped.sort());
    const sandbox = services.sandbox!;
    const credentialsOut = sandbox.command![sandbox.command!.indexOf('--credentials-out') + 1]!;
    const sandboxPort = sandbox.command!.includes('--port')
      ? Number(sandbox.command![sandbox.command!.indexOf('--port') + 1])
      : SANDBOX_DEFAULT_PORT;
    const credentialsVolume = mountsOf(sandbox).find((m) =>
      posix.dirname(credentialsOut).startsWith(m.path),
    )!;
    expect(credentialsVolume).toBeDefined();
    expect(sandbox.healthcheck!.test.join(' ')).toContain(credentialsOut);
    expect(Object.keys(compose.volumes)).toContain(credentialsVolume.volume);

    for (const [name, s] of bridges) {
      expect(s.image, name).toBe(image);
      expect(s.command!.slice(0, 2), name).toEqual(['run', '--config']);
      const inImage = s.command![2]!;
      expect(inImage.startsWith('/app/'), name).toBe(true);
      const repoPath = inImage.slice('/app/'.length);
      const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
      for (const k of Object.keys(env)) expect(CODE_ENV.has(k), `${name}: ${k}`).toBe(true);
      const { config } = parseSourceConfig(read(repoPath), repoPath, env);
      // Where the config sends it: services of this file, on the ports they listen on.
      for (const b of config.kafka.brokers) {
        const [host, port] = b.split(':');
        expect(services[host!], `${name}: broker ${b}`).toBeDefined();
        expect(String(services.kafka!.environment!.KAFKA_LISTENERS)).toContain(`://:${port}`);
      }
      const irp = new URL(config.irp.baseUrl);
      expect(irp.hostname, name).toBe('sandbox');
      expect(Number(irp.port), name).toBe(sandboxPort);
      const registry = new URL(config.avro!.registry!.url);
      expect(services[registry.hostname], name).toBeDefined();
      expect(services[registry.hostname]!.ports!.some((p) => p.endsWith(`:${registry.port}`))).toBe(true);
      expect(registry.pathname).toBe('/apis/ccompat/v7'); // Apicurio's Confluent-compatible API
      // Every file the config reads is on a volume the sandbox writes (the credentials file).
      for (const p of pathsOf(config)) {
        const resolved = posix.resolve(posix.dirname(inImage), p);
        const mount = mountsOf(s).find((m) => resolved.startsWith(`${m.path}/`));
        expect(mount, `${name}: ${resolved}`).toBeDefined();
        expect(mount!.volume).toBe(credentialsVolume.volume);
        expect(resolved).toBe(
          posix.join(credentialsVolume.path, posix.relative(credentialsVolume.path, credentialsOut)),
        );
      }
      // The ops endpoint inside the container is the image's port.
      expect(
        s.ports!.every((p) => p.endsWith(`:${OPS_DEFAULT_PORT}`)),
        name,
      ).toBe(true);
      expect(Object.keys(s.depends_on ?? {})).toEqual(expect.arrayContaining(['sandbox', 'samples']));
    }
    const hostPorts = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('the samples job creates the topics and publishes the samples of every source', () => {
    const job = services.samples!;
    expect(job.image).toBe(image);
    const script = job.command!.join(' ');
    const erps = /for erp in ([a-z0-9 ]+); do/.exec(script)![1]!.trim().split(/\s+/);
    expect(erps.map((e) => `${e}.yaml`).sort()).toEqual(
      readdirSync(join(ROOT, 'config/local'))
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
    );
    for (const [, sub] of script.matchAll(
      /node \/app\/bin\/irp-bridge\.mjs (\S+) --config \/app\/config\/local\/\$\$erp\.yaml/g,
    ))
      expect(commands.has(sub!), sub).toBe(true);
    expect(script).toContain('produce --config /app/config/local/$$erp.yaml --register');
    expect(commands.get('produce')!.options.map((o) => o.long)).toContain('--register');
    for (const k of Object.keys(job.environment!)) expect(CODE_ENV.has(k), k).toBe(true);
  });
});

// --- Kubernetes -------------------------------------------------------------------------------------------

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [k: string]: unknown;
}

describe('deploy/k8s', () => {
  const dir = 'deploy/k8s';
  const objects: K8sObject[] = readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(read(join(dir, f))).map((d) => d.toJS() as K8sObject));
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployment = byKind('Deployment')[0] as K8sObject & {
    spec: {
      template: {
        metadata: { labels: Record<string, string> };
        spec: {
          terminationGracePeriodSeconds: number;
          containers: {
            image: string;
            args: string[];
            env: { name: string; value: string }[];
            ports: { name: string; containerPort: number }[];
            startupProbe: { httpGet: { path: string; port: string } };
            livenessProbe: { httpGet: { path: string; port: string } };
            readinessProbe: { httpGet: { path: string; port: string } };
            volumeMounts: { name: string; mountPath: string }[];
          }[];
          volumes: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[];
        };
      };
    };
  };
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0]!;

  it('kustomization lists files that exist', () => {
    const k = parse(read(join(dir, 'kustomization.yaml'))) as { resources: string[] };
    for (const r of k.resources) expect(existsSync(join(ROOT, dir, r)), r).toBe(true);
    expect(k.resources).not.toContain('secrets.example.yaml');
  });

  it('the Deployment runs this version with a config from its ConfigMap whose every file is a mounted Secret key', () => {
    expect(container.image).toBe(`irp-bridge:${pkg.version}`);
    expect(container.args.slice(0, 2)).toEqual(['run', '--config']);
    expect(commands.has(container.args[0]!)).toBe(true);
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    for (const k of Object.keys(env)) expect(CODE_ENV.has(k), k).toBe(true);
    const volumeAt = (path: string) => {
      const mount = container.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`));
      if (!mount) return undefined;
      return {
        key: path.slice(mount.mountPath.length + 1),
        volume: pod.volumes.find((v) => v.name === mount.name)!,
      };
    };
    const configAt = volumeAt(container.args[2]!)!;
    const configMap = byKind('ConfigMap').find((c) => c.metadata.name === configAt.volume.configMap?.name) as
      (K8sObject & { data: Record<string, string> }) | undefined;
    expect(configMap).toBeDefined();
    const text = configMap!.data[configAt.key]!;
    const { config } = parseSourceConfig(text, 'configmap', env);
    expect(config.kafka.brokers).toEqual([env.IRP_BRIDGE_BROKERS]);
    const secrets = byKind('Secret') as (K8sObject & { stringData: Record<string, string> })[];
    const files = pathsOf(config);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const at = volumeAt(f);
      expect(at, f).toBeDefined();
      const secret = secrets.find((s) => s.metadata.name === at!.volume.secret?.secretName);
      expect(secret, `${f}: volume ${at!.volume.name} is not a Secret of secrets.example.yaml`).toBeDefined();
      expect(Object.keys(secret!.stringData), f).toContain(at!.key);
    }
  });

  it('probes, ports and graceful termination agree with the ops endpoint', () => {
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    const port = container.ports.find((p) => p.name === 'metrics')!;
    expect(port.containerPort).toBe(Number(env.IRP_BRIDGE_HTTP_PORT));
    expect(env.IRP_BRIDGE_HTTP_HOST).toBe('0.0.0.0');
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(OPS_ROUTES).toContain(probe.httpGet.path);
      expect(probe.httpGet.port).toBe('metrics');
    }
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
  });

  it('the Service and the ServiceMonitor select these pods and scrape /metrics', () => {
    const podLabels = deployment.spec.template.metadata.labels;
    const service = byKind('Service')[0] as K8sObject & {
      spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] };
    };
    for (const [k, v] of Object.entries(service.spec.selector)) expect(podLabels[k]).toBe(v);
    expect(service.spec.ports[0]!.targetPort).toBe('metrics');
    const monitor = byKind('ServiceMonitor')[0] as K8sObject & {
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      };
    };
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels))
      expect(service.metadata.labels![k]).toBe(v);
    expect(monitor.spec.endpoints[0]!.port).toBe(service.spec.ports[0]!.name);
    expect(OPS_ROUTES).toContain(monitor.spec.endpoints[0]!.path);
  });

  it('the PrometheusRule carries exactly the alert rules of deploy/prometheus/alerts.yaml', () => {
    const rule = byKind('PrometheusRule')[0] as K8sObject & { spec: { groups: unknown } };
    expect(rule.spec.groups).toEqual(
      (parse(read('deploy/prometheus/alerts.yaml')) as { groups: unknown }).groups,
    );
  });
});
