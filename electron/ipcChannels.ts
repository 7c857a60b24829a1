/** IPC channel names shared by the two binding files. */
export const IPC_CALL = 'station:call';
export const IPC_SUBSCRIBE = 'station:subscribe';
export const IPC_MENU = 'station:menu';
