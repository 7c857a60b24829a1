#!/usr/bin/env python3
"""
bench:locate's reference: the TDoA fix of main/locate/ (see ../shared/docs/LOCALISATION.md), the
same method written independently in numpy, so the bench can set our time and our result beside it.

    python3 bench/locate_reference.py --runs 7 --region 35:72:-25:45 --step 0.05 a_iq.wav b_iq.wav c_iq.wav

Each fix starts from the files on disk (kiwirecorder WAVs, positions from <station>.txt beside them)
and ends with the contours and the heatmap, as ours does. One warm-up fix, then the median of --runs;
interpreter start-up and imports are outside the timing. Prints one JSON object.

Scope: one stream per file (no reconnects or sequence gaps, which kiwirecorder files of one session
do not have); receivers are all KiwiSDR IQ.
"""
import argparse
import base64
import calendar
import hashlib
import json
import math
import os
import re
import struct
import time
from collections import defaultdict

import numpy as np

NS = 1_000_000_000
C = 299_792_458.0
EARTH_R = 6_371_000.0
GPS_EPOCH_UNIX = 315_964_800
WEEK = 604_800
# GPS - UTC from each Unix time on.
LEAPS = [(1_483_228_800, 18), (1_435_708_800, 17), (1_341_100_800, 16), (1_230_768_000, 15), (1_136_073_600, 14)]
MODEL_SIGMA = 10e-6  # MODEL_SIGMA_SEC in main/locate/locate.ts
RATE_TOLERANCE_PPM = 50  # as in main/locate/locate.ts
LEVELS = [(0.68, 2.3), (0.95, 5.99)]
DISPLAY_CELLS = 320
HEAT_DECADES = 4


def leap_at(unix_s):
    return next((leap for since, leap in LEAPS if unix_s >= since), 13)


# ---- files -------------------------------------------------------------------------------------

def read_kiwi_wav(path):
    """Samples (complex128, full scale 1) and the stamps [(sample, last, gpssec, gpsnsec)] of a kiwirecorder WAV."""
    with open(path, 'rb') as f:
        buf = f.read()
    if buf[:4] != b'RIFF' or buf[8:12] != b'WAVE':
        raise ValueError(f'{path} is not a WAV file')
    off, total, pending, rate = 12, 0, None, None
    pieces, stamps = [], []
    while off + 8 <= len(buf):
        cid = buf[off:off + 4]
        size = struct.unpack_from('<I', buf, off + 4)[0]
        body = off + 8
        size = min(size, len(buf) - body)
        if cid == b'fmt ':
            channels, rate = struct.unpack_from('<HI', buf, body + 2)
            if channels != 2:
                raise ValueError(f'{path}: not IQ')
        elif cid == b'kiwi' and size >= 10:
            pending = struct.unpack_from('<BxII', buf, body)
        elif cid == b'data':
            n = size // 4
            if pending is not None:
                stamps.append((total, *pending))
            pieces.append(np.frombuffer(buf, '<i2', 2 * n, body))
            total += n
            pending = None
        off = body + size + (size & 1)
    x = np.concatenate(pieces).astype(np.float64).view(np.complex128) / 32768
    return x, rate, stamps


def station_position(wav):
    station = re.match(r'\d{8}T\d{6}Z_\d+_(.+?)(?:_iq)?\.wav$', os.path.basename(wav)).group(1)
    with open(os.path.join(os.path.dirname(wav), station + '.txt')) as f:
        lat, lon = re.search(r"'coord'\s*,\s*\[\s*([-\d.]+)\s*,\s*([-\d.]+)\s*\]", f.read()).groups()
    return station, float(lat), float(lon)


def start_unix(wav):
    return calendar.timegm(time.strptime(os.path.basename(wav)[:16], '%Y%m%dT%H%M%SZ'))


# ---- time base ---------------------------------------------------------------------------------

class TimeBase:
    """Anchored on fresh GPS stamps (where `last` drops), one rate per interval, the median outside them."""

    def __init__(self, stamps, total, nominal, hint_unix):
        s = np.array(stamps, dtype=np.int64)
        sample, last, gpssec, gpsnsec = s.T
        leap = leap_at(hint_unix)
        hint_gps = hint_unix - GPS_EPOCH_UNIX + leap
        week = np.round((hint_gps - gpssec) / WEEK).astype(np.int64)
        unix_ns = (week * WEEK + gpssec + GPS_EPOCH_UNIX - leap) * NS + gpsnsec
        usable = last != 255
        # The first block's stamp is stale; from "never had a fix" (255) only age 0 is fresh.
        fresh = np.zeros(len(s), bool)
        fresh[1:] = usable[1:] & (last[1:] < last[:-1]) & ((last[:-1] != 255) | (last[1:] == 0))

        # The receiver's own clock between stamps (its steps), to check the fresh stamps against.
        ok = usable[1:-1] & usable[2:]
        steps = np.diff(sample)[1:][ok] / (np.diff(unix_ns)[1:][ok] / NS)
        steps = steps[steps > 0]
        m = np.median(steps)
        check = np.median(steps[np.abs((steps - m) / m) < 0.02])

        def off_by(a, b):
            return ((int(unix_ns[b]) - int(unix_ns[a])) / NS - (sample[b] - sample[a]) / check) * check

        cand = np.flatnonzero(fresh)
        accepted = []
        for k, i in enumerate(cand):
            if not accepted or abs(off_by(accepted[-1], i)) <= 1:
                accepted.append(i)
            elif len(accepted) == 1 and k + 1 < len(cand) and abs(off_by(i, cand[k + 1])) <= 1:
                accepted[0] = i  # the first anchor had nobody to vouch for it
        self.n = sample[accepted].astype(np.float64)
        self.ns = unix_ns[accepted]
        self.rates = np.diff(self.n) / (np.diff(self.ns) / NS)
        self.rate = float(np.median(self.rates)) if len(self.rates) else float(check)
        self.total = total

    def _interval_rate(self, i, inside):
        return np.where(inside & (i < len(self.rates)), self.rates[np.minimum(i, len(self.rates) - 1)], self.rate)

    def gps_ns_at(self, sample):
        sample = np.asarray(sample, np.float64)
        i = np.maximum(np.searchsorted(self.n, sample, 'right') - 1, 0)
        rate = self._interval_rate(i, sample >= self.n[i])
        return self.ns[i] + np.round((sample - self.n[i]) / rate * NS).astype(np.int64)

    def sample_at(self, unix_ns):
        unix_ns = np.asarray(unix_ns, np.int64)
        i = np.maximum(np.searchsorted(self.ns, unix_ns, 'right') - 1, 0)
        rate = self._interval_rate(i, unix_ns >= self.ns[i])
        return self.n[i] + (unix_ns - self.ns[i]) / NS * rate


# ---- geometry ----------------------------------------------------------------------------------

def great_circle_m(lat1, lon1, lat2, lon2):
    """Haversine on the 6371 km sphere; works on scalars and arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_R * np.arcsin(np.minimum(1, np.sqrt(h)))


def great_circle_scalar(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_R * math.asin(min(1.0, math.sqrt(h)))


# ---- correlation and lags ----------------------------------------------------------------------

def block_spectra(x, i0, L, M, N):
    """Per block: FFT of the block widened by M each side, of the block alone at offset M, and prefix energies."""
    seg = x[i0[:, None] - M + np.arange(L + 2 * M)]
    seg -= seg[:, M:M + L].mean(axis=1, keepdims=True)
    core = seg.copy()
    core[:, :M] = 0
    core[:, M + L:] = 0
    prefix = np.zeros((len(i0), L + 2 * M + 1))
    np.cumsum(seg.real ** 2 + seg.imag ** 2, axis=1, out=prefix[:, 1:])
    return np.fft.fft(core, N, axis=1), np.fft.fft(seg, N, axis=1), prefix


def parabola_offset(y, c):
    """Vertex of the least-squares parabola through 5 points about the peak (3 at the edge), within half a sample."""
    n = y.shape[1]
    rows = np.arange(len(y))
    at = lambda d: y[rows, np.clip(c + d, 0, n - 1)]
    y0, y1, y2, y3, y4 = at(-2), at(-1), at(0), at(1), at(2)
    slope = (-2 * y0 - y1 + y3 + 2 * y4) / 10
    curve = (2 * y0 - y1 - 2 * y2 - y3 + 2 * y4) / 14
    den3 = y1 - 2 * y2 + y3
    with np.errstate(divide='ignore', invalid='ignore'):
        five = np.where(curve < 0, -slope / (2 * curve), 0)
        three = np.where(den3 < 0, 0.5 * (y1 - y3) / den3, 0)
    off = np.where((c >= 2) & (c + 2 < n), five, np.where((c >= 1) & (c + 1 < n), three, 0))
    return np.clip(off, -0.5, 0.5)


def refine_peaks(Z, tau):
    """
    The peak of |r(tau)| between samples, r(tau) = sum_f Z[f] exp(j 2 pi f tau / N) over signed f (the
    band-limited correlation), by up to 4 Newton steps on |r|^2 from the parabola's estimate, per block.
    """
    N = Z.shape[1]
    wf = 2 * np.pi / N * np.fft.fftfreq(N, 1 / N)
    start = tau.copy()
    active = np.ones(len(tau), bool)
    for _ in range(4):
        rows = np.flatnonzero(active)
        if not len(rows):
            break
        t = Z[rows] * np.exp(1j * np.outer(tau[rows], wf))
        r0, r1, r2 = t.sum(axis=1), 1j * (t @ wf), -(t @ wf ** 2)
        g = (r1 * r0.conj()).real
        h = np.abs(r1) ** 2 + (r2 * r0.conj()).real
        with np.errstate(divide='ignore', invalid='ignore'):
            step = np.clip(-g / h, -0.5, 0.5)
        move = h < 0
        tau[rows[move]] += step[move]
        active[rows] = move & (np.abs(step) >= 1e-4)
    return np.where(np.abs(tau - start) <= 1, tau, start)


def pair_lags(a, b, L, M, N, bound):
    """Per block: the lag (samples) of b against a within +-bound, NaN where the peak is on the edge or at noise level."""
    core_a, _, prefix_a = a
    _, wide_b, prefix_b = b
    K = min(M, max(1, math.ceil(bound)))
    k = np.arange(-K, K + 1)
    Z = core_a * np.conj(wide_b)
    r = np.fft.ifft(Z, axis=1)[:, k % N]
    energy_a = prefix_a[:, M + L] - prefix_a[:, M]
    energy_b = prefix_b[:, M - k + L] - prefix_b[:, M - k]
    den = np.sqrt(energy_a[:, None] * energy_b)
    with np.errstate(divide='ignore', invalid='ignore'):
        mags = np.where(den > 0, np.abs(r) / den, 0)
    c = np.argmax(mags, axis=1)
    # A peak at noise level (two noises of L samples correlate at ~1/sqrt(L)) says nothing.
    interior = (c > 0) & (c < 2 * K) & (mags[np.arange(len(c)), c] >= 6 / math.sqrt(L))
    lag = c - K + parabola_offset(mags, c)
    lag[interior] = refine_peaks(Z[interior], lag[interior])
    return np.where(interior, lag, np.nan)


def clean_lags(lags, window=1e-3):
    v = lags[np.isfinite(lags)]
    if not len(v):
        return None
    kept = v[np.abs(v - np.median(v)) <= window]
    for _ in range(50):
        if len(kept) <= 2:
            break
        mean, sd = kept.mean(), kept.std(ddof=1)
        if sd == 0:
            break
        nxt = kept[np.abs(kept - mean) <= 3 * sd]
        if len(nxt) == len(kept):
            break
        kept = nxt
    if not len(kept):
        return None
    return kept.mean(), (kept.std(ddof=1) if len(kept) > 1 else 0.0), len(kept)


# ---- grid, contours, heatmap -------------------------------------------------------------------

def snap_grid(lat0, lat1, lon0, lon1, step):
    snap = lambda v, f: round(f(v / step) * step * 1e9) / 1e9
    spec = (snap(lat0, math.floor), snap(lat1, math.ceil), snap(lon0, math.floor), snap(lon1, math.ceil), step)
    rows = math.floor((spec[1] - spec[0]) / step + 1e-9) + 1
    cols = math.floor((spec[3] - spec[2]) / step + 1e-9) + 1
    return spec, rows, cols


def chi2_grid(pos, pairs, spec, rows, cols):
    lat0, _, lon0, _, step = spec
    lat = np.radians(lat0 + step * np.arange(rows))[:, None]
    lon = np.radians(lon0 + step * np.arange(cols))[None, :]
    delay = []
    for rlat, rlon in pos:
        cos_d = np.sin(lat) * math.sin(math.radians(rlat)) + np.cos(lat) * math.cos(math.radians(rlat)) * np.cos(lon - math.radians(rlon))
        delay.append(np.arccos(np.clip(cos_d, -1, 1)) * (EARTH_R / C))
    chi2 = np.zeros((rows, cols))
    for i, j, dt, sigma in pairs:
        chi2 += ((delay[i] - delay[j] - dt) / sigma) ** 2
    return chi2


def chi2_at(pos, pairs, lat, lon):
    d = [great_circle_scalar(lat, lon, p[0], p[1]) / C for p in pos]
    return sum(((d[i] - d[j] - dt) / sigma) ** 2 for i, j, dt, sigma in pairs)


def refine(pos, pairs, lat, lon, step):
    best = chi2_at(pos, pairs, lat, lon)
    h = step
    while h > 1e-5:
        moved = False
        for dlat, dlon in ((h, 0), (-h, 0), (0, h), (0, -h), (h, h), (h, -h), (-h, h), (-h, -h)):
            v = chi2_at(pos, pairs, lat + dlat, lon + dlon)
            if v < best:
                best, lat, lon, moved = v, lat + dlat, lon + dlon, True
        if not moved:
            h /= 2
    return lat, lon


# Cell edges: 0 bottom, 1 right, 2 top, 3 left. Segments per corner code (v00 | v01<<1 | v11<<2 | v10<<3).
SEGMENTS = {1: (0, 3), 14: (0, 3), 2: (0, 1), 13: (0, 1), 3: (3, 1), 12: (3, 1), 4: (2, 1), 11: (2, 1), 6: (0, 2), 9: (0, 2), 7: (3, 2), 8: (3, 2)}


def isolines(values, level, lat0, lon0, dlat, dlon):
    """Marching squares over the whole field at once; segments are then joined into polylines."""
    rows, cols = values.shape
    level = np.float64(level)  # a strong float64: float32 values are compared and interpolated in double, as ours are
    up = values >= level
    code = up[:-1, :-1] | (up[:-1, 1:] << 1) | (up[1:, 1:] << 2) | (up[1:, :-1] << 3)
    r, c = np.nonzero((code != 0) & (code != 15))
    code = code[r, c]
    i = r * cols + c
    edge = np.stack([2 * i, 2 * (i + 1) + 1, 2 * (i + cols), 2 * i + 1])  # bottom, right, top, left ids
    first = np.zeros((16, 2), int)
    for k, s in SEGMENTS.items():
        first[k] = s
    e1, e2 = edge[first[code, 0], np.arange(len(i))], edge[first[code, 1], np.arange(len(i))]
    # Saddles: the centre value picks which corners join.
    sad = np.flatnonzero((code == 5) | (code == 10))
    if len(sad):
        rs, cs = r[sad], c[sad]
        centre = (values[rs, cs] + values[rs, cs + 1] + values[rs + 1, cs] + values[rs + 1, cs + 1]) / 4 >= level
        joined = (code[sad] == 5) == centre
        b, rt, t, lf = edge[:, sad]
        e1[sad], e2[sad] = b, np.where(joined, rt, lf)
        e1 = np.concatenate([e1, t])
        e2 = np.concatenate([e2, np.where(joined, lf, rt)])
    ids = np.unique(np.concatenate([e1, e2]))
    cell, vertical = ids >> 1, (ids & 1) == 1
    flat = values.ravel()
    a = flat[cell].astype(np.float64)
    b = np.where(vertical, flat[np.minimum(cell + cols, flat.size - 1)], flat[np.minimum(cell + 1, flat.size - 1)]).astype(np.float64)
    with np.errstate(divide='ignore', invalid='ignore'):
        t = np.where(b == a, 0.5, (level - a) / (b - a))
    pr, pc = cell // cols + np.where(vertical, t, 0), cell % cols + np.where(vertical, 0, t)
    point = dict(zip(ids.tolist(), zip((lat0 + pr * dlat).tolist(), (lon0 + pc * dlon).tolist())))
    links = defaultdict(list)
    for u, v in zip(e1.tolist(), e2.tolist()):
        links[u].append(v)
        links[v].append(u)
    used, lines = set(), []

    def walk(cur):
        line = [point[cur]]
        while True:
            nxt = next((n for n in links[cur] if (min(cur, n), max(cur, n)) not in used), None)
            if nxt is None:
                break
            used.add((min(cur, nxt), max(cur, nxt)))
            line.append(point[nxt])
            cur = nxt
        if len(line) > 1:
            lines.append(line)

    for u, ns in links.items():
        if len(ns) == 1 and (min(u, ns[0]), max(u, ns[0])) not in used:
            walk(u)
    for u, ns in links.items():
        for v in ns:
            if (min(u, v), max(u, v)) not in used:
                walk(u)
    return lines


def display_grid(chi2, spec):
    """At most ~320 cells a side, each the minimum of the cells it covers."""
    rows, cols = chi2.shape
    f = max(1, math.ceil(max(rows, cols) / DISPLAY_CELLS))
    dr, dc = math.ceil(rows / f), math.ceil(cols / f)
    padded = np.full((dr * f, dc * f), np.inf, np.float32)
    padded[:rows, :cols] = chi2
    d = padded.reshape(dr, f, dc, f).min(axis=(1, 3))
    lat0, _, lon0, _, step = spec
    return d, lat0 + (f - 1) / 2 * step, lon0 + (f - 1) / 2 * step, f * step


def heatmap(d, min_chi2):
    delta = np.maximum(0, d.astype(np.float64) - min_chi2)
    b = np.floor(255 * np.maximum(0, 1 - np.log10(1 + delta) / HEAT_DECADES) + 0.5).astype(np.uint8)
    return base64.b64encode(b.tobytes()).decode()


# ---- the fix -----------------------------------------------------------------------------------

def locate(wavs, region, step, block_sec=1.0):
    recs = []
    for w in wavs:
        name, lat, lon = station_position(w)
        x, nominal, stamps = read_kiwi_wav(w)
        tb = TimeBase(stamps, len(x), nominal, start_unix(w))
        recs.append(dict(name=name, lat=lat, lon=lon, x=x, tb=tb))
    rates = [r['tb'].rate for r in recs]
    for r in recs:
        others = np.median([q['tb'].rate for q in recs if q is not r])
        r['bad'] = abs(r['tb'].rate - others) / others * 1e6 > RATE_TOLERANCE_PPM or not np.any(r['x'])
    recs = [r for r in recs if not r['bad']]
    if len(recs) < 3:
        raise SystemExit('fewer than 3 usable receivers')

    # Common GPS interval, cut into blocks on the GPS time grid.
    start = max(int(r['tb'].gps_ns_at(0)) for r in recs)
    end = min(int(r['tb'].gps_ns_at(len(r['x']) - 1)) for r in recs)
    block_ns = round(block_sec * NS)
    times = np.arange(start, end - block_ns + 1, block_ns, dtype=np.int64)

    rate = float(np.median(rates))
    L = round(block_sec * rate)
    pairs = [(i, j) for i in range(len(recs)) for j in range(i + 1, len(recs))]
    bound = {p: great_circle_scalar(recs[p[0]]['lat'], recs[p[0]]['lon'], recs[p[1]]['lat'], recs[p[1]]['lon']) / C * rate * 1.1 + 3 for p in pairs}
    M = max(math.ceil(b) for b in bound.values())
    N = 1 << (L + 2 * M).bit_length()

    # Blocks are aligned at their centres: rates that differ by ppm then bias no lag.
    spectra, frac, usable = [], [], []
    for r in recs:
        n = r['tb'].sample_at(times + block_ns // 2) - L / 2
        i0 = np.floor(n).astype(np.int64)
        ok = (i0 - M >= 0) & (i0 + L + M <= len(r['x']))
        spectra.append(block_spectra(r['x'], np.where(ok, i0, M), L, M, N))
        frac.append(n - i0)
        usable.append(ok)

    min_kept = max(1, math.ceil(len(times) * 0.3))
    grid_pairs, dts = [], []
    for i, j in pairs:
        lags = (pair_lags(spectra[i], spectra[j], L, M, N, bound[(i, j)]) + frac[j] - frac[i]) / rate
        est = clean_lags(np.where(usable[i] & usable[j], lags, np.nan))
        if est is None or est[2] < min_kept:
            continue
        mean, sd, kept = est
        grid_pairs.append((i, j, mean, math.sqrt(sd * sd / kept + MODEL_SIGMA ** 2)))
        dts.append(dict(a=recs[i]['name'], b=recs[j]['name'], dtUs=mean * 1e6, rmsUs=sd * 1e6, blocksUsed=kept, blocksTotal=len(times)))
    if len(grid_pairs) < 2:
        raise SystemExit('fewer than 2 pairs correlate')

    pos = [(r['lat'], r['lon']) for r in recs]
    spec, rows, cols = snap_grid(*region, step)
    chi2 = chi2_grid(pos, grid_pairs, spec, rows, cols)
    imin = int(np.argmin(chi2))
    min_chi2 = float(chi2.flat[imin])
    lat, lon = refine(pos, grid_pairs, spec[0] + imin // cols * step, spec[2] + imin % cols * step, step)
    chi2 = chi2.astype(np.float32)
    contours = [(conf, isolines(chi2, min_chi2 + d, spec[0], spec[2], step, step)) for conf, d in LEVELS]
    d, dlat0, dlon0, dstep = display_grid(chi2, spec)
    plat = (dlat0 + dstep * np.arange(d.shape[0]))[:, None]
    plon = (dlon0 + dstep * np.arange(d.shape[1]))[None, :]
    hyperbolas = []
    for i, j, dt, _ in grid_pairs:
        field = (great_circle_m(plat, plon, *pos[i]) - great_circle_m(plat, plon, *pos[j])) / C - dt
        hyperbolas.append(isolines(field, 0, dlat0, dlon0, dstep, dstep))
    heat = heatmap(d, min_chi2)
    return dict(
        position=dict(lat=lat, lon=lon),
        pairs=dts,
        cells=rows * cols,
        blocks=len(times),
        seconds=len(times) * block_sec,
        contourPoints=[sum(len(l) for l in lines) for _, lines in contours],
        hyperbolaPoints=[sum(len(l) for l in lines) for lines in hyperbolas],
        heatmapSha1=hashlib.sha1(heat.encode()).hexdigest(),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--region', default='35:72:-25:45', help='lat0:lat1:lon0:lon1')
    ap.add_argument('--step', type=float, default=0.05)
    ap.add_argument('wavs', nargs='+')
    a = ap.parse_args()
    region = [float(v) for v in a.region.split(':')]
    result, times = None, []
    for k in range(1 + a.runs):
        t0 = time.perf_counter()
        result = locate(a.wavs, region, a.step)
        if k:  # the first one warms up
            times.append(time.perf_counter() - t0)
    result['msPerFix'] = float(np.median(times)) * 1000
    result['runs'] = a.runs
    result['numpy'] = np.__version__
    print(json.dumps(result))


if __name__ == '__main__':
    main()
