-- DATA-MODEL.md: every change to an existing row is kept in an append-only history.
CREATE TRIGGER `referral_history_no_update` BEFORE UPDATE ON `referral_history`
BEGIN
  SELECT RAISE(ABORT, 'referral_history is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `referral_history_no_delete` BEFORE DELETE ON `referral_history`
BEGIN
  SELECT RAISE(ABORT, 'referral_history is append-only');
END;
