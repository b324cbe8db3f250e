CREATE TABLE `observations` (
	`run_id` text NOT NULL,
	`id` text NOT NULL,
	`org_id` text NOT NULL,
	`operation_id` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`run_id`, `id`)
);
