// The instant a request is served at, one for every component of a render
// (React's cache lasts one server request): "figures computed at", a
// briefing's "generated" and the filter bar's default as_of agree, and a
// component gives the same output however often it is rendered.
import { cache } from 'react';

export const requestTime = cache((): number => Date.now());
