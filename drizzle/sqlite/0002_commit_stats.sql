CREATE TABLE `commit_stats` (
	`seq` integer PRIMARY KEY NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	`writer` text NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commit_stats_start` ON `commit_stats` (`start_at`);