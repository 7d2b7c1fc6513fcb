import { jsonRoute } from '@/lib/api/json-route';
import { getNewPlatforms } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/new-platforms', {}, (db, { filters }) => getNewPlatforms(db, filters));
