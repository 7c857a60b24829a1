import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ToastProvider } from './ui/Toasts';
import { connectStation } from './station/connect';
import { StationContext } from './station/StationContext';
import './styles.css';

const { client } = connectStation();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StationContext.Provider value={client}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </StationContext.Provider>
  </StrictMode>,
);
