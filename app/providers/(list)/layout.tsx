import type { ReactNode } from 'react';
import { requirePage } from '@/lib/auth/dal';

/**
 * The page streams behind a loading skeleton: its access check is made here
 * too, before anything is sent, so that a refusal is a real redirect or 403
 * (the page checks again where it reads).
 */
export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('/providers');
  return children;
}
