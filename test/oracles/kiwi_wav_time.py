"""Test oracle, independent of the station's code: reads a kiwirecorder IQ .wav (fmt, then a 10-byte
`kiwi` chunk before each `data` chunk) and derives its time base the way LOCALISATION.md describes,
with numpy. Prints JSON: samples, blocks, fresh (block indices where the fix age drops), rate (median
of the rates between fresh stamps), first_sample_unix_ns (extrapolated back from the first fresh
stamp), first_stamp_offset_s (the first block's stamp minus the time base at block 0)."""
import json, struct, sys, datetime
import numpy as np

path = sys.argv[1]
b = open(path, 'rb').read()
off, n, stamps = 12, 0, []
while off + 8 <= len(b):
    cid, size = b[off:off + 4], struct.unpack('<I', b[off + 4:off + 8])[0]
    body = b[off + 8:off + 8 + size]
    if cid == b'kiwi':
        last, _, sec, nsec = struct.unpack('<BBII', body[:10])
        pending = (last, sec, nsec)
    elif cid == b'data':
        stamps.append((n,) + pending)
        n += len(body) // 4
    off += 8 + size + (size % 2)

# GPS week from the date in the kiwirecorder name; GPS = UTC + 18 s since 2017.
name = path.split('/')[-1]
start = datetime.datetime.strptime(name[:16], '%Y%m%dT%H%M%SZ').replace(tzinfo=datetime.timezone.utc)
gps_epoch = datetime.datetime(1980, 1, 6, tzinfo=datetime.timezone.utc)
week = int(((start - gps_epoch).total_seconds() + 18) // 604800)
to_unix_ns = lambda sec, nsec: (week * 604800 + sec - 18) * 10**9 + nsec + int(gps_epoch.timestamp()) * 10**9

fresh = [i for i in range(1, len(stamps)) if stamps[i][1] < stamps[i - 1][1]]
idx = np.array([stamps[i][0] for i in fresh], dtype=np.float64)
t = np.array([to_unix_ns(stamps[i][2], stamps[i][3]) for i in fresh], dtype=np.int64)
rate = float(np.median(np.diff(idx) / (np.diff(t) / 1e9)))
first = int(t[0] - round(idx[0] / rate * 1e9))
stamp0 = to_unix_ns(stamps[0][2], stamps[0][3])
print(json.dumps({'samples': n, 'blocks': len(stamps), 'fresh': fresh, 'rate': rate, 'first_sample_unix_ns': str(first), 'first_stamp_offset_s': (stamp0 - first) / 1e9}))
