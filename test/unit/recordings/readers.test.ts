/** Recording readers: every SigMF sample type we meet decodes to the same float samples; bad files say why. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRecordings } from '../../../main/recordings/openRecording';
import { readRecordingSamples, type RecordingFile } from '../../../main/recordings/recordingFile';
import { tempDir } from '../../helpers/tempDir';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function writeSigmf(name: string, datatype: string, data: Buffer, extra: Record<string, unknown> = {}): string {
  const meta = path.join(tmp.dir, `${name}.sigmf-meta`);
  fs.writeFileSync(meta, JSON.stringify({ global: { 'core:datatype': datatype, 'core:sample_rate': 12000, 'core:version': '1.2.0', ...extra }, captures: [{ 'core:sample_start': 0, 'core:frequency': 7_100_000 }], annotations: [] }));
  fs.writeFileSync(path.join(tmp.dir, `${name}.sigmf-data`), data);
  return meta;
}

async function open(file: string): Promise<RecordingFile> {
  const [r] = await openRecordings(file);
  if (!r || 'error' in r) throw new Error(r?.error ?? 'nothing opened');
  return r;
}

const values = [0.5, -0.25, 0.125, -1, 0, 0.75];

describe('SigMF recordings', () => {
  it('decode ci16_le, ci16_be, cf32_le, cf32_be, ci8 and ri16_le alike', async () => {
    const enc: Record<string, (v: number) => Buffer> = {
      ci16_le: (v) => { const b = Buffer.alloc(2); b.writeInt16LE(Math.max(-32768, Math.round(v * 32768))); return b; },
      ci16_be: (v) => { const b = Buffer.alloc(2); b.writeInt16BE(Math.max(-32768, Math.round(v * 32768))); return b; },
      cf32_le: (v) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return b; },
      cf32_be: (v) => { const b = Buffer.alloc(4); b.writeFloatBE(v); return b; },
      ci8: (v) => { const b = Buffer.alloc(1); b.writeInt8(Math.max(-128, Math.round(v * 128))); return b; },
      ri16_le: (v) => { const b = Buffer.alloc(2); b.writeInt16LE(Math.max(-32768, Math.round(v * 32768))); return b; },
    };
    for (const [dt, f] of Object.entries(enc)) {
      const rec = await open(writeSigmf(`t_${dt}`, dt, Buffer.concat(values.map(f))));
      try {
        expect(rec.complex, dt).toBe(dt.startsWith('c'));
        expect(rec.headerRateHz).toBe(12000);
        expect(rec.freqHz).toBe(7_100_000);
        expect([...readRecordingSamples(rec)], dt).toEqual(values);
      } finally {
        rec.source.close();
      }
    }
  });

  it('explain a missing rate, an unknown type, a missing or empty data file, and broken JSON', async () => {
    await expect(open(writeSigmf('norate', 'ci16_le', Buffer.alloc(8), { 'core:sample_rate': undefined }))).rejects.toThrow(/no core:sample_rate/);
    await expect(open(writeSigmf('badtype', 'cq15', Buffer.alloc(8)))).rejects.toThrow(/core:datatype: a SigMF datatype such as ci16_le, cf32_le/);
    await expect(open(writeSigmf('empty', 'cf32_le', Buffer.alloc(0)))).rejects.toThrow(/holds no whole sample.*the recording is empty/);
    const lonely = writeSigmf('nodata', 'cf32_le', Buffer.alloc(8));
    fs.rmSync(lonely.replace('.sigmf-meta', '.sigmf-data'));
    await expect(open(lonely)).rejects.toThrow(/data file nodata\.sigmf-data is missing/);
    const broken = path.join(tmp.dir, 'broken.sigmf-meta');
    fs.writeFileSync(broken, '{"global": ');
    await expect(open(broken)).rejects.toThrow(/is not JSON/);
    await expect(open(path.join(tmp.dir, 'absent.sigmf-meta'))).rejects.toThrow(/does not exist; give kiwirecorder \.wav files, SigMF \.sigmf-meta/);
  });
});

describe('kiwirecorder WAV', () => {
  it('refuses what is not a 16-bit PCM WAV, saying what it wants', async () => {
    const junk = path.join(tmp.dir, 'junk.wav');
    fs.writeFileSync(junk, 'not a wav at all');
    await expect(open(junk)).rejects.toThrow(/not a WAV file .*kiwirecorder \.wav/);
    const fmt = Buffer.alloc(16);
    fmt.writeUInt16LE(3, 0); // IEEE float
    fmt.writeUInt16LE(2, 2);
    fmt.writeUInt32LE(12000, 4);
    fmt.writeUInt16LE(32, 14);
    const body = Buffer.concat([Buffer.from('fmt '), Buffer.from([16, 0, 0, 0]), fmt]);
    const float = path.join(tmp.dir, 'float.wav');
    fs.writeFileSync(float, Buffer.concat([Buffer.from('RIFF'), Buffer.from([body.length + 4, 0, 0, 0]), Buffer.from('WAVE'), body]));
    await expect(open(float)).rejects.toThrow(/only 16-bit PCM WAV is supported \(this one is format 3, 32 bits\)/);
  });
});
