CREATE TABLE `org_llm_keys` (
	`org_id` text NOT NULL,
	`provider` text NOT NULL,
	`sealed` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`org_id`, `provider`)
);
