CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org` ON `api_keys` (`org_id`);--> statement-breakpoint
CREATE TABLE `embeddings` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`vector` text NOT NULL,
	`metadata` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `embeddings_org_kind` ON `embeddings` (`org_id`,`kind`);--> statement-breakpoint
CREATE TABLE `findings` (
	`id` text NOT NULL,
	`run_id` text NOT NULL,
	`org_id` text NOT NULL,
	`check` text NOT NULL,
	`severity` text NOT NULL,
	`operation_id` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`signature` text NOT NULL,
	`title` text NOT NULL,
	`data` text NOT NULL,
	`occurrences` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`run_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `findings_run_severity` ON `findings` (`run_id`,`severity`);--> statement-breakpoint
CREATE TABLE `hook_deliveries` (
	`hook_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`run_id` text,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`hook_id`, `delivery_id`)
);
--> statement-breakpoint
CREATE TABLE `hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`secret_enc` text NOT NULL,
	`config` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`run_id` text NOT NULL,
	`url` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`last_error` text,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_due` ON `notifications` (`status`,`next_at`);--> statement-breakpoint
CREATE TABLE `operations` (
	`spec_id` text NOT NULL,
	`org_id` text NOT NULL,
	`operation_id` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`summary` text,
	`data` text NOT NULL,
	PRIMARY KEY(`spec_id`, `operation_id`),
	FOREIGN KEY (`spec_id`) REFERENCES `specs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `orgs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`target_allowlist` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `results` (
	`run_id` text NOT NULL,
	`case_id` text NOT NULL,
	`org_id` text NOT NULL,
	`agent` text NOT NULL,
	`operation_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`checks` text NOT NULL,
	`exchanges` text NOT NULL,
	`bodies_key` text,
	`duration_ms` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`run_id`, `case_id`)
);
--> statement-breakpoint
CREATE INDEX `results_run_status` ON `results` (`run_id`,`status`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`spec_id` text NOT NULL,
	`target_id` text,
	`target_url` text NOT NULL,
	`status` text NOT NULL,
	`seed` integer NOT NULL,
	`config` text NOT NULL,
	`stats` text,
	`error` text,
	`trigger` text DEFAULT 'api' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `runs_org_created` ON `runs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `schedule_slots` (
	`schedule_id` text NOT NULL,
	`slot` integer NOT NULL,
	`run_id` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`schedule_id`, `slot`)
);
--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`target_id` text NOT NULL,
	`spec_id` text NOT NULL,
	`cron` text NOT NULL,
	`config` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `specs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`api_version` text NOT NULL,
	`source_version` text NOT NULL,
	`operation_count` integer NOT NULL,
	`raw_key` text NOT NULL,
	`model_key` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `specs_org_name_version` ON `specs` (`org_id`,`name`,`version`);--> statement-breakpoint
CREATE TABLE `targets` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`identities_enc` text NOT NULL,
	`identities_meta` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `targets_org_name` ON `targets` (`org_id`,`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email` ON `users` (`email`);