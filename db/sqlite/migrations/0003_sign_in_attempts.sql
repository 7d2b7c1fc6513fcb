CREATE TABLE `app_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sign_in_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email_key` text NOT NULL,
	`client` text NOT NULL,
	`at` integer NOT NULL,
	`held` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_attempts_email_at` ON `sign_in_attempts` (`email_key`,`at`);--> statement-breakpoint
CREATE INDEX `sign_in_attempts_client_at` ON `sign_in_attempts` (`client`,`at`);--> statement-breakpoint
CREATE TABLE `sign_in_refusals` (
	`client` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`client`, `window_start`)
);
--> statement-breakpoint
DROP TABLE `sign_in_failures`;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `client` text;--> statement-breakpoint
-- Issue 14: the key of the keyed hash of typed e-mail addresses, made once per database.
INSERT INTO `app_keys` (`name`, `value`) VALUES ('email_hash', lower(hex(randomblob(32))));
