# syntax=docker/dockerfile:1
# irp-bridge container image: the compiled connector and IRP sandbox, production dependencies only.
# docs/deployment.md; test/unit/deploy/deploy.test.ts checks this file against the code (no Docker
# engine runs on the development machines).
#
#   docker build -t irp-bridge:0.1.0 .
#   docker run --rm -v "$PWD/my-source.yaml:/config/source.yaml:ro" -p 9464:9464 irp-bridge:0.1.0
#   docker run --rm -v "$PWD/out:/work/out" irp-bridge:0.1.0 demo          # writes /work/out/demo
#   docker run --rm -p 8080:8080 irp-bridge:0.1.0 sandbox --db :memory:     # listens on 0.0.0.0:8080
#   docker compose -f deploy/compose/docker-compose.yml up                   # the whole local trial
#
# The CLI (bin/irp-bridge.mjs) runs dist/ because IRP_BRIDGE_USE_DIST is set and no src/ is shipped.

ARG NODE_IMAGE=node:22-bookworm-slim

# Native modules (better-sqlite3 for the sandbox; @confluentinc/kafka-javascript, optional, for the
# librdkafka adapter) compile here, once, where the tool chain is; the runtime image gets only their output.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libzstd-dev liblz4-dev libsasl2-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
ENV CKJS_LINKING=dynamic

# --- production dependencies, built once, then stripped of their build trees ---------------------------
FROM toolchain AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/docker/prune-native.sh /usr/local/bin/prune-native
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && sh /usr/local/bin/prune-native node_modules

# --- build: TypeScript -> dist/src/... and dist/connectors/... ----------------------------------------
# Its own dev dependencies (TypeScript) install with --ignore-scripts: nothing native is built twice.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# .dockerignore lets in only what the build and the image need (no tests, no .git, no caches).
COPY . .
# The connectors' sample events (for `demo` and `produce`) keep their folders under samples-out/.
RUN npm run build \
 && mkdir -p samples-out \
 && cp -r --parents connectors/*/samples samples-out/

# --- runtime: production dependencies, compiled code and the data files read at run time --------------
FROM ${NODE_IMAGE} AS runtime
# Shared libraries the dynamically linked librdkafka needs at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsasl2-2 liblz4-1 libzstd1 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    IRP_BRIDGE_USE_DIST=1 \
    IRP_BRIDGE_HTTP_HOST=0.0.0.0 \
    IRP_BRIDGE_HTTP_PORT=9464 \
    IRP_SANDBOX_HOST=0.0.0.0 \
    KAFKAJS_NO_PARTITIONER_WARNING=1
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
# Owned by root and read-only to the app: the process runs as `node` and writes nowhere in /app.
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/avro ./avro
COPY --from=build /app/config ./config
COPY --from=build /app/data ./data
COPY --from=build /app/samples-out/connectors ./connectors
# Writable places: /work is the working directory (demo's out/demo, the sandbox's .irp-bridge/sandbox.db:
# mount a volume there to keep them); /app/.irp-bridge is where config/local/*.yaml look for the sandbox's
# credentials file (docker compose shares it between the sandbox and the sources as a volume).
RUN mkdir -p /work /app/.irp-bridge && chown node:node /work /app/.irp-bridge

USER node
WORKDIR /work
EXPOSE 9464 8080
# No curl in the slim image: Node's own fetch asks the ops endpoint of `run` on the configured port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.IRP_BRIDGE_HTTP_PORT || '9464') + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/irp-bridge.mjs"]
CMD ["run", "--config", "/config/source.yaml"]
