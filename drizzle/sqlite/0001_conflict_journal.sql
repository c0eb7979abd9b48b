CREATE TABLE `conflict_journal` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`commit_id` text NOT NULL,
	`writer` text NOT NULL,
	`anchor_id` text NOT NULL,
	`anchor_type` text NOT NULL,
	`kind` text NOT NULL,
	`resolution` text NOT NULL,
	`fields` text NOT NULL,
	`writers` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conflict_journal_at` ON `conflict_journal` (`at`);