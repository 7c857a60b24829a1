import { useEffect, useState } from 'react';
import { type Settings } from '../../../../shared/domain/settings';
import { useStationEvents } from '../hooks';
import { useStation } from '../../station/StationContext';

export type Units = Settings['units'];

const KM_PER_MI = 1.609344;

/** A distance as the operator reads it: m/km (metric) or ft/mi (imperial), precision by size. */
export function fmtDistance(km: number, units: Units): string {
  if (units === 'imperial') {
    const mi = km / KM_PER_MI;
    if (mi < 0.2) return `${Math.round((mi * 5280) / 10) * 10} ft`;
    return `${mi < 10 ? mi.toFixed(2) : mi < 100 ? mi.toFixed(1) : Math.round(mi)} mi`;
  }
  if (km < 1) return `${Math.round(km * 1000)} m`;
  return `${km < 10 ? km.toFixed(2) : km < 100 ? km.toFixed(1) : Math.round(km)} km`;
}

/** The units chosen in Settings, kept current when they change. */
export function useUnits(): Units {
  const station = useStation();
  const [units, setUnits] = useState<Units>('metric');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    station.getSettings().then((s) => setUnits(s.units), () => undefined);
  }, [station, version]);
  useStationEvents((ev) => {
    if (ev.type === 'settings.changed') setVersion((v) => v + 1);
  });
  return units;
}

export const fmtLatLon = (lat: number, lon: number): string => `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
