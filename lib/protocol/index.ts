export * from "./changes";
export * from "./conversations";
export * from "./errors";
export * from "./events";
export * from "./link-previews";
export * from "./messages";
export * from "./users";
export * from "./json-bytes";
