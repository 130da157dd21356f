# Settlement service image: the API (ROLE=api) and the workers (ROLE=worker) run from it.
# The TypeScript is compiled in a build stage (`npm run build` → dist/); the image runs plain
# JavaScript with node (`npm run start:prod` / `npm run worker:prod`): no on-the-fly TypeScript
# loader at run time, so less memory and faster request handling than `npm start` (tsx).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY migrations ./migrations
# The client types generated from the contract (openapi/openapi.d.ts), used by src/vectors.
COPY openapi ./openapi
RUN npm run build

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app

# Dependencies first, so source changes do not invalidate this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Only the compiled service (src, workers, migrations; with source maps for stack traces).
COPY --from=build --chown=node:node /app/dist ./dist
# DATA_DIR (./data): only used when secrets or DATABASE_URL are not configured.
RUN mkdir -p /app/data && chown node:node /app/data

USER node

EXPOSE 3000

# Liveness of the HTTP API. The worker has no HTTP listener: docker-compose.yml disables this check for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

# = `npm run start:prod`, without npm in between: the service itself is PID 1 and gets `docker
# stop`'s SIGTERM directly, finishing in-flight requests and jobs (and no npm process costs
# memory). Migrations are applied at start (compiled into dist/migrations).
# CLI tools run the same way, e.g. `docker compose run --rm api node dist/src/cli/create-key.js --print-only`.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
