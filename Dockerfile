# syntax=docker/dockerfile:1
# Emporium's production image. Build: `docker build -t emporium .`
# Run: `docker run emporium` (serve), or `worker`, `migrate up`, `start` as the command.
# The image runs the esbuild output directly (no tsx, no dev dependencies, no build at start).

ARG NODE_IMAGE=node:20-bookworm-slim

# Every dependency, for the build. --ignore-scripts: the prepare script would build the dashboard,
# which needs the sources (the admin stage builds it); no dependency needs an install script.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# src/ transpiled by scripts/start.mjs (the same build `npm start` uses), moved to /app/build.
FROM deps AS build
COPY scripts ./scripts
COPY src ./src
RUN node scripts/start.mjs --build > /tmp/build-dir && mv "$(cat /tmp/build-dir)" /app/build

# The staff dashboard (admin/dist), typed against the OpenAPI document of the src/ just copied.
FROM build AS admin
COPY .prettierrc.json ./
COPY admin ./admin
RUN npm run admin:build

# Production dependencies only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/build ./dist
# Served at /admin: the process looks for admin/dist under its working directory.
COPY --from=admin /app/admin/dist ./admin/dist
# The only folder the process may write to (mail files when SMTP_URL is unset, the embedded
# database when DATABASE_URL is unset); everything else stays owned by root.
RUN mkdir -p /app/data && chown node:node /app/data
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]
