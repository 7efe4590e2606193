# syntax=docker/dockerfile:1
# irp-bridge container image: the compiled connector and IRP sandbox, production dependencies only.
#
#   docker build -t irp-bridge .
#   docker run --rm -v "$PWD/config:/config:ro" -p 9464:9464 irp-bridge            # run --config /config/source.yaml
#   docker run --rm irp-bridge demo                                                 # any other sub-command
#
# The CLI (bin/irp-bridge.mjs) runs dist/ because IRP_BRIDGE_USE_DIST is set and no src/ is shipped.

# Native modules (better-sqlite3 for the sandbox; @confluentinc/kafka-javascript, optional, for the
# librdkafka adapter) compile here, where the tool chain is; the runtime image gets only their output.
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libzstd-dev liblz4-dev libsasl2-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
ENV CKJS_LINKING=dynamic

# --- production dependencies only -------------------------------------------------------------------
FROM toolchain AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- build: full dependencies, TypeScript -> dist/src/... and dist/connectors/... ---------------------
FROM toolchain AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore lets in only what the build and the image need (no tests, no .git, no caches).
COPY . .
# Folders that may still be empty (git keeps no empty folder) are made, so the COPYs below never fail.
RUN npm run build && mkdir -p avro config data

# --- runtime: production dependencies, compiled code and the data files read at run time --------------
FROM node:20-bookworm-slim AS runtime
# Shared libraries the dynamically linked librdkafka needs at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsasl2-2 liblz4-1 libzstd1 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    IRP_BRIDGE_USE_DIST=1 \
    IRP_BRIDGE_HTTP_HOST=0.0.0.0 \
    IRP_BRIDGE_HTTP_PORT=9464
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
# Owned by root and read-only to the app: the process runs as `node` and writes nowhere in /app.
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/avro ./avro
COPY --from=build /app/config ./config
COPY --from=build /app/data ./data

USER node
EXPOSE 9464
# No curl in the slim image: Node's own fetch asks the health endpoint on the configured port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.IRP_BRIDGE_HTTP_PORT || '9464') + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/irp-bridge.mjs"]
CMD ["run", "--config", "/config/source.yaml"]
