import { describe, expect, it } from 'vitest';
import { parseOsRelease } from '../../../src/probes/linux/os-release.js';
import { procFixture } from './fixture.js';

describe('parseOsRelease', () => {
  it('reads Debian, Ubuntu and Rocky files', () => {
    expect(parseOsRelease(procFixture('os-release-debian12.txt'))).toEqual({ id: 'debian', name: 'Debian GNU/Linux', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(parseOsRelease(procFixture('os-release-ubuntu2204.txt'))).toMatchObject({ id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS' });
    expect(parseOsRelease(procFixture('os-release-rocky8.txt'))).toMatchObject({ id: 'rocky', versionId: '8.9' });
  });

  it('handles single quotes, escapes, comments and missing fields', () => {
    expect(parseOsRelease("# comment\nNAME='Arch Linux'\nPRETTY_NAME=\"Say \\\"hi\\\"\"\nID=\n")).toEqual({ id: undefined, name: 'Arch Linux', versionId: undefined, prettyName: 'Say "hi"' });
    expect(parseOsRelease('')).toEqual({ id: undefined, name: undefined, versionId: undefined, prettyName: undefined });
  });
});
