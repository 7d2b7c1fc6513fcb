// The linter's configuration (issue 16) holds the faults it exists for: a
// file with each fault, placed in the project so the type-aware rules see
// its types, must be refused by the rule named, and the fixed file passes.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const written: string[] = [];

async function ruleIdsOf(name: string, code: string): Promise<string[]> {
  const file = path.join(ROOT, 'test', `lint-probe-${process.pid}-${name}`);
  fs.writeFileSync(file, code);
  written.push(file);
  const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
  return result.messages.map((m) => m.ruleId ?? m.message);
}

afterAll(() => {
  for (const file of written) fs.rmSync(file, { force: true });
});

const ASYNC = `export async function save(): Promise<number> {\n  return Promise.resolve(1);\n}\n`;

describe('the lint rules', () => {
  it('refuse a promise nobody awaits, and pass it awaited', async () => {
    expect(await ruleIdsOf('floating.ts', `${ASYNC}export function run(): void {\n  save();\n}\n`)).toEqual(['@typescript-eslint/no-floating-promises']);
    expect(await ruleIdsOf('awaited.ts', `${ASYNC}export async function run(): Promise<void> {\n  await save();\n}\n`)).toEqual([]);
  }, 60_000);

  it('refuse a promise where a plain value is expected', async () => {
    expect(await ruleIdsOf('misused.ts', `${ASYNC}export function ready(): boolean {\n  return save() ? true : false;\n}\n`)).toContain('@typescript-eslint/no-misused-promises');
  }, 60_000);

  it('refuse a hook called conditionally, and a plain link to a page', async () => {
    const hooks = `'use client';\nimport { useState } from 'react';\nexport function Box({ open }: { open: boolean }) {\n  if (open) {\n    const [n] = useState(0);\n    return <p>{n}</p>;\n  }\n  return <a href="/">Home</a>;\n}\n`;
    expect(await ruleIdsOf('hooks.tsx', hooks)).toEqual(['react-hooks/rules-of-hooks', '@next/next/no-html-link-for-pages']);
  }, 60_000);
});
