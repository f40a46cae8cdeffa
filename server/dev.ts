import "./require-node";
import { runUntilSignal, startServer } from "./index";

// `npm run dev`: Next in development mode (hot reload) on the same custom server.
runUntilSignal(() => startServer({ dev: true }));
