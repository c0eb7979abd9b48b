CREATE TABLE "commits" (
	"id" text PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"result" text
);
--> statement-breakpoint
CREATE INDEX "commits_at" ON "commits" USING brin ("at");