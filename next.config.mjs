/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project (tests and benchmarks too) in CI; the build
  // that `npm start` runs on a user's machine need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Loaded from node_modules at run time: native or WebAssembly code that bundling would break.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
};

export default nextConfig;
