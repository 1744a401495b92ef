# metagent's two images, from one build (the TypeScript is compiled once, the production dependencies installed once):
#   --target control-plane (the default, last stage): admission webhooks, Metacontroller sync hooks, the Kubernetes
#       MCP tool server; the command picks the role:
#         metagent webhooks --port 9443 --tls-cert /tls/tls.crt --tls-key /tls/tls.key
#         metagent sync-hooks --port 8080
#         metagent toolserver --port 8084
#         metagent dashboard --in-cluster ...   (the web UI; it serves dist/dashboard-web, built here by vite)
#   --target runtime: the agent runtime every Agent's Deployment runs. It reads kagent's config.json and
#       agent-card.json from the Secret mounted at /config and serves the agent over A2A on :8080.
#
# `npm run image` builds both (scripts/image.sh: tags from package.json's version, OCI labels). By hand, from the
# repository root:
#   buildah bud --isolation chroot --target runtime -t metagent-runtime .
#   buildah bud --isolation chroot --target control-plane -t metagent .
#   (docker build --target ... works the same)
# NODE_IMAGE may point at a mirror (e.g. --build-arg NODE_IMAGE=registry.example.com/library/node:24-slim).
# Node 24 is the current LTS line. test/runtime/image-node.test.ts reads the major below and runs the compiled
# runtime on it, because Node's HTTP internals differ between majors.
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
# `npm run build`: the TypeScript and the dashboard's web app (dist/dashboard-web), which only the control-plane
# image carries (moved aside so that the runtime image's dist/ stays without it).
RUN npm run build && mv dist/dashboard-web /src/dashboard-web

# ---- prod-deps: production dependencies only, stripped of what Node never loads (types, sources, maps, docs)
FROM ${NODE_IMAGE} AS prod-deps
ARG NODE_EXTRA_CA_CERTS
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.md' -o -name '*.markdown' \) -delete \
 && npm cache clean --force

# ---- what both images hold: the compiled code, its production dependencies, the one bin, an unprivileged user
FROM ${NODE_IMAGE} AS app
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.source="https://github.com/metagent/metagent" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="metagent"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
# bin/metagent.js runs dist/ when the TypeScript sources are absent, as they are here.
COPY bin/metagent.js ./bin/metagent.js
# The node images' unprivileged user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000

# ---- the agent runtime image
FROM app AS runtime
LABEL org.opencontainers.image.title="metagent-runtime" \
      org.opencontainers.image.description="metagent's agent runtime: serves a kagent v1alpha2 Agent over A2A"
EXPOSE 8080
ENTRYPOINT ["node", "bin/metagent.js", "runtime", "--filepath", "/config"]
# kagent's Deployments pass "--host 0.0.0.0 --port 8080 --filepath /config" as args, which replace these defaults.
CMD ["--host", "0.0.0.0", "--port", "8080"]

# ---- the control-plane image (last: the default target)
FROM app AS control-plane
LABEL org.opencontainers.image.title="metagent" \
      org.opencontainers.image.description="metagent's control plane: admission webhooks, Metacontroller sync hooks, Kubernetes MCP tool server, web UI"
COPY --from=build /src/dashboard-web ./dist/dashboard-web
EXPOSE 8080 9443
ENTRYPOINT ["node", "bin/metagent.js"]
CMD ["--help"]
