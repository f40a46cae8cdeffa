import { describe, expect, it } from "vitest";
import { isStatementError } from "@/server/db/errors";

const pgError = (code: string) => Object.assign(new Error("refused"), { code });

describe("isStatementError", () => {
  it.each(["22P02", "23505", "P0001", "54000", "40P01", "42501"])("blames the statement for SQLSTATE %s", (code) => {
    expect(isStatementError(pgError(code))).toBe(true);
    expect(isStatementError(new Error("wrapped", { cause: pgError(code) }))).toBe(true);
  });

  it.each(["08006", "53300", "57P01", "58030", "XX000"])("blames the server for SQLSTATE %s", (code) => {
    expect(isStatementError(pgError(code))).toBe(false);
  });

  it.each([
    ["a driver error", pgError("CONNECTION_CLOSED")],
    ["a socket error", pgError("ECONNREFUSED")],
    ["an error without a code", new Error("timeout")],
    ["something not an Error", "boom"],
  ])("blames the connection for %s", (_, error) => {
    expect(isStatementError(error)).toBe(false);
  });
});
