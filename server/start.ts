import "./require-node";
import { ensureNextBuild } from "./next-build";

// `npm start`: production mode, building first when the build is missing or stale.
// NODE_ENV is set before Next is imported, hence the dynamic import.
Object.assign(process.env, { NODE_ENV: "production" });
ensureNextBuild();
const { runUntilSignal, startServer } = await import("./index");
runUntilSignal(() => startServer({ dev: false }));
