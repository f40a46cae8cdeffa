CREATE TABLE "change_streams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"stream_id" uuid NOT NULL,
	"key" text NOT NULL,
	"seq" bigint NOT NULL,
	"at_seq" bigint NOT NULL,
	"data" jsonb NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "changes_stream_id_key_pk" PRIMARY KEY("stream_id","key")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "member_key" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "member_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "changes_stream_seq_key" ON "changes" USING btree ("stream_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_member_key_key" ON "conversations" USING btree ("member_key");--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_direct_has_key" CHECK ("conversations"."kind" = 'channel' OR "conversations"."member_key" IS NOT NULL);--> statement-breakpoint
UPDATE "conversations" c SET "member_count" = (SELECT count(*) FROM "conversation_members" m WHERE m."conversation_id" = c."id");
