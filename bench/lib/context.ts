import { seedChannels, seedUsers, type BenchDatabase, type SeededUser } from "./seed";
import { roomLayout } from "./targets";
import type { ClientSpec } from "./protocol";

export type BenchContext = {
  quick: boolean;
  log: (line: string) => void;
};

/** A client before it is pointed at a server. */
export type UserClient = Omit<ClientSpec, "url">;

/** The same clients for both sides: Parley reads the cookie, the baseline the rooms. */
export function clientSpecs(users: SeededUser[], roomsOfUser: string[][]): UserClient[] {
  return users.map((user, i) => ({ cookie: user.cookie, userId: user.id, rooms: roomsOfUser[i] ?? [] }));
}

/** Points every client at one server, or spreads them over several by index. */
export function at(clients: UserClient[], ...urls: string[]): ClientSpec[] {
  return clients.map((c, i) => ({ ...c, url: urls[i % urls.length]! }));
}

/** Inverts room membership lists into each user's rooms. */
function roomsByUser(userCount: number, roomIds: string[], memberLists: number[][]): string[][] {
  const rooms: string[][] = Array.from({ length: userCount }, () => []);
  memberLists.forEach((members, r) => members.forEach((u) => rooms[u]!.push(roomIds[r]!)));
  return rooms;
}

/**
 * `people` users in rooms of `roomSize`, each user in `perUser` rooms, written
 * to the database; returns each user's client, the rooms' member lists and ids.
 */
export async function seedRooms(
  db: BenchDatabase,
  people: number,
  roomSize: number,
  perUser: number,
): Promise<{ clients: UserClient[]; layout: number[][]; roomIds: string[] }> {
  const layout = roomLayout(people, roomSize, perUser);
  return db.use(async (d) => {
    const users = await seedUsers(d, people);
    const roomIds = await seedChannels(d, users, layout);
    return { clients: clientSpecs(users, roomsByUser(people, roomIds, layout)), layout, roomIds };
  });
}
