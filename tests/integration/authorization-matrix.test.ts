import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { actions, decide, type Target } from "@/lib/policy/rules";
import { clientEvents } from "@/server/realtime/handle-events";
import { apiRouteKeys } from "../helpers/app-routes";
import { api, type ApiResponse, type SignedInUser } from "../helpers/http";
import { captureChanges, connectionRefusal, emitUntypedWithAck, type ClientSocket } from "../helpers/socket";
import {
  actorKinds,
  isLocked,
  meaningless,
  startsAsMember,
  statusOf,
  targetKinds,
  verdict,
  type ActorKind,
  type TargetKind,
} from "../authorization/expected";
import { eventRows, routeRows, type Ctx, type EventCase, type HttpCase } from "../authorization/rows";
import { createWorld, needsFreshFixture, type World } from "../authorization/world";

/**
 * Every HTTP route under app/api and every client socket event, called by
 * every kind of caller about every kind of conversation, against the answers
 * of tests/authorization/expected.ts. The rows are in tests/authorization/rows.ts;
 * a route or event without one fails the first test.
 */
describe("the authorization matrix", () => {
  let world: World;
  const counts = { cases: 0, meaningless: 0 };

  beforeAll(async () => {
    world = await createWorld();
  }, 300_000);
  afterAll(async () => {
    console.log(`authorization matrix: ${counts.cases} cases run, ${counts.meaningless} combinations meaningless`);
    await world?.close();
  });

  it("has a row for every route and event, and none for one that does not exist", () => {
    expect(Object.keys(routeRows).sort()).toEqual(apiRouteKeys());
    expect(Object.keys(eventRows).sort()).toEqual(Object.keys(clientEvents).sort());
    for (const cases of [...Object.values(routeRows), ...Object.values(eventRows)]) {
      expect(cases.length).toBeGreaterThan(0);
    }
  });

  it("expects what lib/policy/rules.ts decides, for every verb", () => {
    const disagreements: string[] = [];
    for (const target of targetKinds) {
      for (const actor of actorKinds.filter((a) => !isLocked(a) && !meaningless(a, target))) {
        for (const action of actions) {
          const ours = verdict(actor, target, action);
          const theirs = decide(rulesActor(actor, target), action, rulesTarget(actor, target));
          const [a, b] = [ours.allowed ? "allowed" : ours.refusal, theirs.allowed ? "allowed" : theirs.code];
          if (a !== b) disagreements.push(`${actor} × ${target} × ${action}: expected ${a}, rules say ${b}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  /** Runs a case for every actor, the targets side by side; returns every mismatch found. */
  async function runMatrix(
    kase: HttpCase | EventCase,
    call: (c: Ctx, expected: Exclude<ReturnType<HttpCase["expect"]>, "meaningless">) => Promise<void>,
  ): Promise<string[]> {
    const problems: string[] = [];
    const targets = kase.perTarget ? targetKinds : [null];
    await Promise.all(
      targets.map(async (target) => {
        for (const actor of actorKinds) {
          const expected = kase.expect(actor, target);
          if (expected === "meaningless") {
            counts.meaningless += 1;
            continue;
          }
          counts.cases += 1;
          try {
            const fixture = target
              ? await (needsFreshFixture(actor, kase.mutates) ? world.fresh(target) : world.shared(target))
              : null;
            const c: Ctx = { world, actor, target, fixture, caller: world.callerFor(actor, fixture), tag: tag() };
            if (kase.setup) Object.assign(c, await kase.setup(c));
            const before = fixture && kase.mutates ? await world.snapshot(fixture) : null;
            await call(c, expected);
            if (before && fixture) {
              const after = await world.snapshot(fixture);
              const wanted = expected.allowed && kase.effect ? kase.effect(before, c) : before;
              expect(after, expected.allowed ? "the change made" : "a refused call changes nothing").toEqual(wanted);
            }
          } catch (error) {
            problems.push(
              `${actor} × ${target ?? "(no target)"}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }),
    );
    return problems;
  }

  for (const [key, cases] of Object.entries(routeRows)) {
    const [method, route] = key.split(" ") as [string, string];
    for (const kase of cases) {
      it(`${key}: ${kase.label}`, async () => {
        const problems = await runMatrix(kase, async (c, expected) => {
          const res = await request(world, method, kase, c);
          if (expected.allowed) {
            expect(res.status, `allowed; body ${JSON.stringify(res.body)}`).toBe(kase.status);
            await kase.verify?.(res.body, c);
            return;
          }
          expectRefusal(res, expected.refusal);
          // Not found means exactly what an id that names nothing gets.
          if (expected.refusal === "not_found" && c.fixture && route.includes("[id]")) {
            const unknown = await request(world, method, kase, { ...c, fixture: { ...c.fixture, id: randomUUID() } });
            expect({ status: unknown.status, body: unknown.body }, "the same answer as for an unknown id").toEqual({
              status: res.status,
              body: res.body,
            });
          }
        });
        expect(problems).toEqual([]);
      }, 600_000);
    }
  }

  for (const [event, cases] of Object.entries(eventRows)) {
    for (const kase of cases) {
      it(`${event}: ${kase.label}`, async () => {
        const problems = await runMatrix(kase, async (c, expected) => {
          if (isLocked(c.actor)) {
            expect(expected).toEqual({ allowed: false, refusal: "unauthorized" });
            const refusal = await connectionRefusal(world.server.url, c.caller?.cookie);
            expect(refusal.message, "a refused handshake").toBe("unauthorized");
            return;
          }
          const socket = await world.socketOf(c.caller!);
          const ack = (await emitUntypedWithAck(socket, event, [kase.payload(c)])) as {
            ok: boolean;
            data?: unknown;
            error?: { code: string; message: string };
          };
          if (expected.allowed) {
            expect(ack, "allowed").toMatchObject({ ok: true });
            await kase.verify?.(ack.data, c);
            return;
          }
          expect(ack, "refused").toMatchObject({ ok: false, error: { code: expected.refusal } });
          if (expected.refusal === "not_found" && c.fixture) {
            const unknown = await emitUntypedWithAck(socket, event, [
              kase.payload({ ...c, fixture: { ...c.fixture, id: randomUUID() } }),
            ]);
            expect(unknown, "the same answer as for an unknown id").toEqual(ack);
          }
        });
        expect(problems).toEqual([]);
      }, 600_000);
    }
  }

  describe("live events", () => {
    const hidden = ["privateChannel", "othersDm", "othersGroup"] as const satisfies TargetKind[];

    it.each(hidden)(
      "reach the members of a %s, and no outsider or removed member",
      async (target) => {
        const fixture = await world.fresh(target);
        const { creator, member, witness } = fixture;
        const channel = target === "privateChannel";
        // In a channel the member is removed first; a DM or group keeps its people, so its member receives.
        const receiver = channel ? witness! : member;
        const outsiders: SignedInUser[] = [fixture.outsider!, world.admin, ...(channel ? [member] : [])];
        const creatorSocket = await world.socketOf(creator);
        const receiverSocket = await world.socketOf(receiver);
        const outsiderSockets = await Promise.all(outsiders.map((o) => world.socketOf(o)));
        if (channel) {
          const removed = captureChanges(outsiderSockets.at(-1)!, "membership");
          const res = await api(world.server.url, creator.cookie).request(
            "DELETE",
            `/api/conversations/${fixture.id}/members/${member.user.id}`,
          );
          expect(res.status).toBe(204);
          await removed.waitFor(1);
        }
        const overheard = outsiderSockets.map((s) => mentionsOf(s, fixture.id));
        const heard = mentionsOf(receiverSocket, fixture.id);

        const text = `live ${tag()}`;
        const sent = await emitUntypedWithAck(creatorSocket, "message:send", [
          { conversationId: fixture.id, clientMessageId: randomUUID(), text },
        ]);
        expect(sent).toMatchObject({ ok: true });
        const expectedKinds = ["messages:new"];
        if (channel) {
          const caller = api(world.server.url, creator.cookie);
          const res = await caller.request("PATCH", `/api/conversations/${fixture.id}`, { json: { topic: text } });
          expect(res.status).toBe(200);
          const added = await caller.post(`/api/conversations/${fixture.id}/members`, {
            userIds: [fixture.newcomer.user.id],
          });
          expect(added.status).toBe(200);
          expectedKinds.push("changes");
        }

        // The receiver hears all of it, so that the outsiders' silence below means something.
        await expect
          .poll(() => [...new Set(heard.events.map((e) => e.event))].sort(), { timeout: 10_000 })
          .toEqual(expectedKinds.sort());
        expect(JSON.stringify(heard.events)).toContain(text);
        await new Promise((resolve) => setTimeout(resolve, 500));
        heard.stop();
        overheard.forEach((o, i) => {
          o.stop();
          expect(o.events, `${outsiders[i]!.user.id} overheard`).toEqual([]);
        });
      },
      60_000,
    );
  });
});

const tag = () => randomUUID().slice(0, 8);

async function request(world: World, method: string, kase: HttpCase, c: Ctx): Promise<ApiResponse> {
  const { path, json, form } = kase.request(c);
  const caller = api(world.server.url, c.caller?.cookie);
  if (form) {
    return caller.request(method, path, {
      body: new URLSearchParams(form).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }
  return caller.request(method, path, json === undefined ? {} : { json });
}

function expectRefusal(res: ApiResponse, refusal: "unauthorized" | "forbidden" | "not_found"): void {
  expect(res.status, `refused as ${refusal}; body ${JSON.stringify(res.body)}`).toBe(statusOf[refusal]);
  expect(res.body).toMatchObject({ error: { code: refusal, message: expect.any(String) } });
}

/** Every messages:new and changes event a socket receives that mentions the conversation. */
function mentionsOf(socket: ClientSocket, conversationId: string) {
  const events: { event: string; payload: unknown }[] = [];
  const untyped = socket as unknown as Socket;
  const listeners = (["messages:new", "changes"] as const).map((event) => {
    const listener = (payload: unknown) => {
      if (JSON.stringify(payload).includes(conversationId)) events.push({ event, payload });
    };
    untyped.on(event, listener);
    return () => untyped.off(event, listener);
  });
  return { events, stop: () => listeners.forEach((off) => off()) };
}

/** The rules' view of an actor kind: only the admin has the admin role (and made #general). */
function rulesActor(actor: ActorKind, target: TargetKind): { id: string; role: "admin" | "member" } {
  const admin = actor === "admin" || (actor === "creator" && target === "general");
  return { id: admin ? "admin" : actor, role: admin ? "admin" : "member" };
}

function rulesTarget(actor: ActorKind, target: TargetKind): Target {
  const channel = !["othersDm", "othersGroup"].includes(target);
  return {
    kind: target === "othersDm" ? "dm" : target === "othersGroup" ? "group" : "channel",
    name: channel ? target.toLowerCase() : null,
    isPrivate: target === "privateChannel",
    archived: target === "archivedChannel",
    isDefault: target === "general",
    createdBy: target === "general" ? "admin" : "creator",
    isMember: startsAsMember(actor, target),
    thread: false,
  };
}
