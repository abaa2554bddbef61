import { describe, expect, it } from 'vitest';
import { isIpv6, isSecretName, redactPatterns, type RedactionKind } from '../../src/report/redact-rules.js';

function redact(text: string, identity = true) {
  const hits: RedactionKind[] = [];
  return { out: redactPatterns(text, identity, (k) => hits.push(k)), hits };
}

describe('redaction patterns', () => {
  it('removes IPv4 and IPv6 addresses but keeps versions and loopback', () => {
    const { out, hits } = redact('NFS 10.20.30.40:/export, peer fe80::1a2b:3c4d:5e6f:7a8b and 2001:0db8:85a3:0000:0000:8a2e:0370:7334 via 127.0.0.1');
    expect(out).toBe('NFS <ip>:/export, peer <ipv6> and <ipv6> via 127.0.0.1');
    expect(hits.filter((h) => h === 'ip')).toHaveLength(3);
    for (const version of ['torch 2.8.0+cu128', 'driver 570.124.06', 'cuDNN 9.1.0', 'at 12:34:56', 'nnunetv2==2.6.2']) {
      expect(redact(version).out).toBe(version);
    }
  });

  it('keeps four-part versions in free text where a version context says so, and still removes addresses beside them', () => {
    for (const version of ['python-gdcm==3.0.24.1', 'gdcm>=3.0.24.1', 'Version: 3.0.24.1', 'version 3.0.24.1']) {
      expect(redact(version).out).toBe(version);
    }
    expect(redact('MASTER_ADDR=10.1.2.3 worker-10.1.2.4 host 192.168.1.5').out).toBe('MASTER_ADDR=<ip> worker-<ip> host <ip>');
  });

  it('tells IPv6 from times and MAC addresses', () => {
    expect(isIpv6('fe80::1')).toBe(true);
    expect(isIpv6('2001:db8:0:0:0:0:2:1')).toBe(true);
    expect(isIpv6('12:34:56')).toBe(false);
    expect(isIpv6('aa:bb:cc:dd:ee:ff')).toBe(false);
    expect(isIpv6('1::2::3')).toBe(false);
  });

  it('removes MAC addresses, GPU and MIG UUIDs and serial numbers', () => {
    const { out } = redact('eth0 ether 0a:1b:2c:3d:4e:5f GPU 0: A100 (UUID: GPU-6b0a3d9e-1f2c-4e5d-8a7b-9c0d1e2f3a4b) MIG-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b Serial Number: 1324120004567');
    expect(out).toBe('eth0 ether <mac> GPU 0: A100 (UUID: GPU-<uuid>) MIG-<uuid> Serial Number: <redacted>');
  });

  it('removes credentials in URLs, secret assignments and well-known token shapes', () => {
    const cases: [string, string][] = [
      ['pip install --index-url https://bob:s3cretpw@pypi.example.org/simple', 'pip install --index-url https://<redacted>@pypi.example.org/simple'],
      ['export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456', 'export HF_TOKEN=<redacted>'],
      ['"api_key": "AbC123xyz987"', '"api_key": "<redacted>"'],
      ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc.def', 'Authorization: Bearer <redacted>'],
      ['token ghp_0123456789abcdefghijABCDEFGHIJ in a log', 'token <redacted> in a log'],
    ];
    for (const [input, expected] of cases) expect(redact(input).out).toBe(expected);
  });

  it('keeps harmless values next to secret-looking names', () => {
    expect(redact('nnUNet_keep_files_open=true').out).toBe('nnUNet_keep_files_open=true');
    expect(redact('MONKEY=1').out).toBe('MONKEY=1');
  });

  it('keeps secret, UUID and serial rules on with --no-redact, and drops address rules', () => {
    const { out } = redact('10.1.2.3 GPU-6b0a3d9e-1f2c-4e5d-8a7b-9c0d1e2f3a4b password=hunter22', false);
    expect(out).toBe('10.1.2.3 GPU-<uuid> password=<redacted>');
  });

  it('recognises secret names in any case style', () => {
    for (const name of ['HF_TOKEN', 'WANDB_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'dbPassword', 'SSH_AUTH_SOCK', 'SESSION_COOKIE', 'GOOGLE_APPLICATION_CREDENTIALS', 'apikey']) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['nnUNet_keep_files_open', 'CUDA_VISIBLE_DEVICES', 'version', 'driverVersion', 'nnUNet_raw']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});
