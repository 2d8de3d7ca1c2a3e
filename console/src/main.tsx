/** The console's entry: reads its configuration from the shell's meta tags and starts the app. */
import { render } from 'preact';
import { App } from './app.tsx';
import type { ConsoleConfig } from './app-context.ts';

const meta = (name: string): string | undefined => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;

const config: ConsoleConfig = {
  apiUrl: (meta('console:api-url') ?? '').replace(/\/$/, ''),
  auth: meta('console:auth') === 'cognito' ? 'cognito' : 'local',
  bureauName: meta('console:bureau') ?? '',
};

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App config={config} />, root);
}
