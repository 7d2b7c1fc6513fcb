import type { Metadata } from 'next';
import { requirePage } from '@/lib/auth/dal';

export const metadata: Metadata = { title: { absolute: 'About · Takedown Monitor' } };

export default async function AboutPage() {
  await requirePage('/about');
  return (
    <>
      <h1>About Takedown Monitor</h1>
      <p>
        Takedown Monitor follows what becomes of the items of terrorist and violent-extremist content that internet referral units
        refer to online service providers, and of the removal orders that competent authorities issue under EU Regulation 2021/784
        (to be executed within one hour of receipt).
      </p>
      <h2>How the figures are computed</h2>
      <ul>
        <li>
          Every figure describes the data as known at a chosen instant (<em>as of</em>): a removal recorded later does not count yet.
        </li>
        <li>
          Content not yet removed is still online. Times to removal are therefore estimated with the Kaplan–Meier method, which
          counts such items as still online for as long as they have been, instead of leaving them out.
        </li>
        <li>The deadline clock of a removal order starts at its receipt; time for which the clock was legally stopped is subtracted.</li>
        <li>Every share comes with the number it rests on and a 95% interval (Wilson score); figures on fewer than 5 referrals are marked “low n”.</li>
        <li>The same figures are served as JSON under /api/v1, so that pages, exports and the API never disagree.</li>
      </ul>
    </>
  );
}
