import type { BenchDatabase, SeededUser } from "./seed";
import type { ClientSpec } from "./protocol";

export type BenchContext = {
  quick: boolean;
  log: (line: string) => void;
};

/** The same clients for both sides: Parley reads the cookie, the baseline the rooms. */
export function clientSpecs(users: SeededUser[], roomsOfUser: string[][]): ClientSpec[] {
  return users.map((user, i) => ({ cookie: user.cookie, userId: user.id, rooms: roomsOfUser[i] ?? [] }));
}

/** Inverts room membership lists into each user's rooms. */
export function roomsByUser(userCount: number, roomIds: string[], memberLists: number[][]): string[][] {
  const rooms: string[][] = Array.from({ length: userCount }, () => []);
  memberLists.forEach((members, r) => members.forEach((u) => rooms[u]!.push(roomIds[r]!)));
  return rooms;
}

export type { BenchDatabase };
