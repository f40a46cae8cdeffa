CREATE TYPE "public"."mention_kind" AS ENUM('user', 'channel', 'here');--> statement-breakpoint
CREATE TABLE "mentions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mentions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"conversation_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"mentioned_id" uuid NOT NULL,
	"kind" "mention_kind" NOT NULL,
	"sender_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "mentions_restricted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mentions_conversation_mentioned_seq_key" ON "mentions" USING btree ("conversation_id","mentioned_id","seq");--> statement-breakpoint
CREATE INDEX "mentions_mentioned_id_idx" ON "mentions" USING btree ("mentioned_id","id");