import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectToEngine } from './engine/connect';
import { EngineProvider } from './engine/engine-context';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The transport is chosen once, here; the page keeps this link for its whole life.
const link = connectToEngine();

createRoot(root).render(
  <StrictMode>
    <EngineProvider link={link}>
      <App />
    </EngineProvider>
  </StrictMode>,
);
