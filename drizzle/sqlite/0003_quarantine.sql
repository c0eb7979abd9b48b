CREATE TABLE `quarantine` (
	`seq` integer PRIMARY KEY NOT NULL,
	`anchor_id` text NOT NULL,
	`record` text NOT NULL,
	`reason` text NOT NULL,
	`at` integer NOT NULL
);
