CREATE TABLE `oracles` (
	`org_id` text NOT NULL,
	`spec_name` text NOT NULL,
	`id` text NOT NULL,
	`operation_id` text NOT NULL,
	`source` text NOT NULL,
	`sentence` text NOT NULL,
	`assertion` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`observations` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`org_id`, `spec_name`, `id`)
);
