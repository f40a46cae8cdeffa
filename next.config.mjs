/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules at run time: native or WebAssembly code that bundling would break.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
};

export default nextConfig;
