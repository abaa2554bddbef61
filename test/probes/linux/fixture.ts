import { readFileSync } from 'node:fs';
import type { ReadText } from '../../../src/probes/linux/read.js';

const dir = new URL('../../../fixtures/proc/', import.meta.url);

/** A recorded /proc or /etc file from fixtures/proc/. */
export function procFixture(name: string): string {
  return readFileSync(new URL(name, dir), 'utf8');
}

export interface RecordedCgroup {
  mounts: string;
  selfCgroup: string;
  files: Record<string, string>;
}

export function cgroupFixture(name: string): RecordedCgroup {
  return JSON.parse(procFixture(name)) as RecordedCgroup;
}

/** A ReadText over recorded files that also logs what was asked for. */
export function fakeRead(files: Record<string, string>): ReadText & { asked: string[] } {
  const asked: string[] = [];
  const read = async (file: string) => {
    asked.push(file);
    return files[file] ?? null;
  };
  return Object.assign(read, { asked });
}
