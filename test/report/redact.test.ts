import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/report/redact.js';
import { REPORT_FORMATS, redactReport, renderReport } from '../../src/report/render.js';
import { seededMachine } from './generated-env.js';

const MACHINES = 60;

/** Where a leaked string sits, for a failure message that points at it. */
function leaks(output: string, secrets: readonly string[]): string[] {
  const lower = output.toLowerCase();
  return secrets.filter((s) => lower.includes(s.toLowerCase())).map((s) => `${s} … ${output.slice(Math.max(0, lower.indexOf(s.toLowerCase()) - 60), lower.indexOf(s.toLowerCase()) + s.length + 20)}`);
}

describe('redaction over generated machines (property)', () => {
  it(`leaks no user, host, address, token, UUID, serial or header in any format across ${MACHINES} machines`, () => {
    for (let seed = 1; seed <= MACHINES; seed += 1) {
      const m = seededMachine(seed);
      const redacted = redactReport(m.doc, m.identity, { redact: true, redactCases: true });
      for (const format of REPORT_FORMATS) {
        const out = renderReport(redacted, format);
        expect(leaks(out, [...m.secrets, ...m.caseSecrets]), `seed ${seed}, ${format}`).toEqual([]);
        for (const kept of m.kept) expect(out, `seed ${seed}, ${format} lost "${kept}"`).toContain(kept);
        // The tables show cuDNN as a version; JSON keeps torch's number.
        expect(out).toContain(format === 'json' ? '90100' : '9.1.0');
      }
      expect(redacted.redaction?.counts).toMatchObject({ user: expect.any(Number), host: expect.any(Number), secret: expect.any(Number), uuid: expect.any(Number), case: expect.any(Number) });
    }
  });

  it('keeps case names without --redact-cases; with it, hashes are consistent within a report and unlinkable across reports unless salted alike', () => {
    const m = seededMachine(7);
    const plain = renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: false }), 'json');
    for (const c of m.caseSecrets) expect(plain).toContain(c);
    const hashed = (salt?: string) => renderReport(redactReport(structuredClone(m.doc), m.identity, { redact: true, redactCases: true, caseSalt: salt }), 'json');
    const hashes = (text: string) => [...new Set([...text.matchAll(/case-[0-9a-f]{8}/g)].map((x) => x[0]))].sort();
    const first = hashes(hashed());
    // caseSecrets ends with the dataset name, which becomes a ds- hash.
    expect(first.length).toBe(new Set(m.caseSecrets.slice(0, -1)).size);
    // A random key per report: the same case list hashes to names no other report shares.
    expect(hashes(hashed()).filter((h) => first.includes(h))).toEqual([]);
    expect(hashes(hashed('lab-key'))).toEqual(hashes(hashed('lab-key')));
    expect(hashes(hashed('lab-key'))).not.toEqual(hashes(hashed('other-key')));
  });

  it('with --no-redact keeps names and paths but still removes tokens, UUIDs, serials and image headers', () => {
    const m = seededMachine(11);
    const out = renderReport(redactReport(m.doc, m.identity, { redact: false, redactCases: false }), 'md');
    expect(out).toContain(m.identity.userNames[0]);
    const always = m.secrets.filter((s) => /^[A-Za-z0-9]{16,}$/.test(s) || /^Patient\^/.test(s) || /^[0-9a-f]{8}-/.test(s));
    expect(always.length).toBeGreaterThan(5);
    expect(leaks(out, always)).toEqual([]);
  });

  it('never lets an environment variable outside the allow-list into a report', () => {
    const m = seededMachine(3);
    const json = JSON.parse(renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: false }), 'json'));
    expect(Object.keys(json.facts.env.vars).sort()).toEqual(['CUDA_VISIBLE_DEVICES', 'nnUNet_raw', 'nnUNet_results']);
    expect(json.facts.env.vars.nnUNet_raw).toMatch(/^~[\\/]nnUNet_raw$/);
  });

  it('removes a token that contains the user name whole', () => {
    const identity = { userNames: ['jdoe'], homeDirs: ['/home/jdoe'], hostNames: [], env: { HF_TOKEN: 'jdoe-7f3kQ9zzLm' } };
    const out = new Redactor(identity, { identity: true, redactCases: false }).text('token jdoe-7f3kQ9zzLm for jdoe in /home/jdoe/x');
    expect(out).toBe('token <redacted> for <user> in ~/x');
  });

  it('hashes thousands of case names in a dataset scan quickly (one pass per string, not one per case)', () => {
    const cases = Array.from({ length: 3000 }, (_, i) => `patient_${String(i).padStart(5, '0')}`);
    const scan = { cases: cases.map((id) => ({ id, images: [{ path: `imagesTr/${id}_0000.nii.gz` }], label: { path: `labelsTr/${id}.nii.gz` } })) };
    const redactor = new Redactor({ userNames: [], homeDirs: [], hostNames: [], env: {} }, { identity: true, redactCases: true, caseIds: cases });
    const started = performance.now();
    const out = JSON.stringify(redactor.value(scan));
    // A regex per case took over 3 minutes here; the single alternation takes about one second.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(out).not.toMatch(/patient_\d/);
    expect(redactor.counts.case).toBe(9000);
  });

  it('keeps package versions whose names look secret, and redacts real values under such names', () => {
    const redactor = new Redactor({ userNames: [], homeDirs: [], hostNames: [], env: {} }, { identity: true, redactCases: false });
    const installed = { 'google-auth': '2.35.0', keyring: '25.4.1', torch: '2.8.0+cu128', 'nvidia-cudnn-cu12': '9.1.0.70', 'nvidia-cublas-cu12': '12.1.3.1', 'python-gdcm': '3.0.24.1' };
    const out = redactor.value({ installed, evidence: { apiKey: 'k-93hf83hf9', authToken: 'x7Yq2', server: '10.1.3.1' } });
    expect(out).toEqual({ installed, evidence: { apiKey: '<redacted>', authToken: '<redacted>', server: '<ip>' } });
  });
});
