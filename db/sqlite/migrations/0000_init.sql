CREATE TABLE `campaigns` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`lead_unit` text,
	`starts_at` integer,
	`ends_at` integer,
	FOREIGN KEY (`lead_unit`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`ideology` text DEFAULT 'other' NOT NULL,
	`aliases` text
);
--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`format` text NOT NULL,
	`actor` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`status` text NOT NULL,
	`rows` integer NOT NULL,
	`inserted` integer NOT NULL,
	`updated` integer NOT NULL,
	`unchanged` integer NOT NULL,
	`rejected` integer NOT NULL,
	`error_count` integer NOT NULL,
	`created_codes` text DEFAULT '{}' NOT NULL,
	`message` text
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `platforms` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text DEFAULT 'other' NOT NULL,
	`jurisdiction` text
);
--> statement-breakpoint
CREATE TABLE `referral_history` (
	`id` integer PRIMARY KEY NOT NULL,
	`referral_id` text NOT NULL,
	`batch_id` integer NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	FOREIGN KEY (`batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referral_history_referral_id` ON `referral_history` (`referral_id`);--> statement-breakpoint
CREATE INDEX `referral_history_batch` ON `referral_history` (`batch_id`);--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` integer PRIMARY KEY NOT NULL,
	`referral_id` text NOT NULL,
	`kind` text NOT NULL,
	`unit` text NOT NULL,
	`campaign` text,
	`platform` text NOT NULL,
	`group_code` text NOT NULL,
	`language` text NOT NULL,
	`content_type` text NOT NULL,
	`url` text NOT NULL,
	`content_hash` text,
	`referred_at` integer NOT NULL,
	`received_at` integer,
	`outcome` text NOT NULL,
	`outcome_at` integer,
	`outcome_reason` text,
	`clock_paused_hours` real,
	`views_at_referral` integer,
	`views_at_outcome` integer,
	`notes` text,
	`row_digest` integer NOT NULL,
	`created_batch` integer NOT NULL,
	`updated_batch` integer NOT NULL,
	FOREIGN KEY (`unit`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign`) REFERENCES `campaigns`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform`) REFERENCES `platforms`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_code`) REFERENCES `groups`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_batch`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_batch`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_referral_id` ON `referrals` (`referral_id`);--> statement-breakpoint
CREATE INDEX `referrals_referred_at` ON `referrals` (`referred_at`);--> statement-breakpoint
CREATE INDEX `referrals_platform_referred_at` ON `referrals` (`platform`,`referred_at`);--> statement-breakpoint
CREATE INDEX `referrals_group_referred_at` ON `referrals` (`group_code`,`referred_at`);--> statement-breakpoint
CREATE INDEX `referrals_language_referred_at` ON `referrals` (`language`,`referred_at`);--> statement-breakpoint
CREATE INDEX `referrals_campaign` ON `referrals` (`campaign`) WHERE "referrals"."campaign" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `referrals_content_hash` ON `referrals` (`content_hash`) WHERE "referrals"."content_hash" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `units` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text
);
