/// <reference types="vite/client" />
import { type StationBridge } from '../../shared/bridge';

declare global {
  interface Window {
    /** Present only inside the desktop shell (electron/preload.ts). */
    stationBridge?: StationBridge;
  }
}
