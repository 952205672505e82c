// Bundles the process entries (web server, worker) and the operator commands (migrate, staff-add) next
// to the Remix build, resolving the `~/` alias, so production runs plain `node build/<name>.js`.
import { build } from "esbuild";

await build({
  entryPoints: { server: "app/server.ts", worker: "worker/index.ts", migrate: "scripts/migrate.ts", "staff-add": "scripts/staff-add.ts" },
  outdir: "build",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  // Some bundled CommonJS helpers call require(); give ESM output one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
