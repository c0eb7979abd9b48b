CREATE TABLE `anchors` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`type` text NOT NULL,
	`root` text NOT NULL,
	`fields` text NOT NULL,
	`source` text,
	`target` text,
	`version` integer NOT NULL,
	`vv` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `anchors_type_id` ON `anchors` (`type`,`id`);--> statement-breakpoint
CREATE TABLE `edge_refs` (
	`seq` integer PRIMARY KEY NOT NULL,
	`node_id` text NOT NULL,
	`edge_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `edge_refs_node_edge` ON `edge_refs` (`node_id`,`edge_id`);--> statement-breakpoint
CREATE INDEX `edge_refs_node_seq` ON `edge_refs` (`node_id`,`seq`);