import { userRoute } from "@/server/http/route";
import { readPreviewImage } from "@/server/link-previews/read-preview-image";

export const GET = userRoute<{ id: string }>(({ params }) => readPreviewImage(params.id));
