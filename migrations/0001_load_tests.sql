CREATE TABLE `load_regions` (
	`test_id` text NOT NULL,
	`region` text NOT NULL,
	`colo` text,
	`done` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`test_id`, `region`)
);
--> statement-breakpoint
CREATE TABLE `load_tests` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`spec_id` text NOT NULL,
	`target_url` text NOT NULL,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`summary` text,
	`abort_reason` text,
	`error` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `load_tests_org_created` ON `load_tests` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `load_windows` (
	`test_id` text NOT NULL,
	`region` text NOT NULL,
	`window` integer NOT NULL,
	`colo` text NOT NULL,
	`start_ms` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`requests` integer NOT NULL,
	`errors` text NOT NULL,
	`late` integer NOT NULL,
	`dropped` integer NOT NULL,
	`hdr` text NOT NULL,
	`hdr_uncorrected` text NOT NULL,
	PRIMARY KEY(`test_id`, `region`, `window`)
);
