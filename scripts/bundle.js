// Bundles the two process entries (web server and worker) next to the Remix build, resolving the `~/`
// alias, so production runs plain `node build/server.js` and `node build/worker.js`.
import { build } from "esbuild";

await build({
  entryPoints: { server: "app/server.ts", worker: "worker/index.ts" },
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
