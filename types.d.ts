// Next's ambient types (CSS modules, images) for type-checking without a
// build: next-env.d.ts is written by `next build` and not committed.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
