import { createContext, useContext, useEffect, useState } from 'react';
import { type StationClient } from '../../../shared/client';
import { type ConnectionState } from '../../../shared/transport';

export const StationContext = createContext<StationClient | null>(null);

export function useStation(): StationClient {
  const client = useContext(StationContext);
  if (!client) throw new Error('useStation() outside <StationContext.Provider>');
  return client;
}

export function useConnectionState(): ConnectionState {
  const client = useStation();
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => client.onConnectionChange(setState), [client]);
  return state;
}
