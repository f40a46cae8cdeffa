ALTER TYPE "public"."conversation_kind" ADD VALUE 'thread';--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_direct_has_key";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "root_seq" bigint;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "thread" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "also_sent_from" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_parent_id_conversations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_thread_root_key" ON "conversations" USING btree ("parent_id","root_seq");--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_thread_has_root" CHECK (("conversations"."kind"::text = 'thread') = ("conversations"."parent_id" IS NOT NULL AND "conversations"."root_seq" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_direct_has_key" CHECK ("conversations"."kind"::text in ('channel', 'thread') OR "conversations"."member_key" IS NOT NULL);