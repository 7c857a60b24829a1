/**
 * Which located result the Receivers map overlays. Kept for the life of the window (not saved):
 * it is "off" after a restart, and "Show on the receivers map" in a result sets it.
 */
let chosen: string | null = null;

export const overlayChoice = (): string | null => chosen;

export function chooseOverlay(id: string | null): void {
  chosen = id;
}

/** Opens the Receivers page with this result on its map. */
export function showOnReceiversMap(id: string): void {
  chosen = id;
  window.location.hash = '/receivers';
}
