import { findPeople } from "@/server/people/find-people";
import { searchParams, userRoute } from "@/server/http/route";

export const GET = userRoute(async ({ user, request }) => ({ people: await findPeople(user, searchParams(request)) }));
