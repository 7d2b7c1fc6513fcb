CREATE INDEX `referrals_updated_batch` ON `referrals` (`updated_batch`);--> statement-breakpoint
-- A database's generation: a restore makes a new one, so that no process applies changes since a batch of another history.
INSERT OR IGNORE INTO `meta` (`key`, `value`) VALUES ('generation', lower(hex(randomblob(16))));
