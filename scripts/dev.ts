// `npm run dev`: the whole product on one machine with zero configuration. Opens the database once
// (embedded unless DATABASE_URL is set), then runs the web server under `remix dev` (rebuilds on save)
// and the worker under `tsx watch`, and stops everything on Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { prepareDatabase } from "~/db/setup.server";

const database = await prepareDatabase();
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: "development" };
const bin = (name: string) => `node_modules/.bin/${name}`;

const children: ChildProcess[] = [
  spawn(bin("remix"), ["dev", "--manual", "-c", `${bin("tsx")} app/server.ts`], { stdio: "inherit", env }),
  spawn(bin("tsx"), ["watch", "--clear-screen=false", "worker/index.ts"], {
    stdio: "inherit",
    env: { ...env, MARKM8_PROCESS: "worker" },
  }),
];

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  await database.stop();
  process.exit(code);
}
for (const child of children) child.on("exit", (code) => void stop(code ?? 1));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
