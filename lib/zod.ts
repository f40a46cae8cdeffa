import { z } from "zod";

/**
 * zod compiles parsers with `new Function` when it can, and finds out by
 * trying: in the browser, under Parley's Content-Security-Policy (no
 * 'unsafe-eval'), that probe is refused and reported as a violation. Browsers
 * parse little, so there it skips compiling; the server keeps it. Every module
 * of lib/ takes z from here, so that this runs before any schema is built.
 */
if (typeof window !== "undefined") z.config({ jitless: true });

export { z };
