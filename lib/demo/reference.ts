// Reference data of the synthetic demo set. Provider names are fictional;
// the organisations are real, so that analysts see familiar names. Each
// provider has a behaviour profile: providers differ a lot in speed.
import type { IDEOLOGIES, PLATFORM_TYPES } from '@/db/codes';

export interface DemoPlatform {
  code: string;
  name: string;
  type: (typeof PLATFORM_TYPES)[number];
  jurisdiction: string | null;
  /** Share of referrals sent to it (relative weight). */
  weight: number;
  /** Median hours to act on a voluntary referral. */
  medianHours: number;
  /** Spread of response times (log-normal sigma). */
  sigma: number;
  /** Removal orders are acted on this many times faster. */
  orderSpeedup: number;
  rejectShare: number;
  /** Share never acted on (stays pending). */
  ignoreShare: number;
  /** First day the platform exists (ISO date), for the late platform. */
  appearsOn?: string;
  /** Median minutes to acknowledge a removal order. */
  ackMinutes: number;
}

export const DEMO_PLATFORMS: DemoPlatform[] = [
  { code: 'vidora', name: 'Vidora', type: 'video', jurisdiction: 'US', weight: 16, medianHours: 0.7, sigma: 1.0, orderSpeedup: 2, rejectShare: 0.03, ignoreShare: 0.005, ackMinutes: 3 },
  { code: 'clipstream', name: 'ClipStream', type: 'video', jurisdiction: 'IE', weight: 9, medianHours: 6, sigma: 1.3, orderSpeedup: 8, rejectShare: 0.06, ignoreShare: 0.01, ackMinutes: 10 },
  { code: 'chirpnet', name: 'Chirpnet', type: 'social', jurisdiction: 'US', weight: 14, medianHours: 18, sigma: 1.4, orderSpeedup: 20, rejectShare: 0.12, ignoreShare: 0.02, ackMinutes: 20 },
  { code: 'friendloop', name: 'Friendloop', type: 'social', jurisdiction: 'IE', weight: 10, medianHours: 2.5, sigma: 1.1, orderSpeedup: 4, rejectShare: 0.05, ignoreShare: 0.01, ackMinutes: 6 },
  { code: 'whisperchat', name: 'WhisperChat', type: 'messaging', jurisdiction: 'AE', weight: 12, medianHours: 70, sigma: 1.6, orderSpeedup: 3, rejectShare: 0.2, ignoreShare: 0.22, ackMinutes: 180 },
  { code: 'relaygram', name: 'Relaygram', type: 'messaging', jurisdiction: 'NL', weight: 8, medianHours: 26, sigma: 1.5, orderSpeedup: 12, rejectShare: 0.08, ignoreShare: 0.04, ackMinutes: 40 },
  { code: 'dropvault', name: 'DropVault', type: 'file_sharing', jurisdiction: 'DE', weight: 7, medianHours: 1.8, sigma: 1.0, orderSpeedup: 3, rejectShare: 0.02, ignoreShare: 0.01, ackMinutes: 8 },
  { code: 'sharebin', name: 'ShareBin', type: 'file_sharing', jurisdiction: 'PA', weight: 6, medianHours: 130, sigma: 1.7, orderSpeedup: 2, rejectShare: 0.1, ignoreShare: 0.3, ackMinutes: 600 },
  { code: 'pastepad', name: 'PastePad', type: 'paste', jurisdiction: 'FR', weight: 4, medianHours: 1.2, sigma: 0.9, orderSpeedup: 2, rejectShare: 0.02, ignoreShare: 0.01, ackMinutes: 5 },
  { code: 'memento', name: 'Memento Archive', type: 'archive', jurisdiction: 'US', weight: 4, medianHours: 220, sigma: 1.4, orderSpeedup: 4, rejectShare: 0.4, ignoreShare: 0.1, ackMinutes: 240 },
  { code: 'agora-boards', name: 'Agora Boards', type: 'forum', jurisdiction: 'SE', weight: 5, medianHours: 40, sigma: 1.5, orderSpeedup: 10, rejectShare: 0.07, ignoreShare: 0.05, ackMinutes: 60 },
  { code: 'tabula-host', name: 'Tabula Host', type: 'other', jurisdiction: 'CY', weight: 2, medianHours: 12, sigma: 1.2, orderSpeedup: 6, rejectShare: 0.05, ignoreShare: 0.03, ackMinutes: 30 },
  // Set up by the network itself: appears late, almost never acts.
  { code: 'nashir-hub', name: 'Nashir Hub', type: 'file_sharing', jurisdiction: null, weight: 6, medianHours: 500, sigma: 1.2, orderSpeedup: 1, rejectShare: 0.15, ignoreShare: 0.8, appearsOn: '2026-03-02', ackMinutes: 4000 },
];

export interface DemoGroup {
  code: string;
  name: string;
  ideology: (typeof IDEOLOGIES)[number];
  aliases: string | null;
  weight: number;
  /** Languages of its content with relative weights. */
  languages: [string, number][];
}

const JIHADIST_LANGUAGES: [string, number][] = [['ar', 40], ['en', 15], ['fr', 8], ['ru', 6], ['tr', 5], ['de', 4], ['ps', 4], ['ur', 4], ['id', 4], ['es', 2], ['und', 2], ['zxx', 3]];

export const DEMO_GROUPS: DemoGroup[] = [
  { code: 'daesh', name: 'Islamic State (Daesh)', ideology: 'jihadist', aliases: 'ISIS, ISIL, IS', weight: 30, languages: JIHADIST_LANGUAGES },
  { code: 'al-qaeda', name: 'Al-Qaeda', ideology: 'jihadist', aliases: 'AQ', weight: 10, languages: JIHADIST_LANGUAGES },
  { code: 'aqap', name: 'Al-Qaeda in the Arabian Peninsula', ideology: 'jihadist', aliases: 'AQAP', weight: 4, languages: [['ar', 60], ['en', 30], ['zxx', 10]] },
  { code: 'al-shabaab', name: 'Al-Shabaab', ideology: 'jihadist', aliases: 'Harakat al-Shabaab al-Mujahideen', weight: 5, languages: [['so', 50], ['ar', 25], ['en', 20], ['zxx', 5]] },
  { code: 'hts', name: "Hay'at Tahrir al-Sham", ideology: 'jihadist', aliases: 'HTS', weight: 4, languages: [['ar', 80], ['en', 10], ['tr', 10]] },
  { code: 'iswap', name: 'Islamic State West Africa Province', ideology: 'jihadist', aliases: 'ISWAP', weight: 3, languages: [['ar', 40], ['fr', 20], ['en', 30], ['zxx', 10]] },
  { code: 'atomwaffen', name: 'Atomwaffen Division', ideology: 'far_right', aliases: 'AWD, National Socialist Order', weight: 5, languages: [['en', 70], ['de', 15], ['ru', 5], ['zxx', 10]] },
  { code: 'the-base', name: 'The Base', ideology: 'far_right', aliases: null, weight: 4, languages: [['en', 80], ['ru', 10], ['zxx', 10]] },
  { code: 'feuerkrieg', name: 'Feuerkrieg Division', ideology: 'far_right', aliases: 'FKD', weight: 3, languages: [['de', 45], ['en', 45], ['zxx', 10]] },
  { code: 'national-action', name: 'National Action', ideology: 'far_right', aliases: 'NS131, Scottish Dawn', weight: 2, languages: [['en', 95], ['zxx', 5]] },
  { code: 'pkk', name: "Kurdistan Workers' Party", ideology: 'ethno_separatist', aliases: 'PKK', weight: 4, languages: [['tr', 60], ['de', 15], ['en', 15], ['und', 10]] },
  { code: 'new-ira', name: 'New IRA', ideology: 'ethno_separatist', aliases: null, weight: 2, languages: [['en', 100]] },
  { code: 'fai-fri', name: 'Informal Anarchist Federation', ideology: 'far_left', aliases: 'FAI/FRI', weight: 2, languages: [['it', 45], ['es', 25], ['en', 20], ['fr', 10]] },
  { code: 'unattributed', name: 'Unattributed', ideology: 'unattributed', aliases: null, weight: 6, languages: [['en', 30], ['ar', 30], ['ru', 10], ['de', 10], ['und', 10], ['zxx', 10]] },
];

export interface DemoUnit {
  code: string;
  name: string;
  country: string | null;
  weight: number;
}

export const DEMO_UNITS: DemoUnit[] = [
  { code: 'eu-iru', name: 'EU Internet Referral Unit (Europol)', country: null, weight: 40 },
  { code: 'fr', name: 'Internet referral unit, France', country: 'FR', weight: 12 },
  { code: 'de', name: 'Internet referral unit, Germany', country: 'DE', weight: 12 },
  { code: 'es', name: 'Internet referral unit, Spain', country: 'ES', weight: 8 },
  { code: 'nl', name: 'Internet referral unit, Netherlands', country: 'NL', weight: 8 },
  { code: 'be', name: 'Internet referral unit, Belgium', country: 'BE', weight: 6 },
  { code: 'it', name: 'Internet referral unit, Italy', country: 'IT', weight: 6 },
  { code: 'pl', name: 'Internet referral unit, Poland', country: 'PL', weight: 4 },
  { code: 'at', name: 'Internet referral unit, Austria', country: 'AT', weight: 4 },
];

export interface DemoCampaign {
  code: string;
  name: string;
  leadUnit: string;
  startsAt: string;
  hours: number;
  /** Items referred during the campaign per 50,000 demo rows. */
  itemsPer50k: number;
  units: string[];
  languages: string[];
  /** Restrict to groups of these ideologies. */
  ideologies: string[];
}

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    code: 'rad-2024-10',
    name: 'Referral Action Day on violent right-wing extremist content, October 2024',
    leadUnit: 'eu-iru',
    startsAt: '2024-10-15T07:00:00Z',
    hours: 24,
    itemsPer50k: 600,
    units: ['eu-iru', 'de', 'at'],
    languages: ['en', 'de', 'ru'],
    ideologies: ['far_right'],
  },
  {
    code: 'rad-2025-06',
    name: '48-hour Referral Action Day on jihadist propaganda, June 2025',
    leadUnit: 'eu-iru',
    startsAt: '2025-06-17T06:00:00Z',
    hours: 48,
    itemsPer50k: 2000,
    units: ['eu-iru', 'fr', 'de', 'es', 'nl'],
    languages: ['ar', 'en', 'fr', 'de', 'ru', 'tr'],
    ideologies: ['jihadist'],
  },
];
