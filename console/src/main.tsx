/**
 * The console's entry: reads its configuration from the shell's meta tags, completes a Cognito hosted
 * sign-in when this is its answer (`/console/?code=…&state=…`), and starts the app.
 */
import { render } from 'preact';
import { App } from './app.tsx';
import type { ConsoleConfig } from './app-context.ts';
import { completeHostedSignIn } from './lib/hosted-sign-in.ts';

const meta = (name: string): string | undefined => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;

const domainUrl = meta('console:cognito-domain');
const clientId = meta('console:cognito-client-id');
const config: ConsoleConfig = {
  // A path (`/api` behind the portal's CloudFront) is on this origin.
  apiUrl: new URL(meta('console:api-url') ?? '', location.origin).href.replace(/\/$/, ''),
  auth: meta('console:auth') === 'cognito' ? 'cognito' : 'local',
  bureauName: meta('console:bureau') ?? '',
  ...(domainUrl && clientId ? { cognito: { domainUrl: domainUrl.replace(/\/$/, ''), clientId } } : {}),
};

async function start(root: HTMLElement): Promise<void> {
  if (config.auth === 'cognito' && config.cognito) {
    root.textContent = '正在登录…';
    await completeHostedSignIn(config.cognito);
  }
  root.textContent = '';
  render(<App config={config} />, root);
}

const root = document.getElementById('app');
if (root) void start(root);
