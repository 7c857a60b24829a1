export const pages = [
  { id: 'receivers', label: 'Receivers', key: '1' },
  { id: 'live', label: 'Live', key: '2' },
  { id: 'sessions', label: 'Sessions', key: '3' },
  { id: 'datasets', label: 'Datasets', key: '4' },
  { id: 'sync', label: 'Sync', key: '5' },
  { id: 'settings', label: 'Settings', key: '6' },
] as const;
export type PageId = (typeof pages)[number]['id'];
export const isPageId = (s: string): s is PageId => pages.some((p) => p.id === s);
