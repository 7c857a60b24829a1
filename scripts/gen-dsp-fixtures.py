#!/usr/bin/env python3
"""Regenerates test/fixtures/dsp/: inputs and scipy.signal.welch / numpy.fft reference outputs for the
DSP parity tests (test/unit/dsp/parity.test.ts). Needs numpy + scipy; the tests themselves do not.
Inputs are stored as float32 (what the station gets), references computed in float64 from those
exact float32 values, so any difference is ours."""
import json
import os

import numpy as np
from scipy import signal

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'dsp')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261122)
cases = []


def save(name, x, params, complex_input):
    x32 = x.astype(np.complex64) if complex_input else x.astype(np.float32)
    raw = x32.view(np.float32) if complex_input else x32
    raw.astype('<f4').tofile(os.path.join(OUT, f'{name}.in.f32'))
    xd = x32.astype(np.complex128 if complex_input else np.float64)
    f, p = signal.welch(xd, fs=params['fs'], window=params['window'], nperseg=params['nperseg'], noverlap=params.get('noverlap'),
                        detrend=False if params['detrend'] == 'none' else 'constant', scaling=params['scaling'],
                        return_onesided=not complex_input)
    if complex_input:
        f, p = np.fft.fftshift(f), np.fft.fftshift(p)
    p.astype('<f8').tofile(os.path.join(OUT, f'{name}.psd.f64'))
    f.astype('<f8').tofile(os.path.join(OUT, f'{name}.freqs.f64'))
    cases.append({'name': name, 'complex': complex_input, 'n': int(len(x)), **params})


fs = 12000.0
t = np.arange(8192) / fs
noise = lambda n, s: s * (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)
save('tone_density', 0.5 * np.exp(2j * np.pi * 1234.5 * t) + noise(8192, 1e-3),
     {'fs': fs, 'nperseg': 1024, 'window': 'hann', 'detrend': 'constant', 'scaling': 'density'}, True)
save('noise_spectrum', noise(8192, 0.1),
     {'fs': fs, 'nperseg': 1024, 'window': 'hann', 'detrend': 'constant', 'scaling': 'spectrum'}, True)
tc = np.arange(5001) / fs
save('chirp_odd_hamming', np.exp(2j * np.pi * (-3000 * tc + 0.5 * 1400 * tc ** 2)) + noise(5001, 1e-3),
     {'fs': fs, 'nperseg': 1024, 'noverlap': 256, 'window': 'hamming', 'detrend': 'none', 'scaling': 'density'}, True)
ts = np.arange(777) / fs
save('short_777_bluestein', 0.3 * np.exp(2j * np.pi * -2000.0 * ts) + noise(777, 1e-2) + 0.05,
     {'fs': fs, 'nperseg': 777, 'window': 'hann', 'detrend': 'constant', 'scaling': 'density'}, True)
save('blackmanharris_dc', 0.2 + 0.7 * np.exp(2j * np.pi * 500 * t) + noise(8192, 1e-4),
     {'fs': fs, 'nperseg': 2048, 'window': 'blackmanharris', 'detrend': 'none', 'scaling': 'spectrum'}, True)
ta = np.arange(6000) / fs
save('real_tone_flattop', 0.4 * np.sin(2 * np.pi * 1000 * ta) + 1e-3 * rng.standard_normal(6000),
     {'fs': fs, 'nperseg': 512, 'window': 'flattop', 'detrend': 'constant', 'scaling': 'spectrum'}, False)
tr = np.arange(1001) / fs
save('real_odd_1001', 0.4 * np.sin(2 * np.pi * 700 * tr) + 1e-2 * rng.standard_normal(1001),
     {'fs': fs, 'nperseg': 1001, 'window': 'hann', 'detrend': 'constant', 'scaling': 'density'}, False)

# Plain FFTs (numpy.fft.fft) of a random complex vector, sizes a power of two and not.
for n in (1024, 1000):
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    x.view(np.float32).astype('<f4').tofile(os.path.join(OUT, f'fft_{n}.in.f32'))
    X = np.fft.fft(x.astype(np.complex128))
    X.view(np.float64).astype('<f8').tofile(os.path.join(OUT, f'fft_{n}.out.f64'))
    cases.append({'name': f'fft_{n}', 'fft': True, 'n': n})

# More Welch cases (appended after the ones above so their random draws, and files, stay the same):
# non-default overlaps, every window, both detrends on real input, Bluestein segment lengths.
tr2 = np.arange(2000) / fs
save('real_hamming_spectrum_nodetrend', 0.3 + 0.2 * np.cos(2 * np.pi * 2345.6 * tr2) + 1e-3 * rng.standard_normal(2000),
     {'fs': fs, 'nperseg': 256, 'noverlap': 64, 'window': 'hamming', 'detrend': 'none', 'scaling': 'spectrum'}, False)
tc2 = np.arange(2500) / fs
save('chirp_blackmanharris_300', np.exp(2j * np.pi * (1000 * tc2 - 0.5 * 3000 * tc2 ** 2)) + noise(2500, 1e-3) + 0.1,
     {'fs': fs, 'nperseg': 300, 'noverlap': 100, 'window': 'blackmanharris', 'detrend': 'constant', 'scaling': 'density'}, True)
tf = np.arange(2048) / fs
save('two_tones_flattop_512', 0.5 * np.exp(2j * np.pi * 1500 * tf) + 0.05 * np.exp(-2j * np.pi * 4321 * tf) + noise(2048, 1e-4),
     {'fs': fs, 'nperseg': 512, 'noverlap': 384, 'window': 'flattop', 'detrend': 'none', 'scaling': 'density'}, True)
tb = np.arange(2001) / fs
save('real_chirp_boxcar_255', np.cos(2 * np.pi * (200 * tb + 0.5 * 2000 * tb ** 2)) + 1e-3 * rng.standard_normal(2001),
     {'fs': fs, 'nperseg': 255, 'window': 'boxcar', 'detrend': 'constant', 'scaling': 'spectrum'}, False)
for n in (512,):
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    x.view(np.float32).astype('<f4').tofile(os.path.join(OUT, f'fft_{n}.in.f32'))
    X = np.fft.fft(x.astype(np.complex128))
    X.view(np.float64).astype('<f8').tofile(os.path.join(OUT, f'fft_{n}.out.f64'))
    cases.append({'name': f'fft_{n}', 'fft': True, 'n': n})

with open(os.path.join(OUT, 'cases.json'), 'w') as fh:
    json.dump({'generator': 'scripts/gen-dsp-fixtures.py', 'numpy': np.__version__, 'scipy': __import__('scipy').__version__, 'cases': cases}, fh, indent=1)
print(f'{len(cases)} cases in {os.path.abspath(OUT)}')
