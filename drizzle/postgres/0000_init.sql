CREATE TABLE "anchors" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"type" text NOT NULL,
	"root" text NOT NULL,
	"fields" text NOT NULL,
	"source" text,
	"target" text,
	"version" integer NOT NULL,
	"vv" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commit_stats" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "commit_stats_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"start_at" bigint NOT NULL,
	"end_at" bigint NOT NULL,
	"writer" text NOT NULL,
	"data" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conflict_journal" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conflict_journal_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" bigint NOT NULL,
	"commit_id" text NOT NULL,
	"writer" text NOT NULL,
	"anchor_id" text NOT NULL,
	"anchor_type" text NOT NULL,
	"kind" text NOT NULL,
	"resolution" text NOT NULL,
	"fields" text NOT NULL,
	"writers" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edge_refs" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "edge_refs_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"node_id" text NOT NULL,
	"edge_id" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "anchors_type_id" ON "anchors" USING btree ("type","id");--> statement-breakpoint
CREATE INDEX "commit_stats_start" ON "commit_stats" USING btree ("start_at");--> statement-breakpoint
CREATE INDEX "conflict_journal_at" ON "conflict_journal" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "edge_refs_node_edge" ON "edge_refs" USING btree ("node_id","edge_id");--> statement-breakpoint
CREATE INDEX "edge_refs_node_seq" ON "edge_refs" USING btree ("node_id","seq");