# MarkM8: one image, two services. The web service runs the default command; the worker runs
# `node build/worker.js` (see railway.toml and .config/railway.worker.toml).

# --- build: every dependency, the Prisma client, the Remix build and the two bundled entries ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY .config ./.config
COPY prisma ./prisma
RUN npm ci --ignore-scripts && npm rebuild esbuild
COPY . .
RUN npx prisma generate && npm run build

# --- production dependencies only ---
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Install scripts are not needed here: the Prisma client is already generated into the build, and
# the embedded PostgreSQL is for machines without DATABASE_URL, never for this image.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# --- the image ---
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./build
COPY --from=build --chown=node:node /app/public ./public
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node .config ./.config
COPY --chown=node:node prisma ./prisma
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "build/server.js"]
