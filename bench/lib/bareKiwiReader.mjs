// bench:capture's "bare reader": the least a Node process can do to record KiwiSDR IQ streams, so
// the capture path's CPU has a reachable bar beside kiwirecorder's. Per receiver: one plain socket
// read with `onread` into a reused buffer, our own WebSocket framing (RFC 6455 client: masked text
// out, unmasked frames in), the SND header read (seq, GPS stamp), the IQ bytes batched into 64 KiB
// writes with the three hashes taken at capture (sha256, sha512, MD5). No ws, no Node streams, no
// per-frame objects, no durability marks, no messages to a main thread.
//
//   node bench/lib/bareKiwiReader.mjs <url,url,...> <seconds> <dir>
//
// Prints {"perStream": fraction of a core, "framesPerSec": per stream} over `seconds` after 3 s.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const [urlList, secondsArg, dir] = process.argv.slice(2);
const urls = urlList.split(',');
const seconds = Number(secondsArg);
let frames = 0;

function masked(text) {
  const payload = Buffer.from(text, 'latin1');
  const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  const key = randomBytes(4);
  for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
  return Buffer.concat([head, key, payload]);
}

const SETUP = ['SET squelch=0 max=0', 'SET genattn=0', 'SET gen=0 mix=-1', 'SET ident_user=bench', 'SET mod=iq low_cut=-5000 high_cut=5000 freq=7100.000', 'SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=50', 'SET compression=0', 'SET keepalive'];

function record(url, i) {
  const u = new URL(url);
  const fd = fs.openSync(path.join(dir, `bare-${i}.iq`), 'w');
  const hashes = [createHash('sha256'), createHash('sha512'), createHash('md5')];
  const batch = Buffer.allocUnsafe(1 << 16);
  let fill = 0;
  let rest = Buffer.alloc(0);
  let handshake = '';
  let upgraded = false;
  const text = (payload) => {
    const t = payload.toString('latin1');
    const rate = /audio_rate=(\d+)/.exec(t);
    if (rate) sock.write(masked(`SET AR OK in=${rate[1]} out=44100`));
    if (t.includes('sample_rate=')) for (const m of SETUP) sock.write(masked(m));
  };
  const snd = (p) => {
    // The header a recorder needs: sequence and GPS stamp (read, as the real path reads them).
    if (p.length < 20 || p.readUInt32LE(16) >= 1e9) return;
    const body = p.subarray(20);
    if (fill + body.length > batch.length) {
      fs.writeSync(fd, batch, 0, fill);
      for (const h of hashes) h.update(batch.subarray(0, fill));
      fill = 0;
    }
    body.copy(batch, fill);
    fill += body.length;
    frames++;
  };
  const frame = (p) => {
    if (p[0] === 0x53 && p[1] === 0x4e && p[2] === 0x44) snd(p);
    else if (p[0] === 0x4d && p[1] === 0x53 && p[2] === 0x47) text(p);
  };
  const parse = (buf) => {
    let off = 0;
    while (buf.length - off >= 2) {
      let len = buf[off + 1] & 127;
      let start = off + 2;
      if (len === 126) {
        if (buf.length - off < 4) break;
        len = buf.readUInt16BE(off + 2);
        start = off + 4;
      } else if (len === 127) {
        if (buf.length - off < 10) break;
        len = Number(buf.readBigUInt64BE(off + 2));
        start = off + 10;
      }
      if (buf.length - start < len) break;
      frame(buf.subarray(start, start + len));
      off = start + len;
    }
    return off;
  };
  const sock = net.connect({
    host: u.hostname,
    port: Number(u.port),
    onread: {
      buffer: Buffer.allocUnsafe(1 << 16),
      callback: (n, buf) => {
        let data = buf.subarray(0, n);
        if (!upgraded) {
          handshake += data.toString('latin1');
          const end = handshake.indexOf('\r\n\r\n');
          if (end < 0) return;
          upgraded = true;
          data = Buffer.from(handshake.slice(end + 4), 'latin1');
          sock.write(masked('SET auth t=kiwi p=#'));
        }
        if (rest.length) data = Buffer.concat([rest, data]);
        const used = parse(data);
        rest = used < data.length ? Buffer.from(data.subarray(used)) : Buffer.alloc(0);
      },
    },
  });
  sock.setNoDelay(true);
  sock.on('connect', () => {
    sock.write(`GET ${u.pathname.replace(/\/$/, '')}/${Date.now() + i}/SND HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
  sock.on('error', (e) => {
    console.error(`bare reader: ${url}: ${e.message}`);
    process.exit(1);
  });
  return sock;
}

const socks = urls.map(record);
setInterval(() => socks.forEach((s) => s.write(masked('SET keepalive'))), 1000);
setTimeout(() => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const f0 = frames;
  setTimeout(() => {
    const c = process.cpuUsage(c0);
    const dt = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ perStream: (c.user + c.system) / 1e6 / dt / urls.length, framesPerSec: (frames - f0) / dt / urls.length }));
    process.exit(0);
  }, seconds * 1000);
}, 3000);
