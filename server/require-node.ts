/**
 * Imported first by `npm start` and `npm run dev`: Parley and several of its
 * dependencies need the current LTS, and an older Node would start and then
 * fail in ways that do not say why. npm only warns about `engines`.
 */
export const REQUIRED_NODE_MAJOR = 24;

const major = Number(process.versions.node.split(".")[0]);
if (major < REQUIRED_NODE_MAJOR) {
  console.error(
    [
      `Parley needs Node.js ${REQUIRED_NODE_MAJOR} or newer, and this is Node.js ${process.versions.node}.`,
      `Install Node.js ${REQUIRED_NODE_MAJOR} (the current LTS) from https://nodejs.org or with a version manager`,
      `(for example \`nvm install ${REQUIRED_NODE_MAJOR}\` or \`fnm install ${REQUIRED_NODE_MAJOR}\`), then run npm install and npm start again.`,
    ].join("\n"),
  );
  process.exit(1);
}
