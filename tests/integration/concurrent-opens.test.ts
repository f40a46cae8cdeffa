import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

// PGlite runs one transaction at a time: the lock order only matters on PostgreSQL.
describe.skipIf(!process.env.TEST_DATABASE_URL)("groups started at once with some of the same people", () => {
  let server: TestServer;
  let people: SignedInUser[];

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    people = [];
    for (let i = 0; i < 8; i++) people.push(await signUpAndSignIn(server.url, { name: `Person ${i}` }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("all open, none failing on the other's locks", async () => {
    // Each opener names the same two people in the other order than the next opener: every membership
    // is a change in that person's own stream, locked until the opening commits.
    const [p, q, ...openers] = people as [SignedInUser, SignedInUser, ...SignedInUser[]];
    for (let round = 0; round < 5; round++) {
      const statuses = await Promise.all(
        openers.map(async (opener, i) => {
          const others = i % 2 === 0 ? [p, q] : [q, p];
          // A different third person each round, so every round starts new groups.
          const third = openers[(i + round + 1) % openers.length]!;
          const userIds = [...others, third].map((x) => x.user.id).filter((id) => id !== opener.user.id);
          const res = await api(server.url, opener.cookie).post("/api/conversations/direct", { userIds });
          return res.status;
        }),
      );
      expect(
        statuses.every((s) => s === 200 || s === 201),
        `round ${round}: ${statuses.join(", ")}`,
      ).toBe(true);
    }
  });
});
