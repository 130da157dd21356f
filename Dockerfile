# Settlement service image: the API (ROLE=api) and the workers (ROLE=worker) run from it.
# TypeScript is run directly with tsx, as `npm start` / `npm run worker` do; there is no build step.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app

# Dependencies first, so source changes do not invalidate this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
# DATA_DIR (./data): only used when secrets or DATABASE_URL are not configured.
RUN mkdir -p /app/data && chown node:node /app/data

USER node

EXPOSE 3000

# Liveness of the HTTP API. The worker has no HTTP listener: docker-compose.yml disables this check for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

# Same as `npm start` (tsx src/main.ts), without npm and sh in between: npm's `sh -c` does not pass
# SIGTERM on, so under `npm start` a `docker stop` would kill the process instead of letting it
# finish in-flight requests and jobs. tsx forwards signals to the Node process it starts.
CMD ["/app/node_modules/.bin/tsx", "src/main.ts"]
