// UI.md: whenever the database holds the demo set, every page says so, unmissably.
import styles from './synthetic-banner.module.css';

export function SyntheticBanner() {
  return (
    <div className={styles.banner} role="note" aria-label="Synthetic demo data">
      <strong>Synthetic demo data.</strong> Every referral, provider and figure shown here is generated for
      demonstration: providers are fictional and no number describes real events.
    </div>
  );
}
