# The metagent control-plane image: admission webhooks, Metacontroller sync hooks and the Kubernetes MCP tool server.
# One image; the command picks the role:
#   metagent webhooks --port 9443 --tls-cert /tls/tls.crt --tls-key /tls/tls.key
#   metagent sync-hooks --port 8080
#   metagent toolserver --port 8084
# The agent runtime has its own image: runtime/Dockerfile.
#
# Build from the repository root:
#   docker build -t metagent .
#   buildah bud --isolation chroot -t metagent .
ARG NODE_IMAGE=node:24-slim

# ---- build: all dependencies, compile TypeScript to dist/
FROM ${NODE_IMAGE} AS build
# Only for building behind a TLS-intercepting proxy: the path of its CA bundle, mounted into the build
# (buildah: -v /etc/ssl/certs/ca-certificates.crt:/tmp/ca.crt:ro --build-arg NODE_EXTRA_CA_CERTS=/tmp/ca.crt).
ARG NODE_EXTRA_CA_CERTS
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.json

# ---- prod-deps: production dependencies only, stripped of what Node never loads (types, sources, maps, docs)
FROM ${NODE_IMAGE} AS prod-deps
ARG NODE_EXTRA_CA_CERTS
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.md' -o -name '*.markdown' \) -delete \
 && find node_modules/sql.js/dist -type f ! -name 'sql-wasm.js' ! -name 'sql-wasm.wasm' -delete \
 && npm cache clean --force

# ---- the image
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin/metagent.js ./bin/metagent.js
# The node images' unprivileged user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080 9443
ENTRYPOINT ["node", "bin/metagent.js"]
CMD ["--help"]
