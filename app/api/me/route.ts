import { userRoute } from "@/server/http/route";

export const GET = userRoute(async ({ user }) => ({
  user: { id: user.id, name: user.name, email: user.email, role: user.role },
}));
